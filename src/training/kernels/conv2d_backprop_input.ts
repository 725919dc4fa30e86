// Conv2DBackpropInput for wasm: the gradient of a 2-D convolution with respect to its input, which is
// also the forward pass of a transposed convolution (tf.conv2dTranspose runs this kernel).
//
// Why: tfjs-backend-wasm's own kernel is a scalar C++ loop (60% of a training step in a profile). Here
// it becomes stride² forward convolutions in XNNPACK (sub-pixel decomposition), so the zeros a
// stride-dilated dy would hold are never multiplied, and the flipped filters are built by a JS loop on
// the tiny filter (wasm's Reverse kernel is far too slow for the flip).
//
// Math (NHWC, filter w [kh, kw, Ci, Co], stride s, top padding p, one spatial axis shown; the two axes
// are independent). Forward: y[i] = Σ_a x[i·s + a − p] · w[a], so dx[h] = Σ_{i·s + a − p = h} dy[i] · w[a].
// Split h by phase, h = s·u + r. Only taps a ≡ r + p (mod s) reach phase r: a = a0 + s·t, a0 = (r + p) mod s,
// t = 0 … T−1, T = ⌈(k − a0) / s⌉, and then i = u + c − t with c = (r + p − a0) / s. Substituting
// t' = T−1−t gives a stride-1 correlation of dy with the flipped sub-filter g[t'] = w[a0 + s·(T−1−t')]:
//   dx_r[u] = Σ_{t'} dy[u + t' − P] · g[t'],   top padding P = T − 1 − c,
// producing U = ⌈(H − r) / s⌉ rows, so bottom padding P_b = U + T − 1 − Ho − P. Negative paddings crop
// dy instead. The channels swap too: g[t', ·, o, c] = w[·, ·, c, o] (Co in, Ci out). For s = 1 this is
// the usual full correlation with the 180°-rotated filter. The stride² phase outputs are interleaved
// into dx by a JS loop (a plain copy for s = 1).

import type { Conv2DBackpropInputAttrs, KernelConfig, KernelFunc } from '@tensorflow/tfjs-core';
import { backend_util, Conv2DBackpropInput } from '@tensorflow/tfjs-core';
import { col2imT } from './col2im.ts';
import { type PatchGeometry, patchGeometry } from './patch-geometry.ts';
import { type BackendWasm, callWasm, f32, free, type TensorInfo } from './wasm_util.ts';

/**
 * Which algorithm runs: 'gemm' (one GEMM with the filter as it is, then col2im; no per-filter work, so
 * nothing to redo when the optimiser replaces the weights), 'phase' (sub-pixel forward convolutions with
 * flipped filters), or 'auto' (the measured-faster one per shape, see chooseRoute). Tests force each.
 */
export type ConvInputRoute = 'auto' | 'gemm' | 'phase';
let forcedRoute: ConvInputRoute = 'auto';
export function setConvInputRoute(route: ConvInputRoute): void {
  forcedRoute = route;
}

interface AxisPhase {
  /** Taps of the filter that reach this phase: a0, a0 + s, … (count T). */
  a0: number;
  T: number;
  /** Output rows of this phase (U), and dy padding before/after (negative: crop). */
  U: number;
  before: number;
  after: number;
}

export function axisPhase(r: number, s: number, k: number, p: number, inLen: number, outLen: number): AxisPhase {
  const a0 = (((r + p) % s) + s) % s;
  const T = a0 >= k ? 0 : Math.ceil((k - a0) / s);
  const c = (r + p - a0) / s;
  const U = Math.max(0, Math.ceil((inLen - r) / s));
  const before = T - 1 - c;
  const after = U + T - 1 - outLen - before;
  return { a0, T, U, before, after };
}

