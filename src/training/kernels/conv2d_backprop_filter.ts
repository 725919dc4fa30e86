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
// With the transposed im2col matrix Q[(a·kw + b)·Ci + c, m] = x[n, i·sh − pt + a, j·sw − pl + b, c],
// m = (n·Ho + i)·Wo + j (0 outside x), and dy as D[m, o]: dW (as [kh·kw·Ci, Co]) = Q · D. The GEMM runs in
// XNNPACK's fully-connected kernel (wasm BatchMatMul, no transposes, batch 1: its fast path) with the
// small D as its packed weights. Q is built by JS loops on the wasm heap from a channel-major copy of x
// ([Ci, N, H, W]), so every run along j reads x with stride sw instead of sw·Ci. (The other orientation,
// (Dᵀ·P)ᵀ with the plain im2col P, makes XNNPACK repack the big P as weights on every call: 2-3× slower.)

import type { Conv2DBackpropFilterAttrs, KernelConfig, KernelFunc } from '@tensorflow/tfjs-core';
import { backend_util, Conv2DBackpropFilter } from '@tensorflow/tfjs-core';
import { type PatchGeometry, patchGeometry } from './patch-geometry.ts';
import { type BackendWasm, callWasm, f32, free, type TensorInfo } from './wasm_util.ts';

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
  const g = patchGeometry(info);
  const { N, H, W, Ci, Co, Ho, Wo, kh, kw } = g;
  const K = kh * kw * Ci;
  const M = N * Ho * Wo;

  const q = backend.makeOutput([1, K, M], 'float32');
  const xT = new Float32Array(N * H * W * Ci);
  transpose2d(f32(backend, x), xT, N * H * W, Ci);
  im2colT(xT, f32(backend, q), g);
  const d = callWasm('Reshape', backend, { x: dy }, { shape: [1, M, Co] });
  const prod = callWasm('BatchMatMul', backend, { a: q, b: d }, { transposeA: false, transposeB: false });
  free(backend, q, d);
  const out = callWasm('Reshape', backend, { x: prod }, { shape: [kh, kw, Ci, Co] });
  free(backend, prod);
  return out;
}

/**
 * Q[(a·kw + b)·Ci + c, (n·Ho + i)·Wo + j] = xT[c, n, i·sh − pt + a, j·sw − pl + b], zero outside x,
 * where xT is x in channel-major layout [Ci, N, H, W].
 */
export function im2colT(xT: Float32Array, Q: Float32Array, g: PatchGeometry): void {
  const { N, H, W, Ci, Ho, Wo, kh, kw, sh, sw, pt, pl } = g;
  const M = N * Ho * Wo;
  for (let a = 0; a < kh; a++) {
    for (let b = 0; b < kw; b++) {
      // Output columns j whose input column j·sw − pl + b lies inside [0, W).
      const jLo = Math.min(Wo, Math.max(0, Math.ceil((pl - b) / sw)));
      const jHi = Math.max(jLo, Math.min(Wo, Math.floor((W - 1 + pl - b) / sw) + 1));
      for (let c = 0; c < Ci; c++) {
        let dst = ((a * kw + b) * Ci + c) * M;
        for (let n = 0; n < N; n++) {
          const plane = (c * N + n) * H * W;
          for (let i = 0; i < Ho; i++, dst += Wo) {
            const h = i * sh - pt + a;
            if (h < 0 || h >= H || jLo >= jHi) {
              Q.fill(0, dst, dst + Wo);
              continue;
            }
            for (let j = 0; j < jLo; j++) Q[dst + j] = 0;
            for (let j = jHi; j < Wo; j++) Q[dst + j] = 0;
            let src = plane + h * W + jLo * sw - pl + b;
            for (let j = jLo; j < jHi; j++, src += sw) Q[dst + j] = xT[src] as number;
          }
        }
      }
    }
  }
}

/** dst[c·rows + r] = src[r·cols + c] */
export function transpose2d(src: Float32Array, dst: Float32Array, rows: number, cols: number): void {
  for (let r = 0; r < rows; r++) {
    let s = r * cols;
    for (let c = 0; c < cols; c++) dst[c * rows + r] = src[s++] as number;
  }
}

export const conv2DBackpropFilterConfig: KernelConfig = {
  kernelName: Conv2DBackpropFilter,
  backendName: 'wasm',
  kernelFunc: conv2DBackpropFilter as unknown as KernelFunc,
};
