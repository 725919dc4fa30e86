// The host's event bus: job events and "runs changed" nudges, fanned out to every window
// (Electron IPC) and every browser (the web host's bridge).
import type { HostEvent } from '../shared/contract.ts';

export interface EventBus {
  publish(event: HostEvent): void;
  subscribe(listener: (event: HostEvent) => void): () => void;
}

export function createEventBus(): EventBus {
  const listeners = new Set<(event: HostEvent) => void>();
  return {
    publish(event) {
      for (const listener of listeners) {
        try {
          listener(event);
        } catch (error) {
          console.error('[diptych] an event listener failed:', error);
        }
      }
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
