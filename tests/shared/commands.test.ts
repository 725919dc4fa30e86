import { describe, expect, it } from 'vitest';
import {
  COMMANDS,
  commandForKey,
  describeAccelerator,
  isAppCommand,
  matchesAccelerator,
} from '../../src/shared/commands.ts';

const press = (
  key: string,
  mods: Partial<{ ctrl: boolean; meta: boolean; shift: boolean; alt: boolean }> = {},
  code?: string,
) => ({
  key,
  code,
  ctrlKey: !!mods.ctrl,
  metaKey: !!mods.meta,
  shiftKey: !!mods.shift,
  altKey: !!mods.alt,
});

describe('app commands', () => {
  it('reads CmdOrCtrl as Ctrl off a Mac and Cmd on one, and wants exactly the modifiers named', () => {
    expect(matchesAccelerator(press('n', { ctrl: true }), 'CmdOrCtrl+N', false)).toBe(true);
    expect(matchesAccelerator(press('n', { meta: true }), 'CmdOrCtrl+N', false)).toBe(false);
    expect(matchesAccelerator(press('n', { meta: true }), 'CmdOrCtrl+N', true)).toBe(true);
    expect(matchesAccelerator(press('N', { ctrl: true, shift: true }), 'CmdOrCtrl+N', false)).toBe(false);
    expect(matchesAccelerator(press('P', { ctrl: true, shift: true }), 'CmdOrCtrl+Shift+P', false)).toBe(true);
    expect(matchesAccelerator(press('n'), 'CmdOrCtrl+N', false)).toBe(false);
  });

  it('uses the browser variant in a tab, where Ctrl+N belongs to the browser', () => {
    expect(commandForKey(press('n', { ctrl: true }), { mac: false, web: false })).toBe('new-run');
    expect(commandForKey(press('n', { ctrl: true }), { mac: false, web: true })).toBeNull();
    expect(commandForKey(press('n', { alt: true }), { mac: false, web: true })).toBe('new-run');
    // Alt+N types a dead key on a Mac: the physical key still counts.
    expect(commandForKey(press('˜', { alt: true }, 'KeyN'), { mac: true, web: true })).toBe('new-run');
    expect(commandForKey(press('S', { ctrl: true, shift: true }), { mac: false, web: true })).toBe('stop-run');
    expect(commandForKey(press('/', { ctrl: true }), { mac: false, web: true })).toBe('show-shortcuts');
    expect(commandForKey(press('x', { ctrl: true }), { mac: false, web: true })).toBeNull();
  });

  it('gives every command its own keys in both hosts', () => {
    for (const web of [false, true]) {
      const keys = COMMANDS.map((c) => (web ? (c.webAccelerator ?? c.accelerator) : c.accelerator));
      expect(new Set(keys).size).toBe(COMMANDS.length);
    }
  });

  it('names keys the way each platform prints them', () => {
    expect(describeAccelerator('CmdOrCtrl+Shift+P', false)).toBe('Ctrl+Shift+P');
    expect(describeAccelerator('CmdOrCtrl+Shift+P', true)).toBe('⌘⇧P');
    expect(describeAccelerator('Alt+N', true)).toBe('⌥N');
  });

  it('knows its own command names and nothing else', () => {
    expect(isAppCommand('stop-run')).toBe(true);
    expect(isAppCommand('rm -rf')).toBe(false);
    expect(isAppCommand(7)).toBe(false);
  });
});
