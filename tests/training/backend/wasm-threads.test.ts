// The wasm thread pool's size for a job, from its networks' shapes (backend/wasm-threads.ts): one thread
// for small networks, whatever the preset is called, one per core (up to 4) for big ones.
import { describe, expect, it } from 'vitest';
import { buildCoGanConfig, buildCycleGanConfig, PRESETS } from '../../../src/shared/run-config.ts';
import {
  MAX_DEFAULT_THREADS,
  networkUnits,
  SMALL_NETWORK_UNITS,
  trainingShapes,
  wasmThreadsFor,
} from '../../../src/training/backend/wasm-threads.ts';

const folders = { dataA: '/a', dataB: '/b' };
const cycle = (preset: Parameters<typeof buildCycleGanConfig>[0], overrides = {}) =>
  trainingShapes(buildCycleGanConfig(preset, { ...folders, ...overrides }));

describe('wasmThreadsFor', () => {
  it.each([2, 4, 8])('gives the tiny and demo presets one thread on %i cores', (cores) => {
    expect(wasmThreadsFor(cycle('tiny'), cores)).toBe(1);
    expect(wasmThreadsFor(cycle('demo'), cores)).toBe(1);
  });

  it('decides by the shapes, not by the preset: a wider demo stays small, a tiny preset at 128 px is big', () => {
    expect(wasmThreadsFor(cycle('demo', { ngf: 16, ndf: 16 }), 8)).toBe(1);
    expect(wasmThreadsFor(cycle('demo', { ngf: 32, ndf: 32, cropSize: 64, loadSize: 72 }), 8)).toBe(1);
    expect(wasmThreadsFor(cycle('tiny', { ngf: 32, ndf: 32, cropSize: 128, loadSize: 143 }), 8)).toBe(4);
    // The same shapes under either preset name: the same count.
    expect(wasmThreadsFor(cycle('quick', { ngf: 8, ndf: 8, cropSize: 32, loadSize: 36 }), 4)).toBe(1);
  });

  it('gives the bigger presets one thread per core, up to 4', () => {
    for (const preset of ['quick', 'standard', 'paper'] as const) {
      expect(wasmThreadsFor(cycle(preset), 2)).toBe(2);
      expect(wasmThreadsFor(cycle(preset), 16)).toBe(MAX_DEFAULT_THREADS);
    }
  });

  it('gives one thread on a one-core machine, and the per-core default without shapes', () => {
    expect(wasmThreadsFor(cycle('paper'), 1)).toBe(1);
    expect(wasmThreadsFor(null, 1)).toBe(1);
    expect(wasmThreadsFor(null, 2)).toBe(2);
    expect(wasmThreadsFor(null, 64)).toBe(MAX_DEFAULT_THREADS);
  });

  it('draws the line at SMALL_NETWORK_UNITS of batch × side² × width²', () => {
    const below = { batch: 2, imageSide: 64, width: 31 };
    const at = { batch: 2, imageSide: 64, width: 32 };
    expect(networkUnits(below)).toBeLessThan(SMALL_NETWORK_UNITS);
    expect(networkUnits(at)).toBe(SMALL_NETWORK_UNITS);
    expect(wasmThreadsFor(below, 2)).toBe(1);
    expect(wasmThreadsFor(at, 2)).toBe(2);
  });
});

describe('trainingShapes', () => {
  it('reads side, batch and the wider of the two networks from a CycleGAN config', () => {
    expect(cycle('tiny')).toEqual({ batch: 1, imageSide: 32, width: 8 });
    expect(cycle('quick')).toEqual({ batch: 1, imageSide: 64, width: 64 });
    expect(cycle('tiny', { ngf: 8, ndf: 24 }).width).toBe(24);
    expect(PRESETS.tiny.defaults.cropSize).toBe(32);
  });

  it('counts a CoGAN batch', () => {
    const config = buildCoGanConfig('tiny', folders);
    expect(trainingShapes(config)).toEqual({ batch: config.batchSize, imageSide: 32, width: 8 });
  });
});
