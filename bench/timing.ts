import * as tf from '@tensorflow/tfjs-core';

// What a bench case measures, and the summary of its timed iterations: shared by every case file, so
// none of them imports the list of cases (bench/cases.ts) back.

export interface CaseTiming {
  median_ms: number;
  min_ms: number;
  iterations: number;
  images_per_s: number;
  tensors_before: number;
  tensors_after: number;
  /** Top kernels of one profiled iteration, when the case profiles one. */
  profile?: { kernel: string; ms: number; calls: number }[];
  /** What ran a conversion's network (convert cases): ONNX Runtime or TensorFlow.js, and how in words. */
  engine?: 'onnx' | 'tfjs';
  engine_note?: string;
  /** What a case that is not about images measures per second (rows/s for the store). */
  throughput?: { value: number; unit: string };
}

export function summarise(
  times: number[],
  imagesPerIteration: number,
): Pick<CaseTiming, 'median_ms' | 'min_ms' | 'iterations' | 'images_per_s'> {
  const sorted = [...times].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)] as number;
  return {
    median_ms: Math.round(median * 10) / 10,
    min_ms: Math.round((sorted[0] as number) * 10) / 10,
    iterations: times.length,
    images_per_s: Math.round((imagesPerIteration / (median / 1000)) * 1000) / 1000,
  };
}

/**
 * Runs `iteration` `warmup` times untimed, then `iters` times timed, and counts the live tensors
 * around the timed ones (a leak shows as a difference): every training case's measuring loop.
 */
export async function timeIterations(
  iteration: () => Promise<unknown>,
  warmup: number,
  iters: number,
): Promise<{ times: number[]; tensorsBefore: number; tensorsAfter: number }> {
  for (let i = 0; i < warmup; i++) await iteration();
  const tensorsBefore = tf.memory().numTensors;
  const times: number[] = [];
  for (let i = 0; i < iters; i++) {
    const started = performance.now();
    await iteration();
    times.push(performance.now() - started);
  }
  return { times, tensorsBefore, tensorsAfter: tf.memory().numTensors };
}
