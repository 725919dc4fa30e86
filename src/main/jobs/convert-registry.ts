// The conversions a host is running now, by conversion id: convert:cancel finds them here, and
// their events go out on the host's event bus for every window.
import type { EventBus } from '../events.ts';
import type { ConvertHandle } from './convert.ts';

export interface ConvertRegistry {
  add(handle: ConvertHandle): void;
  get(conversionId: number): ConvertHandle | undefined;
  /** Cancels every conversion and waits for them (host shutdown). */
  cancelAll(): Promise<void>;
}

export function createConvertRegistry(events: EventBus): ConvertRegistry {
  const running = new Map<number, ConvertHandle>();
  return {
    add(handle) {
      running.set(handle.conversionId, handle);
      handle.onEvent((event) =>
        events.publish({ type: 'convert', conversionId: handle.conversionId, runId: handle.runId, event }),
      );
      void handle.done.then(() => {
        running.delete(handle.conversionId);
        events.publish({ type: 'runs-changed' });
      });
    },
    get: (conversionId) => running.get(conversionId),
    async cancelAll() {
      const all = [...running.values()];
      for (const handle of all) handle.cancel();
      await Promise.all(all.map((handle) => handle.done));
    },
  };
}
