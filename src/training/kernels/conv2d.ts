// Conv2D for wasm, for big filters on small feature maps: im2col + one XNNPACK GEMM; every other
// convolution goes to tfjs-backend-wasm's own Conv2D (XNNPACK's indirect convolution).
//
// Why: wasm's Conv2D builds an XNNPACK operator per filter tensor, and to build it transposes the filter
// from [kh·kw·Ci, Co] to [Co, kh·kw·Ci] with a plain strided loop and packs it. In training the optimiser
// replaces every weight tensor each step, so this happens once per step per layer; for the PatchGAN's
// 4x4x256x512 filter it costs ~3x the convolution itself (measured: 58 ms of packing vs 17 ms of conv).
// Through wasm's BatchMatMul the same filter is used as it is ([1, kh·kw·Ci, Co] is a free reshape) and
// XNNPACK packs it with its cache-friendly transposing packer, about 3x cheaper; the im2col copy this
// costs is small exactly when the feature map has fewer pixels than the layer has output channels.
//
// im2col (NHWC): P[m, (a·kw + b)·Ci + c] = x[n, i·sh − pt + a, j·sw − pl + b, c], m = (n·Ho + i)·Wo + j,
// zero outside x. For fixed m and a, the taps b are adjacent in x, so each in-bounds run of taps is one
// contiguous copy of (bHi − bLo)·Ci floats.

import type { Conv2DAttrs, KernelConfig, KernelFunc } from '@tensorflow/tfjs-core';
import { backend_util, Conv2D } from '@tensorflow/tfjs-core';
import { type PatchGeometry, patchGeometry } from './patch-geometry.ts';
import { type BackendWasm, callWasm, f32, free, type TensorInfo } from './wasm_util.ts';

type Args = { inputs: { x: TensorInfo; filter: TensorInfo }; backend: BackendWasm; attrs: Conv2DAttrs };

/** wasm's own Conv2D, captured when the pack registers (see index.ts). */
let stock: KernelConfig | null = null;
export function setStockConv2D(config: KernelConfig): void {
  stock = config;
}

/** 'auto' (by shape), or force one path (tests). */
export type Conv2DRoute = 'auto' | 'gemm' | 'stock';
let forcedRoute: Conv2DRoute = 'auto';
export function setConv2DRoute(route: Conv2DRoute): void {
  forcedRoute = route;
}

export function conv2D(args: Args): TensorInfo {
  const { inputs, backend, attrs } = args;
  const { x, filter } = inputs;
  const fmt = backend_util.convertConv2DDataFormat(attrs.dataFormat);
  const info = backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    filter.shape as [number, number, number, number],
    attrs.strides,
    attrs.dilations,
    attrs.pad,
    attrs.dimRoundingMode,
    false,
    fmt,
  );
  const plain = fmt === 'channelsLast' && info.dilationHeight === 1 && info.dilationWidth === 1;
  const M = info.batchSize * info.outHeight * info.outWidth;
  const route = forcedRoute === 'auto' ? (M <= info.outChannels ? 'gemm' : 'stock') : forcedRoute;
  if (!plain || route === 'stock') {
    if (stock == null) throw new Error('wasm Conv2D: the stock kernel was not captured');
    return stock.kernelFunc(args as unknown as Parameters<KernelFunc>[0]) as TensorInfo;
  }
  const g = patchGeometry(info);
  const { N, Ci, Co, Ho, Wo, kh, kw } = g;
  const K = kh * kw * Ci;
  const p = backend.makeOutput([1, M, K], 'float32');
  im2col(f32(backend, x), f32(backend, p), g);
  const w = callWasm('Reshape', backend, { x: filter }, { shape: [1, K, Co] });
  const y = callWasm('BatchMatMul', backend, { a: p, b: w }, { transposeA: false, transposeB: false });
  free(backend, p, w);
  const out = callWasm('Reshape', backend, { x: y }, { shape: [N, Ho, Wo, Co] });
  free(backend, y);
  return out;
}

/** P[m, (a·kw + b)·Ci + c] = x[n, i·sh − pt + a, j·sw − pl + b, c], zero outside x. */
export function im2col(x: Float32Array, P: Float32Array, g: PatchGeometry): void {
  const { N, H, W, Ci, Ho, Wo, kh, kw, sh, sw, pt, pl } = g;
  const K = kh * kw * Ci;
  const rowLen = kw * Ci;
  for (let n = 0; n < N; n++) {
    for (let i = 0; i < Ho; i++) {
      for (let j = 0; j < Wo; j++) {
        const base = ((n * Ho + i) * Wo + j) * K;
        const w0 = j * sw - pl;
        const bLo = Math.max(0, -w0);
        const bHi = Math.min(kw, W - w0);
        for (let a = 0; a < kh; a++) {
          const dst = base + a * rowLen;
          const h = i * sh - pt + a;
          if (h < 0 || h >= H || bLo >= bHi) {
            P.fill(0, dst, dst + rowLen);
            continue;
          }
          if (bLo > 0) P.fill(0, dst, dst + bLo * Ci);
          const src = ((n * H + h) * W + w0 + bLo) * Ci;
          P.set(x.subarray(src, src + (bHi - bLo) * Ci), dst + bLo * Ci);
          if (bHi < kw) P.fill(0, dst + bHi * Ci, dst + rowLen);
        }
      }
    }
  }
}

export const conv2DConfig: KernelConfig = {
  kernelName: Conv2D,
  backendName: 'wasm',
  // wasm's own Conv2D binds its C++ entry point in its setupFunc, which the engine runs at backend start
  // only for registered kernels; this registration replaces it, so it runs it on its behalf.
  setupFunc: (backend) => stock?.setupFunc?.(backend),
  kernelFunc: conv2D as unknown as KernelFunc,
};
