// Light or dark: the operating system's choice (prefers-color-scheme, which Electron maps from
// nativeTheme) unless the person picked one, which is remembered. The stylesheet keys its
// colours on <html data-theme>, so the chart and every screen follow one value.
import type { ThemeChoice } from '../../shared/transport.ts';
import { desktop } from './api.ts';

const KEY = 'diptych.theme';
const system = window.matchMedia('(prefers-color-scheme: dark)');

function stored(): ThemeChoice {
  const value = localStorage.getItem(KEY);
  return value === 'light' || value === 'dark' ? value : 'system';
}

export const theme = $state<{ choice: ThemeChoice; resolved: 'light' | 'dark' }>({
  choice: stored(),
  resolved: 'light',
});

/**
 * The system's own preference. In the desktop app a chosen theme is also set as
 * nativeTheme.themeSource, and prefers-color-scheme then reports the choice, not the system:
 * the last value seen while following the system stands in for it meanwhile.
 */
let systemDark = system.matches;

function apply() {
  if (theme.choice === 'system' || !desktop()) systemDark = system.matches;
  theme.resolved = theme.choice === 'system' ? (systemDark ? 'dark' : 'light') : theme.choice;
  document.documentElement.dataset.theme = theme.resolved;
}

export function setTheme(choice: ThemeChoice): void {
  theme.choice = choice;
  if (choice === 'system') localStorage.removeItem(KEY);
  else localStorage.setItem(KEY, choice);
  desktop()?.setTheme(choice);
  apply();
}

/** Light ↔ dark from what shows now; a choice equal to the system's goes back to following it. */
export function toggleTheme(): void {
  const next = theme.resolved === 'dark' ? 'light' : 'dark';
  setTheme(next === (systemDark ? 'dark' : 'light') ? 'system' : next);
}

system.addEventListener('change', apply);
desktop()?.setTheme(theme.choice);
apply();
