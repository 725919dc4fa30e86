// Short messages in the corner: a finished run where the browser may not notify, or a
// shortcut that has nothing to act on. They go away by themselves.
export interface Toast {
  id: number;
  title: string;
  body: string;
  tone: 'ok' | 'danger' | 'info';
}

const SHOWN_MS = 8000;
let nextId = 0;

export const toasts = $state<Toast[]>([]);

export function showToast(toast: Omit<Toast, 'id'>, ms = SHOWN_MS): void {
  const id = nextId++;
  toasts.push({ ...toast, id });
  setTimeout(() => dismissToast(id), ms);
}

export function dismissToast(id: number): void {
  const index = toasts.findIndex((t) => t.id === id);
  if (index >= 0) toasts.splice(index, 1);
}