export function conv2DBackpropInput(args: {
  inputs: { dy: TensorInfo; filter: TensorInfo };
  backend: BackendWasm;
  attrs: Conv2DBackpropInputAttrs;
}): TensorInfo {
  const { inputs, backend, attrs } = args;
  const { dy, filter } = inputs;
  const { strides, pad, dataFormat, dimRoundingMode, inputShape } = attrs;
  const fmt = backend_util.convertConv2DDataFormat(dataFormat);
  if (fmt !== 'channelsLast') throw new Error(`wasm Conv2DBackpropInput supports only NHWC, got ${dataFormat}`);
  const info = backend_util.computeConv2DInfo(
    inputShape,
    filter.shape as [number, number, number, number],
    strides,
    1,
    pad,
    dimRoundingMode,
    false,
    fmt,
  );
  const g = patchGeometry(info);
  const { N, H, W, Ci, Ho, Wo, kh, kw, sh, sw, pt, pl } = g;

  if (chooseRoute(g.Co, Ci, N * Ho * Wo, sh * sw) === 'gemm') return gemmRoute(backend, dy, filter, g);

  const single = sh === 1 && sw === 1;
  const dx = single ? null : backend.makeOutput([N, H, W, Ci], 'float32');
  let covered = 0;
  const phases: { ry: number; rx: number; out: TensorInfo }[] = [];
  for (let ry = 0; ry < sh; ry++) {
    const py = axisPhase(ry, sh, kh, pt, H, Ho);
    for (let rx = 0; rx < sw; rx++) {
      const px = axisPhase(rx, sw, kw, pl, W, Wo);
      if (py.T === 0 || px.T === 0 || py.U === 0 || px.U === 0) continue;
      const gT = flippedSubFilter(backend, filter, sh, sw, py, px);
      const out = phaseConv(backend, dy, gT, py, px);
      if (out == null) continue;
      if (single) return out;
      phases.push({ ry, rx, out });
      covered++;
    }
  }
  if (dx == null) {
    // Stride 1 and no dy row reaches dx (only with extreme paddings): the gradient is zero.
    const zeros = backend.makeOutput([N, H, W, Ci], 'float32');
    f32(backend, zeros).fill(0);
    return zeros;
  }
  const D = f32(backend, dx);
  if (covered < sh * sw) D.fill(0);
  for (const { ry, rx, out } of phases) {
    const [, U, V] = out.shape as [number, number, number, number];
    const Pv = f32(backend, out);
    let src = 0;
    for (let n = 0; n < N; n++) {
      for (let u = 0; u < U; u++) {
        let dst = ((n * H + ry + sh * u) * W + rx) * Ci;
        for (let v = 0; v < V; v++) {
          for (let c = 0; c < Ci; c++) D[dst + c] = Pv[src + c] as number;
          src += Ci;
          dst += sw * Ci;
        }
      }
    }
    free(backend, out);
  }
  return dx;
}

/**
 * GEMM route. With the filter as F = w reshaped [kh·kw·Ci, Co] and dy as D [N·Ho·Wo, Co], the per-tap
 * products are C = F · Dᵀ ([kh·kw·Ci, N·Ho·Wo]), and dx = col2im(C). The GEMM runs in XNNPACK's
 * fully-connected kernel with the small Dᵀ as its (per-call) packed weights, so the big filter is
 * never transposed or packed: tfjs's Conv2D transposes and repacks a filter whenever its tensor is new,
 * which for training means once per step per weight, at tens of ns per element (4x4x256x512: ~50 ms).
 */
function gemmRoute(backend: BackendWasm, dy: TensorInfo, filter: TensorInfo, g: PatchGeometry): TensorInfo {
  const { N, H, W, Ci, Co, Ho, Wo, kh, kw } = g;
  const K = kh * kw * Ci;
  const M = N * Ho * Wo;
  const d2 = callWasm('Reshape', backend, { x: dy }, { shape: [M, Co] });
  const dT = callWasm('Transpose', backend, { x: d2 }, { perm: [1, 0] });
  const dT3 = callWasm('Reshape', backend, { x: dT }, { shape: [1, Co, M] });
  const f = callWasm('Reshape', backend, { x: filter }, { shape: [1, K, Co] });
  const c = callWasm('BatchMatMul', backend, { a: f, b: dT3 }, { transposeA: false, transposeB: false });
  free(backend, d2, dT, dT3, f);
  const dx = backend.makeOutput([N, H, W, Ci], 'float32');
  col2imT(f32(backend, c), f32(backend, dx), g);
  free(backend, c);
  return dx;
}

/**
 * Measured per CycleGAN shape (docs/PERFORMANCE.md, analysis and "Small networks"): the GEMM route wins
 * when Co, the GEMM's reduction, is not tiny and dy has no more pixels than channels (big filters on small
 * maps: the discriminator's deep layers, whose filters cost the phase route a flip and a repack every
 * step), and for stride-1 layers whose dx has few channels (the generator's first 7×7 layer: a phase
 * convolution with 3 output channels starves XNNPACK). Everything else runs as stride² forward
 * convolutions with the flipped filter, cached for the filter's uses in a step: the stride-1 residual
 * convolutions (CPU per call, fresh filter every third call: 8×8×32 0.18 against 0.24 ms, 16×16×128 5.9
 * against 6.8 ms, 32×32×64 4.5 against 9.5 ms, 32×32×256 72 against 83 ms) and stride-2 layers on larger maps.
 */
