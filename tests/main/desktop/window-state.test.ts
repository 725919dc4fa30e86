import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  clampToDisplays,
  loadWindowState,
  saveWindowState,
  type WindowState,
} from '../../../src/main/desktop/window-state.ts';

const laptop = { x: 0, y: 0, width: 1440, height: 876 };
const rightMonitor = { x: 1440, y: -200, width: 2560, height: 1400 };

describe('window placement', () => {
  it('keeps a window that is on a screen where it was', () => {
    const state: WindowState = { x: 1600, y: 0, width: 1400, height: 900, maximized: false };
    expect(clampToDisplays(state, [laptop, rightMonitor])).toEqual(state);
  });

  it('centres a window whose screen was unplugged on the first screen, shrunk to fit', () => {
    const state: WindowState = { x: 3000, y: 100, width: 2000, height: 1200, maximized: true };
    expect(clampToDisplays(state, [laptop])).toEqual({ x: 0, y: 0, width: 1440, height: 876, maximized: true });
    const small: WindowState = { x: 5000, y: 100, width: 1000, height: 700, maximized: false };
    expect(clampToDisplays(small, [laptop])).toEqual({ x: 220, y: 88, width: 1000, height: 700, maximized: false });
  });

  it('pulls a window hanging off the edge back onto its screen', () => {
    const state: WindowState = { x: 1300, y: 500, width: 1000, height: 700, maximized: false };
    // Its title bar is still 140 px on the laptop: it stays there, moved fully on.
    expect(clampToDisplays(state, [laptop])).toEqual({ x: 440, y: 176, width: 1000, height: 700, maximized: false });
  });

  it('counts a window with only a sliver of title bar on a screen as lost, and centres it', () => {
    // 20 px of title bar cannot be grabbed: the window is put back in the middle.
    const state: WindowState = { x: 1420, y: 100, width: 1000, height: 700, maximized: false };
    expect(clampToDisplays(state, [laptop])).toEqual({ x: 220, y: 88, width: 1000, height: 700, maximized: false });
  });

  it('does not let a title bar sit above the top of the screen', () => {
    const state: WindowState = { x: 100, y: -30, width: 1000, height: 700, maximized: false };
    expect(clampToDisplays(state, [laptop]).y).toBe(0);
  });

  it('centres a first window that has no position yet', () => {
    expect(clampToDisplays({ width: 1280, height: 840, maximized: false }, [laptop])).toEqual({
      x: 80,
      y: 18,
      width: 1280,
      height: 840,
      maximized: false,
    });
  });
});

describe('window state file', () => {
  let dir = '';
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('round-trips through an atomic write and ignores a damaged or missing file', async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'diptych-window-'));
    const file = path.join(dir, 'window-state.json');
    expect(await loadWindowState(file)).toBeNull();
    const state: WindowState = { x: 10, y: 20, width: 1000, height: 700, maximized: true };
    await saveWindowState(file, state);
    expect(await loadWindowState(file)).toEqual(state);
    expect(fs.readdirSync(dir)).toEqual(['window-state.json']);
    fs.writeFileSync(file, '{"width": -3');
    expect(await loadWindowState(file)).toBeNull();
    fs.writeFileSync(file, '{"width": -3, "height": 10}');
    expect(await loadWindowState(file)).toBeNull();
  });
});
