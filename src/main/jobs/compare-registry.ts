// The comparisons a host has started this session, by job id: their last progress, result or
// error for compare:get, and their events on the host's event bus for every window.
import type { CompareStatus } from '../../shared/contract.ts';
import type { EventBus } from '../events.ts';
import type { CompareHandle } from './compare.ts';

export interface CompareRegistry {
  add(handle: CompareHandle): void;
  get(jobId: string): CompareStatus;
}

export function createCompareRegistry(events: EventBus): CompareRegistry {
  const jobs = new Map<string, CompareStatus>();
  return {
    add(handle) {
      const status: CompareStatus = {
        jobId: handle.jobId,
        status: 'running',
        progress: null,
        result: null,
        error: null,
      };
      jobs.set(handle.jobId, status);
      handle.onEvent((event) => {
        if (event.type === 'progress')
          status.progress = { checkpoint: event.checkpoint, done: event.done, total: event.total };
        if (event.type === 'finished') {
          status.status = 'finished';
          status.result = event.result;
        }
        if (event.type === 'failed') {
          status.status = 'failed';
          status.error = event.message;
        }
        events.publish({ type: 'compare', jobId: handle.jobId, event });
      });
    },
    get(jobId) {
      const status = jobs.get(jobId);
      if (!status) throw new Error(`There is no comparison ${jobId} in this session.`);
      return status;
    },
  };
}
