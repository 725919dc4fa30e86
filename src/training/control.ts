// Pause, resume and stop for a job whose steps are synchronous: the host's commands arrive as
// messages, which Node can only deliver between steps, so the loop yields once per step and asks.
export interface JobControl {
  /**
   * `announced`: whoever paused has already told the host why (the NaN guard's own 'paused' event), so
   * the loop does not announce a second, generic pause that would replace that message.
   */
  pause(options?: { announced?: boolean }): void;
  resume(): void;
  stop(): void;
  readonly stopRequested: boolean;
  readonly pauseRequested: boolean;
  /** Yields to the event loop so queued commands are seen; then waits while paused (unless stopped). */
  checkpointBetweenSteps(onPause: () => void, onResume: () => void): Promise<void>;
}

export function createJobControl(): JobControl {
  let paused = false;
  let announced = false;
  let stopped = false;
  let wake: (() => void) | null = null;
  const wakeUp = () => {
    wake?.();
    wake = null;
  };
  return {
    pause: (options) => {
      paused = true;
      announced = options?.announced === true;
    },
    resume: () => {
      paused = false;
      wakeUp();
    },
    stop: () => {
      stopped = true;
      wakeUp();
    },
    get stopRequested() {
      return stopped;
    },
    get pauseRequested() {
      return paused;
    },
    async checkpointBetweenSteps(onPause, onResume) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      if (!paused || stopped) return;
      if (!announced) onPause();
      announced = false;
      while (paused && !stopped) await new Promise<void>((resolve) => (wake = resolve));
      if (!stopped) onResume();
    },
  };
}
