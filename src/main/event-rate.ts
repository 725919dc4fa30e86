// Training reports a metrics and a progress event for every step; a fast GPU run makes dozens
// a second for days. The windows and browsers do not need each one: this forwarder passes at
// most a few a second per run (always ending on the latest), so a long run stays smooth in the
// renderer. The full history stays in the store, and the charts load it downsampled.
import type { HostEvent } from '../shared/contract.ts';

export interface RateLimits {
  /** The shortest time between two forwarded metrics events of one run. */
  metricsMs: number;
  /** The same for progress events. */
  progressMs: number;
}

export const DEFAULT_RATE_LIMITS: RateLimits = { metricsMs: 200, progressMs: 250 };

type Kind = 'metrics' | 'progress';

interface Lane {
  last: number;
  held: HostEvent | null;
  timer: ReturnType<typeof setTimeout> | null;
}

export interface RateLimitedListener {
  listener: (event: HostEvent) => void;
  /** Drops what is held and stops the timers (the window or socket is gone). */
  close(): void;
}

export function rateLimited(
  send: (event: HostEvent) => void,
  limits: RateLimits = DEFAULT_RATE_LIMITS,
  now: () => number = Date.now,
): RateLimitedListener {
  const lanes = new Map<string, Lane>();
  const laneOf = (runId: string, kind: Kind): Lane => {
    const key = `${runId}\u0000${kind}`;
    let lane = lanes.get(key);
    if (!lane) {
      lane = { last: Number.NEGATIVE_INFINITY, held: null, timer: null };
      lanes.set(key, lane);
    }
    return lane;
  };
  const release = (lane: Lane) => {
    if (lane.timer) clearTimeout(lane.timer);
    lane.timer = null;
    const held = lane.held;
    lane.held = null;
    if (held) {
      lane.last = now();
      send(held);
    }
  };

  const listener = (event: HostEvent) => {
    if (event.type !== 'job') return send(event);
    const kind = event.event.type;
    if (kind !== 'metrics' && kind !== 'progress') {
      // Anything else (a checkpoint, the end) comes after the latest numbers, never before.
      for (const k of ['metrics', 'progress'] as const) release(laneOf(event.runId, k));
      return send(event);
    }
    const lane = laneOf(event.runId, kind);
    const wait = lane.last + (kind === 'metrics' ? limits.metricsMs : limits.progressMs) - now();
    if (wait <= 0 && !lane.timer) {
      lane.last = now();
      send(event);
      return;
    }
    lane.held = event;
    lane.timer ??= setTimeout(() => release(lane), Math.max(0, wait));
  };

  return {
    listener,
    close() {
      for (const lane of lanes.values()) if (lane.timer) clearTimeout(lane.timer);
      lanes.clear();
    },
  };
}
