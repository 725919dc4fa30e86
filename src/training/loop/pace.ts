// The pace figures of the 'progress' event (images/s and ETA), averaged over the last few steps so
// one slow step (a preview, a checkpoint, the first compile) does not make them jump.

/** How many recent steps the images/s and ETA figures average over. */
export const PACE_WINDOW = 20;

export interface Pace {
  imagesPerSecond: number;
  etaSeconds: number;
}

export interface PaceMeter {
  /** Adds one step's duration and returns the figures with `stepsLeft` steps still to run. */
  record(elapsedMs: number, stepsLeft: number): Pace;
}

/** `imagesPerStep` is the batch size: a step of N images per domain counts N images. */
export function createPaceMeter(imagesPerStep: number, window = PACE_WINDOW): PaceMeter {
  const stepTimes: number[] = [];
  return {
    record(elapsedMs, stepsLeft) {
      stepTimes.push(elapsedMs);
      if (stepTimes.length > window) stepTimes.shift();
      const secondsPerStep = stepTimes.reduce((a, b) => a + b, 0) / stepTimes.length / 1000;
      return {
        imagesPerSecond: imagesPerStep / secondsPerStep,
        etaSeconds: Math.round(stepsLeft * secondsPerStep),
      };
    },
  };
}
