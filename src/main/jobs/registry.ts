// The training jobs a host is running now, by run id, with their events fanned out to the
// host's event bus (every window, every browser).
import type { EventBus } from '../events.ts';
import type { TrainingHandle } from './training.ts';

export interface JobRegistry {
  add(handle: TrainingHandle): void;
  get(runId: string): TrainingHandle | undefined;
  /** Asks every job to stop cleanly and waits for them (host shutdown). */
  stopAll(): Promise<void>;
}

export function createJobRegistry(events: EventBus): JobRegistry {
  const jobs = new Map<string, TrainingHandle>();
  return {
    add(handle) {
      jobs.set(handle.runId, handle);
      handle.onEvent((event) => {
        // Engine chatter stays in the log; an error (e.g. the host stopping a run whose disk is full) is
        // something the person must read.
        if (event.type === 'ready' || (event.type === 'log' && event.level !== 'error')) return;
        events.publish({ type: 'job', runId: handle.runId, event });
        if (
          event.type === 'started' ||
          event.type === 'paused' ||
          event.type === 'resumed' ||
          event.type === 'finished'
        ) {
          events.publish({ type: 'runs-changed' });
        }
      });
      void handle.done.then(({ outcome, error }) => {
        jobs.delete(handle.runId);
        events.publish({ type: 'job-ended', runId: handle.runId, outcome, error });
        events.publish({ type: 'runs-changed' });
      });
      events.publish({ type: 'runs-changed' });
    },
    get: (runId) => jobs.get(runId),
    async stopAll() {
      const running = [...jobs.values()];
      for (const job of running) job.stop();
      await Promise.all(running.map((job) => job.done));
    },
  };
}
