// Training progress for the taskbar (Windows, Linux) or the dock (macOS): one bar for every
// run training in this app, from the jobs' own events. Electron's BrowserWindow.setProgressBar
// takes the numbers; a negative fraction removes the bar.
import type { HostEvent } from '../../shared/contract.ts';

export interface TaskbarProgress {
  /** 0..1, or -1 for no bar. */
  fraction: number;
  mode: 'normal' | 'paused' | 'none';
}

interface RunProgress {
  done: number;
  total: number;
  paused: boolean;
}

export interface ProgressTracker {
  /** What the bar shows after this event, or null when it need not change. */
  update(event: HostEvent): TaskbarProgress | null;
  /**
   * Forgets runs whose job is gone without a word (its engine was killed); called when the
   * runs change. The bar if it changed, and the runs forgotten.
   */
  retain(isTraining: (runId: string) => boolean): { bar: TaskbarProgress | null; dropped: string[] };
}

/** Keeps each training run's progress and says what the bar should show after every event. */
export function createProgressTracker(): ProgressTracker {
  const runs = new Map<string, RunProgress>();
  let shown: TaskbarProgress = { fraction: -1, mode: 'none' };

  const summary = (): TaskbarProgress => {
    const active = [...runs.values()].filter((r) => r.total > 0);
    if (active.length === 0) return { fraction: -1, mode: 'none' };
    const fraction = active.reduce((sum, r) => sum + Math.min(1, r.done / r.total), 0) / active.length;
    return { fraction, mode: active.every((r) => r.paused) ? 'paused' : 'normal' };
  };

  const show = (): TaskbarProgress | null => {
    const next = summary();
    // Progress arrives many times a second; the bar moves in whole percents.
    const same = next.mode === shown.mode && Math.round(next.fraction * 100) === Math.round(shown.fraction * 100);
    if (same) return null;
    shown = next;
    return next;
  };

  return {
    update(event) {
      if (event.type !== 'job') return null;
      const job = event.event;
      const run = runs.get(event.runId) ?? { done: 0, total: 0, paused: false };
      switch (job.type) {
        case 'started':
          runs.set(event.runId, { done: job.startStep, total: job.totalSteps, paused: false });
          break;
        case 'progress':
          runs.set(event.runId, { ...run, done: job.step, total: job.totalSteps });
          break;
        case 'paused':
          runs.set(event.runId, { ...run, paused: true });
          break;
        case 'resumed':
          runs.set(event.runId, { ...run, paused: false });
          break;
        case 'finished':
        case 'fatal':
          runs.delete(event.runId);
          break;
        default:
          return null;
      }
      return show();
    },
    retain(isTraining) {
      const dropped = [...runs.keys()].filter((id) => !isTraining(id));
      for (const id of dropped) runs.delete(id);
      return { bar: dropped.length > 0 ? show() : null, dropped };
    },
  };
}