function chooseRoute(Co: number, Ci: number, M: number, strideArea: number): 'gemm' | 'phase' {
  if (forcedRoute !== 'auto') return forcedRoute;
  if (Co < 16) return 'phase';
  if (M <= Co) return 'gemm';
  return strideArea === 1 && Ci < 16 ? 'gemm' : 'phase';
}

// The flipped sub-filters are cached per filter tensor: a weight is used by several backward passes per
// iteration (a generator runs three times in a CycleGAN step, a discriminator three times), and a cached
// filter also keeps wasm's cached XNNPACK operator (its packed weights) alive. An entry is freed as soon
// as its source filter is gone from the backend (checked on every call), or by clearConvInputCache().
const cache = new Map<object, { backend: BackendWasm; subs: Map<string, TensorInfo> }>();

export function clearConvInputCache(): void {
  for (const [id, e] of cache) {
    for (const t of e.subs.values()) free(e.backend, t);
    cache.delete(id);
  }
}

function sweep(backend: BackendWasm): void {
  for (const [id, e] of cache) {
    if (e.backend !== backend || !backend.dataIdMap.has(id)) {
      for (const t of e.subs.values()) if (e.backend.dataIdMap.has(t.dataId)) free(e.backend, t);
      cache.delete(id);
    }
  }
}

/** g[t, u, o, c] = w[a0y + sh·(Ty−1−t), a0x + sw·(Tx−1−u), c, o] (flipped taps, channels swapped). */
function flippedSubFilter(
  backend: BackendWasm,
  filter: TensorInfo,
  sh: number,
  sw: number,
  py: AxisPhase,
  px: AxisPhase,
): TensorInfo {
  const key = `${sh},${sw},${py.a0},${py.T},${px.a0},${px.T}`;
  let entry = cache.get(filter.dataId);
  if (entry == null) {
    sweep(backend);
    entry = { backend, subs: new Map() };
    cache.set(filter.dataId, entry);
  }
  const hit = entry.subs.get(key);
  if (hit != null) return hit;
  const [, kw, Ci, Co] = filter.shape as [number, number, number, number];
  const out = backend.makeOutput([py.T, px.T, Co, Ci], 'float32');
  const g = f32(backend, out);
  const w = f32(backend, filter);
  for (let t = 0; t < py.T; t++) {
    const a = py.a0 + sh * (py.T - 1 - t);
    for (let u = 0; u < px.T; u++) {
      const b = px.a0 + sw * (px.T - 1 - u);
      const src = (a * kw + b) * Ci * Co;
      const dst = (t * px.T + u) * Co * Ci;
      for (let c = 0; c < Ci; c++) {
        let s = src + c * Co;
        for (let o = 0; o < Co; o++) g[dst + o * Ci + c] = w[s++] as number;
      }
    }
  }
  entry.subs.set(key, out);
  return out;
}

/** Stride-1 conv of dy with g, padded (or cropped, where negative) as the phase requires. */
function phaseConv(
  backend: BackendWasm,
  dy: TensorInfo,
  g: TensorInfo,
  py: AxisPhase,
  px: AxisPhase,
): TensorInfo | null {
  const [N, Ho, Wo, Co] = dy.shape as [number, number, number, number];
  let src = dy;
  const cropT = Math.max(0, -py.before);
  const cropB = Math.max(0, -py.after);
  const cropL = Math.max(0, -px.before);
  const cropR = Math.max(0, -px.after);
  if (Ho - cropT - cropB <= 0 || Wo - cropL - cropR <= 0) return null;
  if (cropT + cropB + cropL + cropR > 0) {
    src = callWasm(
      'Slice',
      backend,
      { x: dy },
      { begin: [0, cropT, cropL, 0], size: [N, Ho - cropT - cropB, Wo - cropL - cropR, Co] },
    );
  }
  const pad: [[number, number], [number, number], [number, number], [number, number]] = [
    [0, 0],
    [Math.max(0, py.before), Math.max(0, py.after)],
    [Math.max(0, px.before), Math.max(0, px.after)],
    [0, 0],
  ];
  const out = callWasm(
    'Conv2D',
    backend,
    { x: src, filter: g },
    { strides: [1, 1], pad, dataFormat: 'NHWC', dilations: [1, 1], dimRoundingMode: undefined as unknown as 'floor' },
  );
  if (src !== dy) free(backend, src);
  return out;
}

export const conv2DBackpropInputConfig: KernelConfig = {
  kernelName: Conv2DBackpropInput,
  backendName: 'wasm',
  kernelFunc: conv2DBackpropInput as unknown as KernelFunc,
};
