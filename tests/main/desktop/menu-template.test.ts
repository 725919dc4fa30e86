import type { MenuItemConstructorOptions } from 'electron';
import { describe, expect, it } from 'vitest';
import { buildMenuTemplate } from '../../../src/main/desktop/menu-template.ts';
import type { AppCommand } from '../../../src/shared/commands.ts';

function build(platform: NodeJS.Platform, dev: boolean) {
  const sent: AppCommand[] = [];
  const template = buildMenuTemplate({
    platform,
    dev,
    appName: 'Diptych',
    send: (command) => sent.push(command),
    openDocs: () => sent.push('docs' as AppCommand),
    showAbout: () => sent.push('about' as AppCommand),
  });
  return { template, sent };
}

const submenu = (template: MenuItemConstructorOptions[], label: string) =>
  (template.find((m) => m.label?.replace('&', '') === label)?.submenu ?? []) as MenuItemConstructorOptions[];
const click = (item: MenuItemConstructorOptions | undefined) => (item?.click as (() => void) | undefined)?.();

describe('application menu', () => {
  it('has File, Edit, View, Run and Help with the shortcuts the renderer documents', () => {
    const { template, sent } = build('linux', false);
    expect(template.map((m) => m.label ?? m.role)).toEqual(['&File', 'editMenu', '&View', '&Run', '&Help']);
    const file = submenu(template, 'File');
    expect(file.map((i) => i.accelerator).filter(Boolean)).toEqual(['CmdOrCtrl+N', 'CmdOrCtrl+O', 'Ctrl+Q']);
    expect(file.at(-1)?.role).toBe('quit');
    const run = submenu(template, 'Run');
    expect(run.map((i) => i.accelerator)).toEqual(['CmdOrCtrl+Shift+P', 'CmdOrCtrl+Shift+S']);
    for (const item of [...file, ...run]) click(item);
    expect(sent).toEqual(['new-run', 'open-runs', 'toggle-pause', 'stop-run']);
  });

  it('offers reload and developer tools only while developing', () => {
    const roles = (dev: boolean) => submenu(build('linux', dev).template, 'View').map((i) => i.role ?? i.label);
    expect(roles(false)).not.toContain('toggleDevTools');
    expect(roles(false)).not.toContain('reload');
    expect(roles(false)).toEqual(expect.arrayContaining(['zoomIn', 'zoomOut', 'resetZoom', 'togglefullscreen']));
    expect(roles(true)).toEqual(expect.arrayContaining(['reload', 'toggleDevTools']));
  });

  it('toggles the theme and shows shortcuts, docs and About from View and Help', () => {
    const { template, sent } = build('win32', false);
    click(submenu(template, 'View').find((i) => i.label === 'Switch Light / Dark'));
    for (const item of submenu(template, 'Help')) click(item);
    expect(sent).toEqual(['toggle-theme', 'show-shortcuts', 'docs', 'about']);
  });

  it('puts the app menu first on a Mac, with Quit there and Close in File', () => {
    const { template } = build('darwin', false);
    expect(template[0]?.label).toBe('Diptych');
    expect(((template[0]?.submenu ?? []) as MenuItemConstructorOptions[]).map((i) => i.role)).toContain('quit');
    expect(submenu(template, 'File').at(-1)?.role).toBe('close');
  });
});
