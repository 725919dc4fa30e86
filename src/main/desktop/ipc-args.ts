// The desktop-only IPC channels take arguments from the page like every API channel: each is
// checked here before the main process acts on it (DESIGN.md: every argument validated).
import { z } from 'zod';
import type { ThemeChoice } from '../../shared/transport.ts';

const Title = z.string().trim().min(1).max(200);
const Theme = z.enum(['system', 'light', 'dark']);

/** The folder dialog's title, or a plain default when the page sent something else. */
export function pickFolderTitle(raw: unknown): string {
  const parsed = Title.safeParse(raw);
  return parsed.success ? parsed.data : 'Choose a folder of images';
}

/** The theme the page asked for, or null (ignored) when it is not one. */
export function themeChoice(raw: unknown): ThemeChoice | null {
  const parsed = Theme.safeParse(raw);
  return parsed.success ? parsed.data : null;
}
