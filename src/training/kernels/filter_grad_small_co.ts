// The filter gradient of a stride-1 convolution with very few output channels (Co ≤ 4: the ResNet
// generator's last 7×7 layer, 3 channels), as a GEMM oriented so that the tiny Co does not starve it.
//
// Why: as the im2col GEMM of conv2d_backprop_filter.ts this shape is Q [kh·kw·Ci, pixels] · D [pixels, Co]
// with Co = 3: XNNPACK's micro-kernels are 8 columns wide, so 5/8 of their work is padding, and building Q
// (6.4 M floats at 64 px, element by element) costs as much again: ~0.7 GMAC/s against 5–8 for the
// residual blocks (21 ms per call at 64 px; this route: ~5 ms). A plain JS loop with the sums in
// registers was tried too: 48 ms (JS does ~0.6 GMAC/s).
//
// Math (stride 1, top/left padding pt/pl, filter [kh, kw, Ci, Co]): x zero-padded into rows of width
// Wp = max(W + pl, Wo + kw − 1), channel-major (xp[c][n][row·Wp + col]), and dy in rows of the same width
// (d[o][n][i·Wp + j] = dy[n, i, j, o] for j < Wo, 0 for j ≥ Wo). Then, with p = i·Wp + j over every output
// pixel (the zero columns j ≥ Wo add nothing, and j + b < Wp never wraps a row),
//   dW[a, b, c, o] = Σ_n Σ_p xp[c][n][a·Wp + b + p] · d[o][n][p] = Σ_n Σ_q xp[c][n][a·Wp + q] · d[o][n][q − b]
// (q = p + b). That is one GEMM with the taps split between its two sides:
//   A[(a, c), (n, q)] = xp[c][n][a·Wp + q]         — contiguous runs of x: kh·Ci rows, no im2col
//   B[(n, q), (b, o)] = d[o][n][q − b]             — dy shifted by each b: kw·Co columns (21 for 7×7, Co 3)
//   C[(a, c), (b, o)] = dW[a, b, c, o].
// Against the im2col GEMM (Q [kh·kw·Ci, pixels] · D [pixels, Co]) A is kw times smaller and the GEMM is
// kw times wider, which XNNPACK's 8-column micro-kernels use. It runs in wasm's BatchMatMul (XNNPACK
// fully connected, B as the per-call packed weights: N·(Ho·Wp + kw − 1) × kw·Co floats, small).

import type { PatchGeometry } from './patch-geometry.ts';
import { type BackendWasm, callWasm, f32, free, type TensorInfo } from './wasm_util.ts';

/** Where this route applies: stride 1, at most this many output channels. */
export const SMALL_CO_MAX = 4;

/** A (kh·Ci × N·L floats) must stay below this (64 MB), or the chunked im2col route runs. */
const MAX_A_FLOATS = 1 << 24;

export function smallCoFilterGradApplies(g: PatchGeometry): boolean {
  if (g.Co > SMALL_CO_MAX || g.sh !== 1 || g.sw !== 1) return false;
  return g.kh * g.Ci * g.N * layout(g).L <= MAX_A_FLOATS;
}

interface Layout {
  Wp: number;
  /** Floats per padded (channel, sample) plane of x, and the GEMM's reduction per sample. */
  plane: number;
  L: number;
}

function layout(g: PatchGeometry): Layout {
  const { H, W, Ho, Wo, kh, kw, pt, pl } = g;
  const Wp = Math.max(W + pl, Wo + kw - 1);
  // Rows for x's top padding and for every tap below the last output row; A's runs end kw − 1 past it.
  const Hp = Math.max(H + pt, Ho + kh - 1) + 1;
  return { Wp, plane: Hp * Wp, L: Ho * Wp + kw - 1 };
}

/** A[(a·Ci + c), n·L + q] = xp[c][n][a·Wp + q], from x [N, H, W, Ci] (NHWC). */
export function buildA(x: Float32Array, A: Float32Array, g: PatchGeometry, lay: Layout): void {
  const { N, H, W, Ci, kh, pt, pl } = g;
  const { Wp, plane, L } = lay;
  const xp = new Float32Array(Ci * N * plane);
  for (let n = 0; n < N; n++) {
    for (let h = 0; h < H; h++) {
      let src = (n * H + h) * W * Ci;
      const row = (h + pt) * Wp + pl;
      for (let w = 0; w < W; w++, src += Ci) {
        for (let c = 0; c < Ci; c++) xp[(c * N + n) * plane + row + w] = x[src + c] as number;
      }
    }
  }
  const K = N * L;
  for (let a = 0; a < kh; a++) {
    for (let c = 0; c < Ci; c++) {
      for (let n = 0; n < N; n++) {
        const from = (c * N + n) * plane + a * Wp;
        A.set(xp.subarray(from, from + L), (a * Ci + c) * K + n * L);
      }
    }
  }
}

/** B[n·L + q, b·Co + o] = dy[n, i, j, o] where q − b = i·Wp + j, j < Wo; 0 elsewhere. */
export function buildB(dy: Float32Array, B: Float32Array, g: PatchGeometry, lay: Layout): void {
  const { N, Co, Ho, Wo, kw } = g;
  const { Wp, L } = lay;
  const cols = kw * Co;
  B.fill(0);
  for (let n = 0; n < N; n++) {
    for (let i = 0; i < Ho; i++) {
      for (let j = 0; j < Wo; j++) {
        const src = ((n * Ho + i) * Wo + j) * Co;
        const p = n * L + i * Wp + j;
        for (let b = 0; b < kw; b++) {
          const dst = (p + b) * cols + b * Co;
          for (let o = 0; o < Co; o++) B[dst + o] = dy[src + o] as number;
        }
      }
    }
  }
}

/** dW [kh, kw, Ci, Co] of a stride-1 convolution with few output channels, from x and dy (NHWC). */
export function smallCoFilterGrad(x: TensorInfo, dy: TensorInfo, backend: BackendWasm, g: PatchGeometry): TensorInfo {
  if (!smallCoFilterGradApplies(g)) throw new Error('smallCoFilterGrad: needs stride 1 and at most 4 output channels');
  const { N, Ci, Co, kh, kw } = g;
  const lay = layout(g);
  const K = N * lay.L;
  const a = backend.makeOutput([1, kh * Ci, K], 'float32');
  const b = backend.makeOutput([1, K, kw * Co], 'float32');
  buildA(f32(backend, x), f32(backend, a), g, lay);
  buildB(f32(backend, dy), f32(backend, b), g, lay);
  const c = callWasm('BatchMatMul', backend, { a, b }, { transposeA: false, transposeB: false });
  free(backend, a, b);
  const dw = backend.makeOutput([kh, kw, Ci, Co], 'float32');
  const src = f32(backend, c);
  const dst = f32(backend, dw);
  // C[(a·Ci + c), b·Co + o] → dW[((a·kw + b)·Ci + c)·Co + o]
  for (let ta = 0; ta < kh; ta++)
    for (let ci = 0; ci < Ci; ci++)
      for (let tb = 0; tb < kw; tb++)
        for (let o = 0; o < Co; o++)
          dst[((ta * kw + tb) * Ci + ci) * Co + o] = src[(ta * Ci + ci) * kw * Co + tb * Co + o] as number;
  free(backend, c);
  return dw;
}
