// Where the window was: size, position and whether it was maximised, kept in a small JSON file
// in the app's user-data folder and put back on the next start, moved onto a screen that is
// still there (a monitor may have been unplugged since).
import fs from 'node:fs/promises';
import { z } from 'zod';
import { writeFileAtomic } from '../../node/atomic.ts';

export const WindowState = z.object({
  x: z.number().int().optional(),
  y: z.number().int().optional(),
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  maximized: z.boolean().default(false),
});
export type WindowState = z.infer<typeof WindowState>;

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export const DEFAULT_WINDOW: WindowState = { width: 1280, height: 840, maximized: false };
export const MIN_WINDOW = { width: 900, height: 600 };
/** How much of the title bar must be on a screen for the window to count as visible there. */
const GRIP = 80;

function overlap(a: Rect, b: Rect): { width: number; height: number } {
  return {
    width: Math.max(0, Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x)),
    height: Math.max(0, Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y)),
  };
}

/**
 * The saved state made fit the screens there are now (their work areas): no bigger than the
 * screen it lands on, and on a screen at all; a window whose screen is gone is centred on the
 * first one.
 */
export function clampToDisplays(state: WindowState, workAreas: readonly Rect[]): WindowState {
  const primary = workAreas[0];
  if (!primary) return state;
  const sized = (area: Rect) => ({
    width: Math.max(Math.min(state.width, area.width), Math.min(MIN_WINDOW.width, area.width)),
    height: Math.max(Math.min(state.height, area.height), Math.min(MIN_WINDOW.height, area.height)),
  });
  if (state.x !== undefined && state.y !== undefined) {
    const titleBar = { x: state.x, y: state.y, width: state.width, height: Math.min(GRIP, state.height) };
    const home = workAreas.find((area) => {
      const seen = overlap(titleBar, area);
      return seen.width >= Math.min(GRIP, state.width) && seen.height > 0;
    });
    if (home) {
      const { width, height } = sized(home);
      const x = Math.min(Math.max(state.x, home.x), home.x + home.width - width);
      const y = Math.min(Math.max(state.y, home.y), home.y + home.height - height);
      return { x, y, width, height, maximized: state.maximized };
    }
  }
  const { width, height } = sized(primary);
  return {
    x: primary.x + Math.round((primary.width - width) / 2),
    y: primary.y + Math.round((primary.height - height) / 2),
    width,
    height,
    maximized: state.maximized,
  };
}

/** The saved state, or null when there is none or it is unreadable (a fresh default then). */
export async function loadWindowState(file: string): Promise<WindowState | null> {
  try {
    const parsed = WindowState.safeParse(JSON.parse(await fs.readFile(file, 'utf8')));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

export async function saveWindowState(file: string, state: WindowState): Promise<void> {
  await writeFileAtomic(file, `${JSON.stringify(WindowState.parse(state), null, 2)}\n`);
}
