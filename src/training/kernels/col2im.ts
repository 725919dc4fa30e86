// col2im: the scatter-add that turns per-tap products back into an image, for convolution gradients
// computed as one GEMM (see conv2d_backprop_input.ts, GEMM route).
//
// Why a JS loop: tfjs-backend-wasm has no such kernel, and its cost is linear in the GEMM's output
// (kh·kw·Ci × N·Ho·Wo floats), small next to the GEMM's kh·kw·Ci × Co × N·Ho·Wo multiply-adds whenever
// Co is not tiny; the dispatcher only picks this route when that holds.
//
// Layout (NHWC, as im2colT in conv2d_backprop_filter.ts, read the other way):
//   dx[n, i·sh − pt + a, j·sw − pl + b, c] += C[(a·kw + b)·Ci + c, (n·Ho + i)·Wo + j]   (inside dx only)

import type { PatchGeometry } from './patch-geometry.ts';

/** dx (N·H·W·Ci floats, zeroed here) = col2im(C), C as [kh·kw·Ci, N·Ho·Wo]. */
export function col2imT(C: Float32Array, dx: Float32Array, g: PatchGeometry): void {
  const { N, H, W, Ci, Ho, Wo, kh, kw, sh, sw, pt, pl } = g;
  dx.fill(0, 0, N * H * W * Ci);
  const M = N * Ho * Wo;
  const step = sw * Ci;
  for (let a = 0; a < kh; a++) {
    // Rows i whose input row i·sh − pt + a lies inside [0, H).
    const iLo = Math.min(Ho, Math.max(0, Math.ceil((pt - a) / sh)));
    const iHi = Math.max(iLo, Math.min(Ho, Math.floor((H - 1 + pt - a) / sh) + 1));
    for (let b = 0; b < kw; b++) {
      const jLo = Math.min(Wo, Math.max(0, Math.ceil((pl - b) / sw)));
      const jHi = Math.max(jLo, Math.min(Wo, Math.floor((W - 1 + pl - b) / sw) + 1));
      if (iLo >= iHi || jLo >= jHi) continue;
      // (n, i) outside c: each step touches one Ci × (jHi − jLo) block of C and of dx, both L1-sized.
      const row0 = (a * kw + b) * Ci * M;
      for (let n = 0; n < N; n++) {
        for (let i = iLo; i < iHi; i++) {
          const h = i * sh - pt + a;
          const src0 = row0 + (n * Ho + i) * Wo + jLo;
          const dst0 = ((n * H + h) * W + jLo * sw - pl + b) * Ci;
          for (let c = 0; c < Ci; c++) {
            let src = src0 + c * M;
            let dst = dst0 + c;
            for (let j = jLo; j < jHi; j++, src++, dst += step) dx[dst] = (dx[dst] as number) + (C[src] as number);
          }
        }
      }
    }
  }
}
