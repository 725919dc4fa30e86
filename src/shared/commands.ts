// The commands a person can give from the menu bar (Electron) or the keyboard (any host), with
// their shortcuts, in one table: the Electron menu, the renderer's key handler and the
// Shortcuts panel all read it, so they cannot drift apart.

export type AppCommand = 'new-run' | 'open-runs' | 'toggle-pause' | 'stop-run' | 'toggle-theme' | 'show-shortcuts';

export interface CommandInfo {
  command: AppCommand;
  label: string;
  /** Electron accelerator syntax ("CmdOrCtrl+N"): the menu shows and handles it. */
  accelerator: string;
  /**
   * The same in a browser tab, where the browser keeps some keys to itself (Ctrl+N opens a
   * window and cannot be taken by a page). Same syntax; "Alt+N" rather than "CmdOrCtrl+N".
   */
  webAccelerator?: string;
}

export const COMMANDS: readonly CommandInfo[] = [
  { command: 'new-run', label: 'New run', accelerator: 'CmdOrCtrl+N', webAccelerator: 'Alt+N' },
  { command: 'open-runs', label: 'Show all runs', accelerator: 'CmdOrCtrl+O', webAccelerator: 'Alt+R' },
  { command: 'toggle-pause', label: 'Pause or resume training', accelerator: 'CmdOrCtrl+Shift+P' },
  { command: 'stop-run', label: 'Stop training', accelerator: 'CmdOrCtrl+Shift+S' },
  { command: 'toggle-theme', label: 'Switch light / dark', accelerator: 'CmdOrCtrl+Shift+L' },
  { command: 'show-shortcuts', label: 'Keyboard shortcuts', accelerator: 'CmdOrCtrl+/' },
];

export function commandInfo(command: AppCommand): CommandInfo {
  const info = COMMANDS.find((c) => c.command === command);
  if (!info) throw new Error(`No such command: ${command}`);
  return info;
}

export function isAppCommand(value: unknown): value is AppCommand {
  return typeof value === 'string' && COMMANDS.some((c) => c.command === value);
}

/** The keys of a keydown event that matter to a shortcut (a DOM KeyboardEvent fits). */
export interface KeyPress {
  key: string;
  /** The physical key ("KeyN"): Alt+N types "˜" on a Mac, but is still KeyN. */
  code?: string;
  ctrlKey: boolean;
  metaKey: boolean;
  shiftKey: boolean;
  altKey: boolean;
}

/** Whether a key press is the accelerator; CmdOrCtrl is Cmd on a Mac and Ctrl elsewhere. */
export function matchesAccelerator(press: KeyPress, accelerator: string, mac: boolean): boolean {
  const parts = accelerator.split('+');
  const key = parts.pop()?.toLowerCase();
  const want = { ctrl: false, meta: false, shift: false, alt: false };
  for (const part of parts) {
    if (part === 'CmdOrCtrl') want[mac ? 'meta' : 'ctrl'] = true;
    else if (part === 'Ctrl') want.ctrl = true;
    else if (part === 'Cmd') want.meta = true;
    else if (part === 'Shift') want.shift = true;
    else if (part === 'Alt') want.alt = true;
  }
  const sameKey = press.key.toLowerCase() === key || (key !== undefined && press.code === `Key${key.toUpperCase()}`);
  return (
    sameKey &&
    press.ctrlKey === want.ctrl &&
    press.metaKey === want.meta &&
    press.shiftKey === want.shift &&
    press.altKey === want.alt
  );
}

/** The command a key press asks for in this host, if any. */
export function commandForKey(press: KeyPress, options: { mac: boolean; web: boolean }): AppCommand | null {
  for (const info of COMMANDS) {
    const accelerator = options.web ? (info.webAccelerator ?? info.accelerator) : info.accelerator;
    if (matchesAccelerator(press, accelerator, options.mac)) return info.command;
  }
  return null;
}

/** "CmdOrCtrl+Shift+P" as a person reads it on this platform: "Ctrl+Shift+P" or "⌘⇧P". */
export function describeAccelerator(accelerator: string, mac: boolean): string {
  const names: Record<string, string> = mac
    ? { CmdOrCtrl: '⌘', Cmd: '⌘', Ctrl: '⌃', Shift: '⇧', Alt: '⌥' }
    : { CmdOrCtrl: 'Ctrl', Cmd: 'Cmd', Ctrl: 'Ctrl', Shift: 'Shift', Alt: 'Alt' };
  return accelerator
    .split('+')
    .map((part) => names[part] ?? part)
    .join(mac ? '' : '+');
}
