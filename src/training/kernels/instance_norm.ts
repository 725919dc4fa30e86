// Instance norm (no affine parameters) as one forward kernel and one gradient kernel, for wasm and cpu.
//
// Why: written with tfjs ops (tf.moments, sub, add, sqrt, div) a norm is ~8 kernels forward and ~20
// backward, each a full pass over the activation plus the engine's per-op bookkeeping, and the
// networks of a CycleGAN iteration run ~100 norms (ResNet generator: 2 per residual block, 5 more;
// PatchGAN: 2). Here the forward reads x twice (sums, output) and the gradient reads
// dy and x twice, all in one kernel call each.
//
// Math, per sample n and channel c over the H·W pixels (biased variance, as PyTorch's InstanceNorm2d
// and tf.moments): μ = mean(x), r = 1/√(mean((x − μ)²) + ε), y = (x − μ)·r. With x̂ = y,
//   dx = r · (dy − mean(dy) − x̂ · mean(dy · x̂)).
// The forward kernel also returns its statistics [N, 2, C] (μ, then r), which the gradient reads with x.
//
// The activation that follows a norm in the networks (ReLU, LeakyReLU 0.2) can be fused in: attribute
// `slope` (1: none, 0: ReLU, 0.2: LeakyReLU) gives out = x̂ > 0 ? x̂ : slope·x̂, and the gradient scales dy
// by 1 or slope before the norm's own. x̂ > 0 exactly when x > μ (r > 0, and the difference of two float32
// numbers has the sign of their exact difference), so the gradient needs nothing more than x and the
// statistics: that saves the activation's kernel, its gradient's two (Step/Greater, Multiply/Select), and
// one full-size tensor kept for backprop per norm.
//
// The gradient kernel has no gradient of its own, so a gradient of a gradient through a norm (WGAN-GP's
// penalty) must run the composite form: withCompositeInstanceNorm() selects it for a computation.

import type { GradConfig, KernelConfig, KernelFunc, NamedAttrMap, Tensor, TensorInfo } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { type BackendWasm, f32 } from './wasm_util.ts';

export const INSTANCE_NORM = 'DiptychInstanceNorm';
export const INSTANCE_NORM_GRAD = 'DiptychInstanceNormGrad';

/** An NHWC activation as the norm sees it (shared with the WGSL kernels). */
export interface Dims {
  N: number;
  /** Pixels per sample (H·W) and channels. */
  P: number;
  C: number;
}

export function dims(shape: readonly number[]): Dims {
  if (shape.length !== 4) throw new Error(`instance norm needs an NHWC tensor, got shape ${JSON.stringify(shape)}`);
  const [N, H, W, C] = shape as [number, number, number, number];
  return { N, P: H * W, C };
}

/** y = (x − μ)·r per (n, c); stats[n, 0, c] = μ, stats[n, 1, c] = r. */
export function instanceNormForward(
  x: Float32Array,
  y: Float32Array,
  stats: Float32Array,
  d: Dims,
  eps: number,
  slope = 1,
): void {
  const { N, P, C } = d;
  // One pass for Σx and Σx² in float64 (float32 inputs: the cancellation in Σx²/P − μ² stays far below
  // float32 precision for activations), one to write y.
  const sum = new Float64Array(C);
  const sumSq = new Float64Array(C);
  const mean = new Float32Array(C);
  const rstd = new Float32Array(C);
  for (let n = 0; n < N; n++) {
    const base = n * P * C;
    const end = base + P * C;
    sum.fill(0);
    sumSq.fill(0);
    for (let i = base; i < end; i += C) {
      for (let c = 0; c < C; c++) {
        const v = x[i + c] as number;
        sum[c] = (sum[c] as number) + v;
        sumSq[c] = (sumSq[c] as number) + v * v;
      }
    }
    const s = n * 2 * C;
    for (let c = 0; c < C; c++) {
      const mu = (sum[c] as number) / P;
      const variance = Math.max(0, (sumSq[c] as number) / P - mu * mu);
      mean[c] = mu;
      rstd[c] = 1 / Math.sqrt(variance + eps);
      stats[s + c] = mean[c] as number;
      stats[s + C + c] = rstd[c] as number;
    }
    if (slope === 1) {
      for (let i = base; i < end; i += C) {
        for (let c = 0; c < C; c++) y[i + c] = ((x[i + c] as number) - (mean[c] as number)) * (rstd[c] as number);
      }
    } else {
      // Branch-free (v·(slope + (1 − slope)·[v > 0])): the sign is random, and a branch on it mispredicts
      // half the time (3× slower in V8, measured).
      const t = 1 - slope;
      for (let i = base; i < end; i += C) {
        for (let c = 0; c < C; c++) {
          const v = ((x[i + c] as number) - (mean[c] as number)) * (rstd[c] as number);
          y[i + c] = v * (slope + t * +(v > 0));
        }
      }
    }
  }
}

