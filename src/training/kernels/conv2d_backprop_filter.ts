// Conv2DBackpropFilter for wasm: the gradient of a 2-D convolution with respect to its filter.
//
// Why: tfjs-backend-wasm 4.22 registers no Conv2DBackpropFilter, so no convolution can be trained on
// wasm at all. The obvious rewrite as a forward convolution, dW = conv(xᵀ, dyᵀ) with dilation = stride,
// hands XNNPACK a "filter" the size of the whole feature map with one input channel per tap, which its
// indirect GEMM runs badly (2.8 s of a 64 px CycleGAN iteration in a probe). This kernel does one
// well-shaped GEMM instead.
//
// Math (NHWC, filter [kh, kw, Ci, Co], stride s, dilation 1, top/left padding pt/pl):
//   dW[a, b, c, o] = Σ_{n,i,j} x[n, i·sh − pt + a, j·sw − pl + b, c] · dy[n, i, j, o]
// Let P be the transposed im2col matrix, P[(a·kw + b)·Ci + c, (n·Ho + i)·Wo + j] = x[n, i·sh − pt + a,
// j·sw − pl + b, c] (0 outside x). Then dW (reshaped to [kh·kw·Ci, Co]) = P · dy (reshaped to
// [N·Ho·Wo, Co]): P is built by a JS loop on the wasm heap, the product runs in XNNPACK's fully-connected
// GEMM (wasm BatchMatMul without transposes, batch 1, is its fast path).

import { backend_util, Conv2DBackpropFilter } from '@tensorflow/tfjs-core';
import type { Conv2DBackpropFilterAttrs, KernelConfig, KernelFunc } from '@tensorflow/tfjs-core';
import { type BackendWasm, callWasm, f32, free, reshape, type TensorInfo } from './wasm_util.ts';

export function conv2DBackpropFilter(args: {
  inputs: { x: TensorInfo; dy: TensorInfo };
  backend: BackendWasm;
  attrs: Conv2DBackpropFilterAttrs;
}): TensorInfo {
  const { inputs, backend, attrs } = args;
  const { x, dy } = inputs;
  const { strides, pad, dataFormat, dimRoundingMode, filterShape } = attrs;
  const fmt = backend_util.convertConv2DDataFormat(dataFormat);
  if (fmt !== 'channelsLast') throw new Error(`wasm Conv2DBackpropFilter supports only NHWC, got ${dataFormat}`);
  const info = backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    filterShape,
    strides,
    1,
    pad,
    dimRoundingMode,
    false,
    fmt,
  );
  const { batchSize: N, inHeight: H, inWidth: W, inChannels: Ci, outChannels: Co } = info;
  const { outHeight: Ho, outWidth: Wo, strideHeight: sh, strideWidth: sw } = info;
  const { filterHeight: kh, filterWidth: kw } = info;
  const pt = info.padInfo.top;
  const pl = info.padInfo.left;
  const K = kh * kw * Ci;
  const M = N * Ho * Wo;

  const cols = backend.makeOutput([1, K, M], 'float32');
  const dy2 = reshape(backend, dy, [1, M, Co]);
  const P = f32(backend, cols);
  const X = f32(backend, x);
  im2colT(X, P, N, H, W, Ci, Ho, Wo, kh, kw, sh, sw, pt, pl);
  const prod = callWasm('BatchMatMul', backend, { a: cols, b: dy2 }, { transposeA: false, transposeB: false });
  free(backend, cols, dy2);
  const out = reshape(backend, prod, [kh, kw, Ci, Co]);
  free(backend, prod);
  return out;
}

/** P[(a·kw + b)·Ci + c, (n·Ho + i)·Wo + j] = x[n, i·sh − pt + a, j·sw − pl + b, c], zero outside x. */
export function im2colT(
  X: Float32Array,
  P: Float32Array,
  N: number,
  H: number,
  W: number,
  Ci: number,
  Ho: number,
  Wo: number,
  kh: number,
  kw: number,
  sh: number,
  sw: number,
  pt: number,
  pl: number,
): void {
  const M = N * Ho * Wo;
  const rowStride = W * Ci;
  const colStep = sw * Ci;
  for (let a = 0; a < kh; a++) {
    for (let b = 0; b < kw; b++) {
      // Output columns j whose input column j·sw − pl + b lies inside [0, W).
      const jLo = Math.max(0, Math.ceil((pl - b) / sw));
      const jHi = Math.min(Wo, Math.floor((W - 1 + pl - b) / sw) + 1);
      for (let c = 0; c < Ci; c++) {
        const rowBase = ((a * kw + b) * Ci + c) * M;
        for (let n = 0; n < N; n++) {
          for (let i = 0; i < Ho; i++) {
            const dst = rowBase + (n * Ho + i) * Wo;
            const h = i * sh - pt + a;
            if (h < 0 || h >= H || jLo >= jHi) {
              P.fill(0, dst, dst + Wo);
              continue;
            }
            if (jLo > 0) P.fill(0, dst, dst + jLo);
            if (jHi < Wo) P.fill(0, dst + jHi, dst + Wo);
            let src = (n * H + h) * rowStride + (jLo * sw - pl + b) * Ci + c;
            for (let j = jLo; j < jHi; j++) {
              P[dst + j] = X[src] as number;
              src += colStep;
            }
          }
        }
      }
    }
  }
}

export const conv2DBackpropFilterConfig: KernelConfig = {
  kernelName: Conv2DBackpropFilter,
  backendName: 'wasm',
  kernelFunc: conv2DBackpropFilter as unknown as KernelFunc,
};

