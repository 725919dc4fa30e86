// DiptychInstanceNorm and DiptychInstanceNormGrad for tfjs-backend-webgpu (same kernels as the wasm/cpu
// pair in ../instance_norm.ts, whose gradient config and caller are shared: only the kernels differ).
//
// Why: with tfjs ops a norm is ~8 kernels forward (moments: mean, sub, square, mean; sub, add, sqrt, div)
// and ~20 backward, plus the fused activation's 1 + 2; on WebGPU each is a dispatch and a full pass over
// the activation. Here each direction is 2 dispatches.
//
// Math, per sample n and channel c over the P = H·W pixels (biased variance, float32):
//   μ = Σx/P,  σ² = Σ(x − μ)²/P (two passes over x in one workgroup, no Σx² − μ² cancellation),
//   r = 1/√(σ² + ε),  x̂ = (x − μ)·r,  y = x̂ > 0 ? x̂ : slope·x̂   (slope 1: none, 0: ReLU, 0.2: LeakyReLU)
//   g = dy where x > μ, slope·dy elsewhere (x̂ > 0 ⇔ x > μ),
//   dx = r·g − a − (x − μ)·b,  a = r·Σg/P,  b = r³·Σg·(x − μ)/P   (= r·(g − mean(g) − x̂·mean(g·x̂))).
// Forward: program 1 (a workgroup per (n, c), tree reduction in workgroup memory) writes the statistics
// [N, 2, C] (μ, then r); program 2 (one invocation per element) writes y from x and them.
// Gradient: program 1 (a workgroup per (n, c)) writes (a, b) as [N, 2, C]; program 2 writes dx.
// The optional `bias` input is ignored: norm(x + bias) = norm(x), and the shared gradient config gives
// the bias a zero gradient.

import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { type Dims, dims, INSTANCE_NORM, INSTANCE_NORM_GRAD } from '../instance_norm.ts';
import {
  allFloat32,
  flatDispatch,
  type UniformData,
  type WebGPUBackend,
  type WebGPUProgram,
  WORKGROUP_INDEX,
} from './program.ts';

/** Threads per (n, c) workgroup: a power of two, larger for larger maps. */
function reductionWidth(P: number): number {
  return P >= 2048 ? 256 : P >= 256 ? 128 : 64;
}

/**
 * Tree sums over the workgroup of one value (or pair) per invocation; all invocations must call them.
 * Pairs are summed together, one tree (log2(width) barriers) for both.
 */
function treeSum(width: number): string {
  return `
    var<workgroup> partial : array<vec2<f32>, ${width}>;
    fn workgroupSum2(v : vec2<f32>) -> vec2<f32> {
      partial[localIndex] = v;
      workgroupBarrier();
      for (var s = ${width / 2}u; s > 0u; s = s >> 1u) {
        if (localIndex < s) {
          partial[localIndex] = partial[localIndex] + partial[localIndex + s];
        }
        workgroupBarrier();
      }
      let total = partial[0];
      workgroupBarrier();
      return total;
    }
    fn workgroupSum(v : f32) -> f32 {
      return workgroupSum2(vec2<f32>(v, 0.0)).x;
    }`;
}

/** μ and r per (n, c): output [N, 2, C]. */
/** One workgroup per (n, c), a tree over its H·W pixels; writes two numbers per (n, c): [N, 2, C]. */
abstract class PerChannelReduction implements WebGPUProgram {
  abstract variableNames: string[];
  abstract uniforms: string;
  outputShape: number[];
  shaderKey: string;
  dispatchLayout = { x: [0, 1, 2] };
  dispatch: [number, number, number];
  workgroupSize: [number, number, number];
  protected width: number;

  constructor(d: Dims, name: string) {
    this.width = reductionWidth(d.P);
    this.outputShape = [d.N, 2, d.C];
    this.workgroupSize = [this.width, 1, 1];
    this.dispatch = [d.N * d.C, 1, 1];
    this.shaderKey = `${name}_${this.width}`;
  }

  abstract getUserCode(): string;
}

class StatsProgram extends PerChannelReduction {
  variableNames = ['x'];
  uniforms = 'pixels : i32, channels : i32, eps : f32,';

  constructor(d: Dims) {
    super(d, 'diptychInstanceNormStats');
  }

  getUserCode(): string {
    const w = this.width;
    return `
    ${treeSum(w)}
    fn main(index : i32) {
      let P = uniforms.pixels;
      let C = uniforms.channels;
      let nc = ${WORKGROUP_INDEX};
      let n = nc / C;
      let c = nc - n * C;
      let base = n * P * C + c;
      var s = 0.0;
      for (var p = i32(localIndex); p < P; p = p + ${w}) {
        s = s + x[base + p * C];
      }
      let mean = workgroupSum(s) / f32(P);
      var q = 0.0;
      for (var p = i32(localIndex); p < P; p = p + ${w}) {
        let d = x[base + p * C] - mean;
        q = q + d * d;
      }
      let variance = workgroupSum(q) / f32(P);
      if (localIndex == 0u) {
        result[n * 2 * C + c] = mean;
        result[n * 2 * C + C + c] = 1.0 / sqrt(variance + uniforms.eps);
      }
    }`;
  }
}

/** One invocation per element of an NHWC tensor; the shader finds its (n, c) statistics at `s`. */
abstract class PerElement implements WebGPUProgram {
  abstract variableNames: string[];
  abstract shaderKey: string;
  outputShape: number[];
  dispatchLayout = { x: [0, 1, 2, 3] };
  dispatch: [number, number, number];
  workgroupSize: [number, number, number] = [64, 1, 1];
  uniforms = 'pixels : i32, channels : i32, slope : f32,';
  size = true;