/**
 * dx = r·(g − mean(g) − x̂·mean(g·x̂)), x̂ = (x − μ)·r, per (n, c), where g = dy, or with a fused
 * activation (slope ≠ 1) g = dy where x > μ and slope·dy elsewhere.
 */
export function instanceNormBackward(
  dy: Float32Array,
  x: Float32Array,
  stats: Float32Array,
  dx: Float32Array,
  d: Dims,
  slope = 1,
): void {
  const { N, P, C } = d;
  const mu = new Float64Array(C);
  const r = new Float64Array(C);
  const sumDy = new Float64Array(C);
  const sumDyXhat = new Float64Array(C);
  // The activation's gradient as dy·(slope + (1 − slope)·[x > μ]), branch-free (see the forward).
  const t = 1 - slope;
  for (let n = 0; n < N; n++) {
    const base = n * P * C;
    const end = base + P * C;
    const s = n * 2 * C;
    for (let c = 0; c < C; c++) {
      mu[c] = stats[s + c] as number;
      r[c] = stats[s + C + c] as number;
    }
    sumDy.fill(0);
    sumDyXhat.fill(0);
    for (let i = base; i < end; i += C) {
      for (let c = 0; c < C; c++) {
        const xc = (x[i + c] as number) - (mu[c] as number);
        const g = (dy[i + c] as number) * (slope + t * +(xc > 0));
        sumDy[c] = (sumDy[c] as number) + g;
        sumDyXhat[c] = (sumDyXhat[c] as number) + g * xc;
      }
    }
    // Turn the sums into the per-channel constants of dx = r·dy − a − x̂·b (x̂ = (x − μ)·r).
    for (let c = 0; c < C; c++) {
      const rc = r[c] as number;
      sumDy[c] = (rc * (sumDy[c] as number)) / P;
      sumDyXhat[c] = (rc * rc * rc * (sumDyXhat[c] as number)) / P;
    }
    for (let i = base; i < end; i += C) {
      for (let c = 0; c < C; c++) {
        const xc = (x[i + c] as number) - (mu[c] as number);
        const g = (dy[i + c] as number) * (slope + t * +(xc > 0));
        dx[i + c] = (r[c] as number) * g - (sumDy[c] as number) - xc * (sumDyXhat[c] as number);
      }
    }
  }
}

// ---- kernels -----------------------------------------------------------------------------------

interface CpuBackend {
  data: { get(id: object): { values: Float32Array } };
  makeTensorInfo(shape: number[], dtype: 'float32', values: Float32Array): TensorInfo;
}

/** slope: the fused activation's negative slope (1 or absent: none). */
type Attrs = { epsilon: number; slope?: number };

function checkFloat(...ts: TensorInfo[]): void {
  for (const t of ts) if (t.dtype !== 'float32') throw new Error(`instance norm needs float32, got ${t.dtype}`);
}

function wasmForward(args: { inputs: { x: TensorInfo }; backend: BackendWasm; attrs: Attrs }): TensorInfo[] {
  const { inputs, backend, attrs } = args;
  checkFloat(inputs.x);
  const d = dims(inputs.x.shape);
  const y = backend.makeOutput(inputs.x.shape, 'float32');
  const stats = backend.makeOutput([d.N, 2, d.C], 'float32');
  instanceNormForward(f32(backend, inputs.x), f32(backend, y), f32(backend, stats), d, attrs.epsilon, attrs.slope ?? 1);
  return [y, stats];
}

function wasmBackward(args: {
  inputs: { dy: TensorInfo; x: TensorInfo; stats: TensorInfo };
  backend: BackendWasm;
  attrs: Attrs;
}): TensorInfo {
  const { inputs, backend, attrs } = args;
  checkFloat(inputs.dy, inputs.x, inputs.stats);
  const dx = backend.makeOutput(inputs.x.shape, 'float32');
  const get = (t: TensorInfo) => f32(backend, t);
  instanceNormBackward(
    get(inputs.dy),
    get(inputs.x),
    get(inputs.stats),
    get(dx),
    dims(inputs.x.shape),
    attrs.slope ?? 1,
  );
  return dx;
}

function cpuForward(args: { inputs: { x: TensorInfo }; backend: CpuBackend; attrs: Attrs }): TensorInfo[] {
  const { inputs, backend, attrs } = args;
  checkFloat(inputs.x);
  const d = dims(inputs.x.shape);
  const y = new Float32Array(d.N * d.P * d.C);
  const stats = new Float32Array(d.N * 2 * d.C);
  instanceNormForward(backend.data.get(inputs.x.dataId).values, y, stats, d, attrs.epsilon, attrs.slope ?? 1);
  return [
    backend.makeTensorInfo(inputs.x.shape, 'float32', y),
    backend.makeTensorInfo([d.N, 2, d.C], 'float32', stats),
  ];
}

