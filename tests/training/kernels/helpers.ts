// Shared helpers for the wasm kernel pack tests: run the same computation on 'cpu' and 'wasm' and compare.
//
// Relative error, as used throughout: relErr(a, ref) = max_i |a_i − ref_i| / max(1, max_i |ref_i|),
// i.e. the worst absolute error scaled by the reference's magnitude (never by less than 1, so tensors
// near zero are compared absolutely). The pack must stay below 1e-4.

import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
// tfjs-core's Node bundle registers no gradients; tfjs-layers' bundle registers all of them.
import '@tensorflow/tfjs-layers';
import { registerWasmKernelPack } from '../../../src/training/kernels/index.ts';
import { configureWasmThreads, letWasmThreadsExit } from '../../../src/training/kernels/threads.ts';

export const TOL = 1e-4;

export async function setup(): Promise<string[]> {
  // DIPTYCH_WASM_THREADS=2 runs the same comparisons on the threaded build (as the engine's ladder would).
  configureWasmThreads(Number(process.env.DIPTYCH_WASM_THREADS ?? '1'));
  await tf.setBackend('wasm');
  await tf.ready();
  letWasmThreadsExit();
  const names = registerWasmKernelPack();
  await tf.setBackend('cpu');
  await tf.ready();
  return names;
}

import { rand, relErr } from './numeric.ts';

export { rand, relErr };

/** Runs f on a backend and returns every output as a Float32Array (plus shapes). */
export function runOn(
  backend: 'cpu' | 'wasm',
  f: () => tf.Tensor | tf.Tensor[],
): { values: Float32Array[]; shapes: number[][] } {
  tf.setBackend(backend);
  return tf.tidy(() => {
    const out = f();
    const list = Array.isArray(out) ? out : [out];
    return { values: list.map((t) => t.dataSync() as Float32Array), shapes: list.map((t) => t.shape) };
  });
}

/** Compares f on wasm with f on cpu; returns the worst relative error over all outputs. */
export function compare(f: () => tf.Tensor | tf.Tensor[]): { err: number; maxAbs: number } {
  const ref = runOn('cpu', f);
  const got = runOn('wasm', f);
  let err = 0;
  let maxAbs = 0;
  ref.values.forEach((r, i) => {
    const g = got.values[i] as Float32Array;
    if (JSON.stringify(got.shapes[i]) !== JSON.stringify(ref.shapes[i])) {
      throw new Error(`shape ${got.shapes[i]} vs ${ref.shapes[i]}`);
    }
    err = Math.max(err, relErr(g, r));
    for (const v of r) maxAbs = Math.max(maxAbs, Math.abs(v));
  });
  tf.setBackend('cpu');
  return { err, maxAbs };
}
