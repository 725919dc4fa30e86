// Conv2DBackpropFilter for tfjs-backend-webgpu as a tiled GEMM.
//
// Why: tfjs-backend-webgpu 4.22 computes the filter gradient with one invocation per weight, each
// looping over the whole batch and output map (conv_backprop_webgpu.js, Conv2DDerFilterProgram): no
// reuse of loaded values, and as few invocations as the filter has weights (a 7x7x3x32 filter: 4704
// invocations each summing 64·64 products at 64 px). Here it is a GEMM with workgroup tiles.
//
// Math (NHWC, filter [kh, kw, Ci, Co], strides (sh, sw), dilation 1, top/left padding (pt, pl) from
// backend_util.computeConv2DInfo, as tfjs's own kernel computes them for 'same', 'valid' or explicit):
//   dW[a, b, c, o] = Σ_{n,i,j} x[n, i·sh − pt + a, j·sw − pl + b, c] · dy[n, i, j, o]   (x is 0 outside)
// As a GEMM: dW (as [M = kh·kw·Ci, Co]) = A · B over K = N·Ho·Wo, with the implicit im2col matrix
// A[(a·kw + b)·Ci + c, (n·Ho + i)·Wo + j] = x[…] (never materialised) and B = dy as [K, Co] (its own
// layout). A workgroup owns a TM × TN tile of dW and walks K in steps of TK, staging A's and B's
// tiles in workgroup memory (loads coalesced along c and along o); each invocation keeps RM × RN sums.
// When the tiles alone are too few workgroups to fill a GPU (a 7x7x3 → 32 layer: 5 × 1 tiles), K is
// split across S workgroups per tile (split-K) that write partial sums [S, M, Co], and a second
// program adds them up.