function cpuBackward(args: {
  inputs: { dy: TensorInfo; x: TensorInfo; stats: TensorInfo };
  backend: CpuBackend;
  attrs: Attrs;
}): TensorInfo {
  const { inputs, backend, attrs } = args;
  checkFloat(inputs.dy, inputs.x, inputs.stats);
  const d = dims(inputs.x.shape);
  const dx = new Float32Array(d.N * d.P * d.C);
  const get = (t: TensorInfo) => backend.data.get(t.dataId).values;
  instanceNormBackward(get(inputs.dy), get(inputs.x), get(inputs.stats), dx, d, attrs.slope ?? 1);
  return backend.makeTensorInfo(inputs.x.shape, 'float32', dx);
}

export const instanceNormKernels: readonly KernelConfig[] = [
  { kernelName: INSTANCE_NORM, backendName: 'wasm', kernelFunc: wasmForward as unknown as KernelFunc },
  { kernelName: INSTANCE_NORM_GRAD, backendName: 'wasm', kernelFunc: wasmBackward as unknown as KernelFunc },
  { kernelName: INSTANCE_NORM, backendName: 'cpu', kernelFunc: cpuForward as unknown as KernelFunc },
  { kernelName: INSTANCE_NORM_GRAD, backendName: 'cpu', kernelFunc: cpuBackward as unknown as KernelFunc },
];

const gradients: readonly GradConfig[] = [
  {
    kernelName: INSTANCE_NORM,
    inputsToSave: ['x'],
    outputsToSave: [false, true],
    gradFunc: (dys: Tensor | Tensor[], saved: Tensor[], attrs: NamedAttrMap) => {
      const dy = (Array.isArray(dys) ? dys[0] : dys) as Tensor;
      const [x, stats] = saved as [Tensor, Tensor];
      return {
        x: () => tf.engine().runKernel(INSTANCE_NORM_GRAD, { dy, x, stats }, attrs) as Tensor,
        // A bias added before the norm cancels in the mean subtraction: its gradient is exactly 0.
        bias: () => tf.zeros([x.shape[3] as number]),
      };
    },
  },
  {
    kernelName: INSTANCE_NORM_GRAD,
    gradFunc: () => {
      throw new Error(
        'A gradient of a gradient went through the fused instance norm, which has none; run that computation ' +
          'inside withCompositeInstanceNorm() (as WGAN-GP’s gradient penalty does).',
      );
    },
  },
];

let registered = false;
/** Registers the kernels (wasm, cpu) and their gradients; idempotent. */
export function registerInstanceNorm(): void {
  if (registered) return;
  registered = true;
  for (const k of instanceNormKernels) if (tf.getKernel(k.kernelName, k.backendName) == null) tf.registerKernel(k);
  for (const g of gradients) tf.registerGradient(g);
}

let compositeDepth = 0;
/** Runs f with instance norms in the composite (twice-differentiable) form. */
export function withCompositeInstanceNorm<T>(f: () => T): T {
  compositeDepth++;
  try {
    return f();
  } finally {
    compositeDepth--;
  }
}

/** Whether instanceNorm() would run the fused kernels for x now. */
export function fusedInstanceNormApplies(x: TensorInfo): boolean {
  registerInstanceNorm();
  return compositeDepth === 0 && x.dtype === 'float32' && tf.getKernel(INSTANCE_NORM, tf.getBackend()) != null;
}

/**
 * The fused norm: y = (x − μ)/√(σ² + ε) per sample and channel of an NHWC tensor. With `bias` ([C]) it
 * computes norm(x + bias), which is norm(x) exactly (the mean subtraction cancels a per-channel
 * constant): the kernel ignores the bias, and its gradient for the bias is 0. This lets a conv that
 * feeds the norm keep the reference's bias parameter without paying its add and its gradient's sum.
 * `slope` fuses the activation after the norm: 1 none, 0 ReLU, 0.2 LeakyReLU(0.2).
 */
export function fusedInstanceNorm(x: tf.Tensor4D, epsilon: number, bias?: tf.Tensor, slope = 1): tf.Tensor4D {
  registerInstanceNorm();
  if (bias && (bias.rank !== 1 || bias.shape[0] !== x.shape[3]))
    throw new Error(`instance norm: a bias of shape ${JSON.stringify(bias.shape)} does not fit ${x.shape[3]} channels`);
  const inputs: tf.NamedTensorMap = bias ? { x, bias } : { x };
  const [y, stats] = tf.engine().runKernel(INSTANCE_NORM, inputs, { epsilon, slope }) as tf.Tensor[];
  // The gradient keeps its own reference to the statistics (the engine saves them); the caller gets y.
  (stats as Tensor).dispose();
  return y as tf.Tensor4D;
}
