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

import { rand, relErr } from './numeric.ts';

export { rand, relErr };

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
