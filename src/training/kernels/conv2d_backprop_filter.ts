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
// Stride-1 layers with at most 4 output channels (the generator's last layer) take a direct route instead
// (filter_grad_small_co.ts): a GEMM with 3 columns starves XNNPACK.

import type { Conv2DBackpropFilterAttrs, KernelConfig, KernelFunc } from '@tensorflow/tfjs-core';
import { backend_util, Conv2DBackpropFilter } from '@tensorflow/tfjs-core';
import { smallCoFilterGrad, smallCoFilterGradApplies } from './filter_grad_small_co.ts';
import { backpropFilterConvInfo, type PatchGeometry, patchGeometry } from './patch-geometry.ts';
import { type BackendWasm, callWasm, f32, free, type TensorInfo } from './wasm_util.ts';

/**
 * Q is built and multiplied in chunks of output rows of at most this many floats (16 MB), and the chunks'
 * products summed: on large maps the whole Q is hundreds of MB (the 128 px generator's last 7x7 layer:
 * 205 MB), which the wasm heap must grow to hold (and never gives back). Smaller, cache-sized chunks were
 * measured too (256K floats): no faster at 64 px (the GEMM's per-call cost eats the cache gain).
 */
const DEFAULT_CHUNK_FLOATS = 1 << 22;
/** The GEMM's reduction (pixels per chunk) is kept at least this long, so chunking never starves it. */
const DEFAULT_MIN_CHUNK_PIXELS = 256;
let chunkFloats = DEFAULT_CHUNK_FLOATS;
let minChunkPixels = DEFAULT_MIN_CHUNK_PIXELS;
/** Tests: force small chunks (null restores the defaults). */
export function setFilterGradChunking(sizes: { floats: number; minPixels: number } | null): void {
  chunkFloats = sizes?.floats ?? DEFAULT_CHUNK_FLOATS;
  minChunkPixels = sizes?.minPixels ?? DEFAULT_MIN_CHUNK_PIXELS;
}

interface Chunk {
  n0: number;
  n1: number;
  i0: number;
  i1: number;
}

/** The whole batch at once when Q is small; else one sample's output rows i0 … i1 − 1 at a time. */
function chunks(g: PatchGeometry, K: number): Chunk[] {
  const { N, Ho, Wo } = g;
  if (K * N * Ho * Wo <= chunkFloats) return [{ n0: 0, n1: N, i0: 0, i1: Ho }];
  const rows = Math.min(Ho, Math.max(1, Math.floor(chunkFloats / (K * Wo)), Math.ceil(minChunkPixels / Wo)));
  const out: Chunk[] = [];
  for (let n = 0; n < N; n++)
    for (let i0 = 0; i0 < Ho; i0 += rows) out.push({ n0: n, n1: n + 1, i0, i1: Math.min(Ho, i0 + rows) });
  return out;
}

export function conv2DBackpropFilter(args: {
  inputs: { x: TensorInfo; dy: TensorInfo };
  backend: BackendWasm;
  attrs: Conv2DBackpropFilterAttrs;
}): TensorInfo {
  const { inputs, backend, attrs } = args;
  const { x, dy } = inputs;
  const { dataFormat } = attrs;
  const fmt = backend_util.convertConv2DDataFormat(dataFormat);
  if (fmt !== 'channelsLast') throw new Error(`wasm Conv2DBackpropFilter supports only NHWC, got ${dataFormat}`);
  const info = backpropFilterConvInfo(x.shape, attrs);
  const g = patchGeometry(info);
  const { N, H, W, Ci, Co, Ho, Wo, kh, kw } = g;
  const K = kh * kw * Ci;
  if (smallCoFilterGradApplies(g)) {
    return smallCoFilterGrad(x, dy, backend, g);
  }

  const xT = new Float32Array(N * H * W * Ci);
  transpose2d(f32(backend, x), xT, N * H * W, Ci);
  const parts = chunks(g, K);
  let out: TensorInfo | null = null;
  for (const part of parts) {
    const M = (part.n1 - part.n0) * (part.i1 - part.i0) * Wo;
    const q = backend.makeOutput([1, K, M], 'float32');
    let d: TensorInfo;
    if (parts.length === 1) {
      d = callWasm('Reshape', backend, { x: dy }, { shape: [1, M, Co] });
    } else {
      d = backend.makeOutput([1, M, Co], 'float32');
      const from = (part.n0 * Ho + part.i0) * Wo * Co;
      f32(backend, d).set(f32(backend, dy).subarray(from, from + M * Co));
    }
    im2colT(xT, f32(backend, q), g, part);
    const prod = callWasm('BatchMatMul', backend, { a: q, b: d }, { transposeA: false, transposeB: false });
    free(backend, q, d);
    if (out == null) {
      out = prod;
    } else {
      const acc = f32(backend, out);
      const add = f32(backend, prod);
      for (let i = 0; i < acc.length; i++) acc[i] = (acc[i] as number) + (add[i] as number);
      free(backend, prod);
    }
  }
  if (out == null) throw new Error('wasm Conv2DBackpropFilter: empty output');
  const result = callWasm('Reshape', backend, { x: out }, { shape: [kh, kw, Ci, Co] });
  free(backend, out);
  return result;
}

/**
 * Q[(a·kw + b)·Ci + c, m] = xT[c, n, i·sh − pt + a, j·sw − pl + b], zero outside x, for the samples
 * n0 … n1 − 1 and output rows i0 … i1 − 1 of the chunk (all of them by default), m counting the chunk's
 * pixels ((n − n0)·(i1 − i0) + i − i0)·Wo + j. xT is x in channel-major layout [Ci, N, H, W].
 */
export function im2colT(
  xT: Float32Array,
  Q: Float32Array,
  g: PatchGeometry,
  part: Chunk = { n0: 0, n1: g.N, i0: 0, i1: g.Ho },
): void {
  const { N, H, W, Ci, Wo, kh, kw, sh, sw, pt, pl } = g;
  const { n0, n1, i0, i1 } = part;
  const M = (n1 - n0) * (i1 - i0) * Wo;
  for (let a = 0; a < kh; a++) {
    for (let b = 0; b < kw; b++) {
      // Output columns j whose input column j·sw − pl + b lies inside [0, W).
      const jLo = Math.min(Wo, Math.max(0, Math.ceil((pl - b) / sw)));
      const jHi = Math.max(jLo, Math.min(Wo, Math.floor((W - 1 + pl - b) / sw) + 1));
      for (let c = 0; c < Ci; c++) {
        let dst = ((a * kw + b) * Ci + c) * M;
        for (let n = n0; n < n1; n++) {
          const plane = (c * N + n) * H * W;
          for (let i = i0; i < i1; i++, dst += Wo) {
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
