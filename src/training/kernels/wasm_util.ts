// Shared plumbing for the wasm kernels of Diptych's kernel pack.
//
// Why: the pack's kernels are compositions (a JS loop on the wasm heap plus one of wasm's XNNPACK-backed
// kernels). Calling those wasm kernels through the engine (tf.conv2d, tf.matMul) inside a kernel would
// record them on the gradient tape and in tf.profile a second time, so the pack calls the registered
// wasm kernel functions directly and frees its intermediates itself.
//
// Heap views: a Float32Array over the wasm heap is detached when the heap grows, and any allocation
// (makeOutput, another kernel) can grow it. Take views with f32() only after the last allocation.

import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import type { NamedAttrMap, TensorInfo } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';

export type { BackendWasm, TensorInfo };

/** Runs the wasm kernel registered under `name` (wasm's own, or the pack's) without the engine. */
export function callWasm(
  name: string,
  backend: BackendWasm,
  inputs: Record<string, TensorInfo>,
  attrs: NamedAttrMap = {},
): TensorInfo {
  const k = tf.getKernel(name, 'wasm');
  if (k == null) throw new Error(`wasm kernel ${name} is not registered`);
  return k.kernelFunc({ inputs, attrs, backend }) as TensorInfo;
}

/** A float32 view of a tensor on the wasm heap (valid until the next allocation). */
export function f32(backend: BackendWasm, t: TensorInfo): Float32Array {
  return backend.typedArrayFromHeap(t) as Float32Array;
}

export function free(backend: BackendWasm, ...ts: TensorInfo[]): void {
  for (const t of ts) backend.disposeData(t.dataId);
}

/** A new float32 tensor on the wasm heap holding `values`. */
export function upload(backend: BackendWasm, shape: number[], values: Float32Array): TensorInfo {
  return backend.makeOutput(shape, 'float32', undefined, values);
}

export function reshape(backend: BackendWasm, x: TensorInfo, shape: number[]): TensorInfo {
  return callWasm('Reshape', backend, { x }, { shape });
}

export function dim(shape: readonly number[], i: number): number {
  const d = shape[i];
  if (d === undefined) throw new Error(`shape ${JSON.stringify(shape)} has no dimension ${i}`);
  return d;
}
