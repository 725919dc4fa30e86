// Shared set-up for the WebGPU kernel pack tests: WebGPU in this process (Dawn from the `webgpu` package;
// on a machine without a GPU, SwiftShader through VK_ICD_FILENAMES), and cpu-vs-webgpu comparisons.
//
// On webgpu under Node, dataSync/arraySync cannot read (tfjs's synchronous read needs OffscreenCanvas):
// everything here reads with `await t.data()`.

import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
// tfjs-core's Node bundle registers no gradients; tfjs-layers' bundle registers all of them.
import '@tensorflow/tfjs-layers';
import { nodeGpu } from '../../../src/training/backend/node-webgpu.ts';
import { activateWebGpu } from '../../../src/training/backend/webgpu.ts';
import { registerWebGpuKernelPack } from '../../../src/training/kernels/webgpu/index.ts';

export const TOL = 1e-4;

/** Why WebGPU cannot run in this process, or null when an adapter answers. */
export async function webGpuUnavailable(): Promise<string | null> {
  try {
    const gpu = await nodeGpu();
    const adapter = await gpu.requestAdapter();
    return adapter ? null : 'no WebGPU adapter (no Vulkan driver: set VK_ICD_FILENAMES to SwiftShader’s ICD)';
  } catch (e) {
    return `WebGPU could not load: ${(e as Error).message}`;
  }
}

/** Activates webgpu (a software adapter allowed), registers the pack, and leaves 'cpu' active. */
export async function setupWebGpu(): Promise<string[]> {
  await activateWebGpu(await nodeGpu(), true);
  const names = registerWebGpuKernelPack();
  await tf.setBackend('cpu');
  return names;
}

/** Deterministic values in [-1, 1) (mulberry32). */
export function rand(n: number, seed: number): Float32Array {
  let a = seed >>> 0;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    out[i] = (((t ^ (t >>> 14)) >>> 0) / 4294967296) * 2 - 1;
  }
  return out;
}

/** max_i |a_i − ref_i| / max(1, max_i |ref_i|); NaN anywhere fails. */
export function relErr(a: ArrayLike<number>, ref: ArrayLike<number>): number {
  if (a.length !== ref.length) throw new Error(`length ${a.length} vs ${ref.length}`);
  let maxDiff = 0;
  let maxRef = 0;
  for (let i = 0; i < ref.length; i++) {
    const d = Math.abs((a[i] as number) - (ref[i] as number));
    if (!(d <= maxDiff)) maxDiff = d;
    maxRef = Math.max(maxRef, Math.abs(ref[i] as number));
  }
  return maxDiff / Math.max(1, maxRef);
}

export interface Run {
  values: Float32Array[];
  shapes: number[][];
}

/** Runs f on a backend and reads every output (asynchronously), leaving no tensor behind. */
export async function runOn(backend: 'cpu' | 'webgpu', f: () => tf.Tensor | tf.Tensor[]): Promise<Run> {
  await tf.setBackend(backend);
  const out = tf.tidy(f);
  const list = Array.isArray(out) ? out : [out];
  const values = (await Promise.all(list.map((t) => t.data()))) as Float32Array[];
  const shapes = list.map((t) => t.shape);
  for (const t of list) t.dispose();
  return { values, shapes };
}

/** f on webgpu against f on cpu: the worst relative error over the outputs (shapes must match). */
export async function compareWithCpu(f: () => tf.Tensor | tf.Tensor[]): Promise<number> {
  const ref = await runOn('cpu', f);
  const got = await runOn('webgpu', f);
  return worstErr(got, ref);
}

export function worstErr(got: Run, ref: Run): number {
  let err = 0;
  ref.values.forEach((r, i) => {
    if (JSON.stringify(got.shapes[i]) !== JSON.stringify(ref.shapes[i]))
      throw new Error(`output ${i}: shape ${got.shapes[i]} vs ${ref.shapes[i]}`);
    err = Math.max(err, relErr(got.values[i] as Float32Array, r));
  });
  return err;
}
