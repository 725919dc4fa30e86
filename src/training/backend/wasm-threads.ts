// How many threads the wasm backend's XNNPACK pool gets for a job, decided from the job's shapes before
// the backend starts (a pool's size is fixed once per process). Pure: no Node, no TensorFlow.
//
// Why not always one per core: a pool thread that finishes its share of an op spins while it waits for
// the others, and XNNPACK splits every op, however small. On small networks the ops are tens of
// microseconds, so the split buys little and the spinning and hand-offs cost about as much as it buys;
// on a busy machine a thread that is descheduled mid-op leaves the others spinning for a whole time slice,
// so the same steps burn 2× the CPU and take 4× the wall time (docs/PERFORMANCE.md, "Threads for small
// networks"). Big networks' ops (milliseconds each) gain 1.4–1.7× from a second thread.
import type { RunConfig } from '../../shared/run-config.ts';

/** What decides the pool's size: how much work one convolution of the run's networks does. */
export interface TrainingShapes {
  /** Images per step (CycleGAN trains on one). */
  batch: number;
  /** The side of the images the networks see (crop size). */
  imageSide: number;
  /** The networks' base width: the larger of the generator's and the discriminator's (ngf, ndf). */
  width: number;
}

/**
 * Below this many units of batch × side² × width² a training run gets one thread. A unit is about one
 * multiply-add of a ResNet generator's residual convolution per 9 taps: a step of the tiny and demo
 * presets (32 px, ngf 8) is 65 K units, 64 px at width 16 1 M, 64 px at width 32 4.2 M, the quick preset
 * (64 px, ndf 64) 16.7 M. Measured on this project's 2-core machine under other people's load
 * (docs/PERFORMANCE.md, "Threads for small networks"): a second thread made a step 2× slower and burn 2×
 * the CPU up to 1 M units, 10–36 % more CPU at 4.2 M, 6 % more at 16.7 M, where on a quiet machine it was
 * 1.2–1.5× faster. So the line is drawn above the sizes where the pool burns CPU and below quick.
 */
export const SMALL_NETWORK_UNITS = 1 << 23;

/** The most threads the default gives (more was never measured). */
export const MAX_DEFAULT_THREADS = 4;

export function trainingShapes(config: RunConfig): TrainingShapes {
  return {
    batch: config.model === 'cogan' ? config.batchSize : 1,
    imageSide: config.cropSize,
    width: Math.max(config.ngf, config.ndf),
  };
}

/** batch × side² × width²: proportional to one residual convolution's multiply-adds. */
export function networkUnits(shapes: TrainingShapes): number {
  return shapes.batch * shapes.imageSide ** 2 * shapes.width ** 2;
}

/**
 * The pool size for a job on a machine with `cores` logical processors: one thread for small networks
 * (and for any job on a 1-core machine), otherwise one per core up to MAX_DEFAULT_THREADS. `shapes` null
 * (a job whose networks are not known before the backend starts: convert, compare, the backend probe)
 * takes the per-core default. DIPTYCH_WASM_THREADS overrides this in the ladder, not here.
 */
export function wasmThreadsFor(shapes: TrainingShapes | null, cores: number): number {
  const perCore = Math.max(1, Math.min(Math.floor(cores), MAX_DEFAULT_THREADS));
  if (shapes == null) return perCore;
  return networkUnits(shapes) < SMALL_NETWORK_UNITS ? 1 : perCore;
}
