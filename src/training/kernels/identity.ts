// Identity and same-dtype Cast for wasm as aliases of their input (one more reference to the same
// heap buffer) instead of full copies.
//
// Why: the tfjs engine clones every tensor it saves for a backward pass (engine.clone runs Identity)
// and the clone's gradient is a float32 Cast; tf.moments casts its input too. tfjs-backend-wasm 4.22
// implements both as a fresh allocation plus a copy: ~3,400 full-size copies per 64 px CycleGAN
// iteration. tfjs-backend-cpu already aliases (incRef), and wasm's own Reshape does the same, so
// sharing a buffer is safe: no wasm kernel, nor any kernel of this pack, writes into its inputs.

import type { CastAttrs, KernelConfig, KernelFunc } from '@tensorflow/tfjs-core';
import { Cast, Identity } from '@tensorflow/tfjs-core';
import type { BackendWasm, TensorInfo } from './wasm_util.ts';

type Args = { inputs: { x: TensorInfo }; backend: BackendWasm; attrs?: Partial<CastAttrs> };

/** wasm's own Cast, captured when the pack registers (see index.ts): it converts between dtypes. */
let stockCast: KernelConfig | null = null;
export function setStockCast(config: KernelConfig): void {
  stockCast = config;
}

function alias(backend: BackendWasm, x: TensorInfo): TensorInfo {
  backend.incRef(x.dataId);
  return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
}

export function identity(args: Args): TensorInfo {
  if (args.inputs.x.dtype === 'string') throw new Error('wasm Identity: string tensors are not supported');
  return alias(args.backend, args.inputs.x);
}

export function cast(args: Args): TensorInfo {
  const { x } = args.inputs;
  if (args.attrs?.dtype === x.dtype && x.dtype !== 'string') return alias(args.backend, x);
  if (stockCast == null) throw new Error('wasm Cast: the stock kernel was not captured');
  return stockCast.kernelFunc(args as unknown as Parameters<KernelFunc>[0]) as TensorInfo;
}

export const identityConfig: KernelConfig = {
  kernelName: Identity,
  backendName: 'wasm',
  kernelFunc: identity as unknown as KernelFunc,
};

export const castConfig: KernelConfig = {
  kernelName: Cast,
  backendName: 'wasm',
  kernelFunc: cast as unknown as KernelFunc,
};