import type { Conv2DBackpropFilterAttrs, KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { backend_util, Conv2DBackpropFilter } from '@tensorflow/tfjs-core';
import { backpropFilterConvInfo } from '../patch-geometry.ts';
import { allFloat32, flatDispatch, type WebGPUBackend, type WebGPUProgram } from './program.ts';

/** Workgroup shape (invocations along o, along m) and sums per invocation (along o, along m). */
interface Tiling {
  WN: number;
  WM: number;
  RN: number;
  RM: number;
  TK: number;
}

/** 16×16 invocations of 2×2 (a 32×32 tile); layers with few output channels take a tall, narrow tile. */
export function tilingFor(Co: number): Tiling {
  if (Co <= 4) return { WN: 4, WM: 64, RN: 1, RM: 2, TK: 16 };
  if (Co <= 8) return { WN: 8, WM: 32, RN: 1, RM: 2, TK: 16 };
  return { WN: 16, WM: 16, RN: 2, RM: 2, TK: 32 };
}

/** Minimum K per split, and the workgroup count split-K aims for. */
const MIN_SPLIT_K = 512;
const TARGET_WORKGROUPS = 128;
const MAX_SPLITS = 32;

export function splitsFor(tiles: number, K: number): number {
  if (tiles >= TARGET_WORKGROUPS) return 1;
  return Math.max(1, Math.min(MAX_SPLITS, Math.ceil(TARGET_WORKGROUPS / tiles), Math.floor(K / MIN_SPLIT_K)));
}

class FilterGradGemmProgram implements WebGPUProgram {
  variableNames = ['x', 'dy'];
  outputShape: number[];
  shaderKey: string;
  dispatchLayout = { x: [0], y: [1], z: [2] };
  dispatch: [number, number, number];
  workgroupSize: [number, number, number];
  uniforms =
    'M : i32, K : i32, Co : i32, Ci : i32, kw : i32, Ho : i32, Wo : i32, H : i32, W : i32, ' +
    'stride : vec2<i32>, pad : vec2<i32>, kPerSplit : i32,';
  private t: Tiling;

  constructor(M: number, Co: number, splits: number, t: Tiling, outputShape: number[]) {
    this.t = t;
    this.outputShape = outputShape;
    const TM = t.WM * t.RM;
    const TN = t.WN * t.RN;
    this.workgroupSize = [t.WN, t.WM, 1];
    this.dispatch = [Math.ceil(Co / TN), Math.ceil(M / TM), splits];
    this.shaderKey = `diptychFilterGradGemm_${t.WN}_${t.WM}_${t.RN}_${t.RM}_${t.TK}`;
  }

  getUserCode(): string {
    const { WN, WM, RN, RM, TK } = this.t;
    const TM = WM * RM;
    const TN = WN * RN;
    const threads = WN * WM;
    // Each invocation stages the same row mm of A's tile at every step (threads is a multiple of TM),
    // at TM·TK/threads columns kk; likewise one column nn of B's tile. So the row's filter tap and
    // channel are decoded once, outside the K loop, and each staged A value costs 2 divisions (k → n,
    // i, j) instead of 6: integer division is slow on GPUs, and scalar on a CPU emulator (SwiftShader).
    const aRowsPerPass = threads / TM;
    const aLoads = (TM * TK) / threads;
    const bRowsPerPass = threads / TN;
    // B's tile is smaller than the workgroup in the narrow tilings: one pass, the surplus idle.
    const bLoads = Math.max(1, (TK * TN) / threads);
    return `
    var<workgroup> As : array<f32, ${TK * TM}>;  // [TK][TM]
    var<workgroup> Bs : array<f32, ${TK * TN}>;  // [TK][TN]

    fn main() {
      let tid = i32(localIndex);
      let tn = i32(localId.x);
      let tm = i32(localId.y);
      let o0 = i32(workgroupId.x) * ${TN};
      let m0 = i32(workgroupId.y) * ${TM};
      let split = i32(workgroupId.z);
      let kBegin = split * uniforms.kPerSplit;
      let kEnd = min(uniforms.K, kBegin + uniforms.kPerSplit);
      let HoWo = uniforms.Ho * uniforms.Wo;

      // This invocation's row of A: filter tap (a, b) and input channel c of m = m0 + aRow.
      let aRow = tid % ${TM};
      let aCol = tid / ${TM};
      let m = m0 + aRow;
      let mValid = m < uniforms.M;
      let tap = m / uniforms.Ci;
      let c = m - tap * uniforms.Ci;
      let a = tap / uniforms.kw;
      let b = tap - a * uniforms.kw;
      let yOff = a - uniforms.pad.x;
      let xOff = b - uniforms.pad.y;
      // And its column of B.
      let bCol = tid % ${TN};
      let bRow = tid / ${TN};
      let o = o0 + bCol;

      var acc : array<array<f32, ${RN}>, ${RM}>;
      for (var rm = 0; rm < ${RM}; rm = rm + 1) {
        for (var rn = 0; rn < ${RN}; rn = rn + 1) { acc[rm][rn] = 0.0; }
      }

      // The trip count comes from a uniform only: the backend copies workgroupId into a private variable,
      // which WGSL's uniformity analysis cannot see as uniform, and the loop holds barriers.
      for (var step = 0; step < uniforms.kPerSplit; step = step + ${TK}) {
        let k0 = kBegin + step;
        // Stage A's tile: A[m, k] = x[n, i·sh − pt + a, j·sw − pl + b, c] (0 in the padding); consecutive
        // invocations take consecutive m, i.e. consecutive channels of x.
        for (var l = 0; l < ${aLoads}; l = l + 1) {
          let kk = aCol + l * ${aRowsPerPass};
          let k = k0 + kk;
          var v = 0.0;
          if (mValid && k < kEnd) {
            let n = k / HoWo;
            let ij = k - n * HoWo;
            let i = ij / uniforms.Wo;
            let j = ij - i * uniforms.Wo;
            let yy = i * uniforms.stride.x + yOff;
            let xx = j * uniforms.stride.y + xOff;
            if (yy >= 0 && yy < uniforms.H && xx >= 0 && xx < uniforms.W) {
              v = x[((n * uniforms.H + yy) * uniforms.W + xx) * uniforms.Ci + c];
            }
          }
          As[kk * ${TM} + aRow] = v;
        }
        // Stage B's tile: B[k, o] = dy[k·Co + o]; consecutive invocations take consecutive o.
        for (var l = 0; l < ${bLoads}; l = l + 1) {
          let kk = bRow + l * ${bRowsPerPass};
          let k = k0 + kk;
          if (kk < ${TK}) {
            var v = 0.0;
            if (k < kEnd && o < uniforms.Co) { v = dy[k * uniforms.Co + o]; }
            Bs[kk * ${TN} + bCol] = v;
          }
        }
        workgroupBarrier();
        for (var kk = 0; kk < ${TK}; kk = kk + 1) {
          var bv : array<f32, ${RN}>;
          for (var rn = 0; rn < ${RN}; rn = rn + 1) { bv[rn] = Bs[kk * ${TN} + tn + rn * ${WN}]; }
          for (var rm = 0; rm < ${RM}; rm = rm + 1) {
            let av = As[kk * ${TM} + tm + rm * ${WM}];
            for (var rn = 0; rn < ${RN}; rn = rn + 1) { acc[rm][rn] = acc[rm][rn] + av * bv[rn]; }
          }
        }
        workgroupBarrier();
      }

      let MCo = uniforms.M * uniforms.Co;
      for (var rm = 0; rm < ${RM}; rm = rm + 1) {
        let mOut = m0 + tm + rm * ${WM};
        for (var rn = 0; rn < ${RN}; rn = rn + 1) {
          let oOut = o0 + tn + rn * ${WN};
          if (mOut < uniforms.M && oOut < uniforms.Co) {
            result[split * MCo + mOut * uniforms.Co + oOut] = acc[rm][rn];
          }
        }
      }
    }`;
  }
}

/** out[i] = Σ_s partial[s, i]: the split-K partial sums added up. */
class SumSplitsProgram implements WebGPUProgram {
  variableNames = ['partial'];
  outputShape: number[];
  shaderKey = 'diptychSumSplits';
  dispatchLayout = { x: [0, 1, 2, 3] };
  dispatch: [number, number, number];
  workgroupSize: [number, number, number] = [64, 1, 1];
  uniforms = 'splits : i32,';
  size = true;

  constructor(filterShape: number[]) {
    this.outputShape = filterShape;
    this.dispatch = flatDispatch(tf.util.sizeFromShape(filterShape), 64);
  }

  getUserCode(): string {
    return `
    fn main(index : i32) {
      if (index < uniforms.size) {
        var s = 0.0;
        for (var k = 0; k < uniforms.splits; k = k + 1) { s = s + partial[k * uniforms.size + index]; }
        setOutputAtIndex(index, s);
      }
    }`;
  }
}

/**
 * Below this reduction length (N·Ho·Wo) the stock per-weight loop runs instead: its loop is short there,
 * while the GEMM's tiles are staged for only a few K steps (2 at K = 49, the PatchGAN's last layers),
 * which does not pay for the staging and its barriers (on SwiftShader the GEMM measured 2.5-25× slower
 * on those layers; on a GPU both are small). Tests set it to 0 to run the GEMM on small shapes.
 */
const DEFAULT_MIN_GEMM_K = 256;
let minGemmK = DEFAULT_MIN_GEMM_K;
export function setMinGemmK(k: number | null): void {
  minGemmK = k ?? DEFAULT_MIN_GEMM_K;
}

/** tfjs-backend-webgpu's own kernel, for what the GEMM does not cover (NCHW, non-float32, small K). */
let stock: KernelConfig | null = null;
export function setStockConv2DBackpropFilter(k: KernelConfig | null): void {
  stock = k;
}
export function stockConv2DBackpropFilter(): KernelConfig | null {
  return stock;
}

type Args = { inputs: { x: TensorInfo; dy: TensorInfo }; backend: WebGPUBackend; attrs: Conv2DBackpropFilterAttrs };

function conv2DBackpropFilter(args: Args): TensorInfo {
  const { inputs, backend, attrs } = args;
  const { x, dy } = inputs;
  const { dataFormat } = attrs;
  const fmt = backend_util.convertConv2DDataFormat(dataFormat);
  if (fmt !== 'channelsLast' || !allFloat32(x, dy)) {
    if (stock == null) throw new Error('webgpu Conv2DBackpropFilter: only NHWC float32 without the stock kernel');
    return stock.kernelFunc(args as unknown as Parameters<KernelFunc>[0]) as TensorInfo;
  }
  const info = backpropFilterConvInfo(x.shape, attrs);
  const { filterHeight: kh, filterWidth: kw, inChannels: Ci, outChannels: Co } = info;
  const M = kh * kw * Ci;
  const K = info.batchSize * info.outHeight * info.outWidth;
  if (K < minGemmK && stock != null)
    return stock.kernelFunc(args as unknown as Parameters<KernelFunc>[0]) as TensorInfo;
  const t = tilingFor(Co);
  const tiles = Math.ceil(M / (t.WM * t.RM)) * Math.ceil(Co / (t.WN * t.RN));
  const splits = splitsFor(tiles, K);
  const kPerSplit = Math.ceil(K / splits / t.TK) * t.TK;
  const used = Math.ceil(K / kPerSplit);
  const shape = [kh, kw, Ci, Co];
  const program = new FilterGradGemmProgram(M, Co, used, t, used === 1 ? shape : [used, M, Co]);
  const i32 = (...data: number[]) => ({ type: 'int32' as const, data });
  const partial = backend.runWebGPUProgram(program, [x, dy], 'float32', [
    i32(M),
    i32(K),
    i32(Co),
    i32(Ci),
    i32(kw),
    i32(info.outHeight),
    i32(info.outWidth),
    i32(info.inHeight),
    i32(info.inWidth),
    i32(info.strideHeight, info.strideWidth),
    i32(info.padInfo.top, info.padInfo.left),
    i32(kPerSplit),
  ]);
  if (used === 1) return partial;
  const dw = backend.runWebGPUProgram(new SumSplitsProgram(shape), [partial], 'float32', [i32(used)]);
  backend.disposeData(partial.dataId);
  return dw;
}

export const conv2DBackpropFilterWebGpuConfig: KernelConfig = {
  kernelName: Conv2DBackpropFilter,
  backendName: 'webgpu',
  kernelFunc: conv2DBackpropFilter as unknown as KernelFunc,
};
