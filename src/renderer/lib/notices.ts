// Says when a run finishes or fails: a toast on the page, and a system notification when the
// person is elsewhere (the desktop app's main process shows its own while no window has focus;
// a browser tab uses the browser's notifications when allowed and the tab is hidden).
import type { HostEvent } from '../../shared/contract.ts';
import { noticeFor } from '../../shared/notice-text.ts';
import { call, desktop, onHostEvent } from './api.ts';
import { showToast } from './toasts.svelte.ts';

/** Asks once, from a click (browsers only ask then), whether the tab may notify. */
export function askToNotify(): void {
  if (desktop() || typeof Notification === 'undefined' || Notification.permission !== 'default') return;
  void Notification.requestPermission().catch(() => {});
}

async function announce(event: Extract<HostEvent, { type: 'job' }>): Promise<void> {
  const name = await call('runs:get', { id: event.runId }).then(
    (run) => run.name,
    () => 'The run',
  );
  const text = noticeFor(event.event, name);
  if (!text) return;
  showToast(text);
  const browserMay = !desktop() && typeof Notification !== 'undefined' && Notification.permission === 'granted';
  if (browserMay && document.visibilityState === 'hidden') new Notification(text.title, { body: text.body });
}

export function listenForNotices(): () => void {
  return onHostEvent((event) => {
    if (event.type !== 'job') return;
    const type = event.event.type;
    if (type === 'finished' || type === 'fatal') void announce(event);
  });
}