  constructor(shape: number[]) {
    this.outputShape = shape;
    this.dispatch = flatDispatch(tf.util.sizeFromShape(shape), 64);
  }

  abstract getUserCode(): string;
}

/** y = act((x − μ)·r), one invocation per element. */
class NormalizeProgram extends PerElement {
  variableNames = ['x', 'stats'];
  shaderKey = 'diptychInstanceNormApply';

  getUserCode(): string {
    return `
    fn main(index : i32) {
      if (index < uniforms.size) {
        let C = uniforms.channels;
        let c = index % C;
        let n = index / (uniforms.pixels * C);
        let s = n * 2 * C + c;
        let v = (x[index] - stats[s]) * stats[s + C];
        setOutputAtIndex(index, select(uniforms.slope * v, v, v > 0.0));
      }
    }`;
  }
}

/** (a, b) per (n, c) for the gradient: output [N, 2, C]. */
class GradCoefficientsProgram extends PerChannelReduction {
  variableNames = ['dy', 'x', 'stats'];
  uniforms = 'pixels : i32, channels : i32, slope : f32,';

  constructor(d: Dims) {
    super(d, 'diptychInstanceNormGradCoef');
  }

  getUserCode(): string {
    const w = this.width;
    return `
    ${treeSum(w)}
    fn main(index : i32) {
      let P = uniforms.pixels;
      let C = uniforms.channels;
      let nc = ${WORKGROUP_INDEX};
      let n = nc / C;
      let c = nc - n * C;
      let base = n * P * C + c;
      let mu = stats[n * 2 * C + c];
      let r = stats[n * 2 * C + C + c];
      var sg = 0.0;
      var sgx = 0.0;
      for (var p = i32(localIndex); p < P; p = p + ${w}) {
        let xc = x[base + p * C] - mu;
        let d = dy[base + p * C];
        let g = select(uniforms.slope * d, d, xc > 0.0);
        sg = sg + g;
        sgx = sgx + g * xc;
      }
      let sums = workgroupSum2(vec2<f32>(sg, sgx));
      let sumG = sums.x;
      let sumGX = sums.y;
      if (localIndex == 0u) {
        result[n * 2 * C + c] = r * sumG / f32(P);
        result[n * 2 * C + C + c] = r * r * r * sumGX / f32(P);
      }
    }`;
  }
}

/** dx = r·g − a − (x − μ)·b, one invocation per element. */
class GradApplyProgram extends PerElement {
  variableNames = ['dy', 'x', 'stats', 'coef'];
  shaderKey = 'diptychInstanceNormGradApply';

  getUserCode(): string {
    return `
    fn main(index : i32) {
      if (index < uniforms.size) {
        let C = uniforms.channels;
        let c = index % C;
        let n = index / (uniforms.pixels * C);
        let s = n * 2 * C + c;
        let xc = x[index] - stats[s];
        let d = dy[index];
        let g = select(uniforms.slope * d, d, xc > 0.0);
        setOutputAtIndex(index, stats[s + C] * g - coef[s] - xc * coef[s + C]);
      }
    }`;
  }
}

type Attrs = { epsilon: number; slope?: number };

function check(...ts: TensorInfo[]): void {
  if (!allFloat32(...ts)) throw new Error(`instance norm needs float32, got ${ts.map((t) => t.dtype).join(', ')}`);
}

function sizes(d: Dims): UniformData {
  return [
    { type: 'int32', data: [d.P] },
    { type: 'int32', data: [d.C] },
  ];
}

function forward(args: { inputs: { x: TensorInfo }; backend: WebGPUBackend; attrs: Attrs }): TensorInfo[] {
  const { inputs, backend, attrs } = args;
  const { x } = inputs;
  check(x);
  const d = dims(x.shape);
  const stats = backend.runWebGPUProgram(new StatsProgram(d), [x], 'float32', [
    ...sizes(d),
    { type: 'float32', data: [attrs.epsilon] },
  ]);
  const y = backend.runWebGPUProgram(new NormalizeProgram(x.shape), [x, stats], 'float32', [
    ...sizes(d),
    { type: 'float32', data: [attrs.slope ?? 1] },
  ]);
  return [y, stats];
}

function backward(args: {
  inputs: { dy: TensorInfo; x: TensorInfo; stats: TensorInfo };
  backend: WebGPUBackend;
  attrs: Attrs;
}): TensorInfo {
  const { inputs, backend, attrs } = args;
  const { dy, x, stats } = inputs;
  check(dy, x, stats);
  const d = dims(x.shape);
  const uniforms: UniformData = [...sizes(d), { type: 'float32', data: [attrs.slope ?? 1] }];
  const coef = backend.runWebGPUProgram(new GradCoefficientsProgram(d), [dy, x, stats], 'float32', uniforms);
  const dx = backend.runWebGPUProgram(new GradApplyProgram(x.shape), [dy, x, stats, coef], 'float32', uniforms);
  backend.disposeData(coef.dataId);
  return dx;
}

export const instanceNormWebGpuConfig: KernelConfig = {
  kernelName: INSTANCE_NORM,
  backendName: 'webgpu',
  kernelFunc: forward as unknown as KernelFunc,
};

export const instanceNormGradWebGpuConfig: KernelConfig = {
  kernelName: INSTANCE_NORM_GRAD,
  backendName: 'webgpu',
  kernelFunc: backward as unknown as KernelFunc,
};
