// Carries out the commands of src/shared/commands.ts, whether they came from the Electron menu
// or from a key press in a browser tab. Pause and stop act on the run on screen, which
// registers itself here while it is shown.
import { type AppCommand, commandForKey, isAppCommand } from '../../shared/commands.ts';
import { desktop } from './api.ts';
import { navigate } from './router.svelte.ts';
import { toggleTheme } from './theme.svelte.ts';
import { showToast } from './toasts.svelte.ts';

export interface ShownRun {
  togglePause(): void;
  stop(): void;
}

let shownRun: ShownRun | null = null;

export const panels = $state({ shortcuts: false });

/** The run screen says it is showing a run (and stops saying so when it closes). */
export function registerShownRun(run: ShownRun): () => void {
  shownRun = run;
  return () => {
    if (shownRun === run) shownRun = null;
  };
}

export function runCommand(command: AppCommand): void {
  if (command === 'new-run') navigate({ name: 'new' });
  else if (command === 'open-runs') navigate({ name: 'runs' });
  else if (command === 'toggle-theme') toggleTheme();
  else if (command === 'show-shortcuts') panels.shortcuts = !panels.shortcuts;
  else if (!shownRun)
    showToast({ title: 'No run on screen', body: 'Open a run to pause, resume or stop it.', tone: 'info' }, 4000);
  else if (command === 'toggle-pause') shownRun.togglePause();
  else shownRun.stop();
}

export const isMac = /Mac|iPhone|iPad/.test(navigator.platform);
/** In the desktop app the menu owns the shortcuts; in a browser tab the page does. */
export const webShortcuts = desktop() === null;

/** Listens to the menu (Electron) or the keyboard (browser); returns the unsubscribe function. */
export function listenForCommands(): () => void {
  const bridge = desktop();
  if (bridge) return bridge.onMenuCommand((command) => isAppCommand(command) && runCommand(command));
  const onKey = (event: KeyboardEvent) => {
    const command = commandForKey(event, { mac: isMac, web: true });
    if (!command) return;
    event.preventDefault();
    runCommand(command);
  };
  window.addEventListener('keydown', onKey);
  return () => window.removeEventListener('keydown', onKey);
}
