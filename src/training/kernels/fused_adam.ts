// Adam in one pass per weight: a 'DiptychAdam' kernel (wasm and cpu) and an AdamOptimizer that uses it.
//
// Why: tfjs's AdamOptimizer spends ~14 element-wise ops per weight and step (mul, add, square, div, sqrt,
// …), each a full pass over the weight plus the engine's per-op bookkeeping. On wasm that was the
// biggest cost after the convolutions (Add + Multiply + RealDiv + Sqrt + Square ≈ 15% of a CycleGAN
// iteration at 64 px). This kernel reads w, m, v, g once and writes w', m', v' once.
//
// Same update as tfjs-core 4.22's AdamOptimizer (so its getWeights/setWeights and checkpoints are
// unchanged), with c1 = 1 − β1^t, c2 = 1 − β2^t:
//   m' = β1·m + (1 − β1)·g,   v' = β2·v + (1 − β2)·g²,   w' = w − lr · (m'/c1) / (√(v'/c2) + ε)
// The outputs are new tensors (the optimiser assigns them), never written in place: wasm's XNNPACK
// operator caches and the pack's filter caches are keyed by tensor, so a weight's data must not change
// under the same tensor.

import type { KernelConfig, KernelFunc, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { type BackendWasm, f32 } from './wasm_util.ts';

export const FUSED_ADAM = 'DiptychAdam';

export interface FusedAdamAttrs {
  lr: number;
  beta1: number;
  beta2: number;
  eps: number;
  /** 1 − β1^t and 1 − β2^t (bias corrections of this step). */
  c1: number;
  c2: number;
}

/** The update itself, on plain arrays (shared by both backends). */
export function adamUpdate(
  w: Float32Array,
  m: Float32Array,
  v: Float32Array,
  g: Float32Array,
  wOut: Float32Array,
  mOut: Float32Array,
  vOut: Float32Array,
  a: FusedAdamAttrs,
): void {
  const { beta1, beta2, eps } = a;
  const k1 = 1 - beta1;
  const k2 = 1 - beta2;
  const step = a.lr / a.c1;
  const inv2 = 1 / a.c2;
  const n = w.length;
  for (let i = 0; i < n; i++) {
    const gi = g[i] as number;
    const mi = beta1 * (m[i] as number) + k1 * gi;
    const vi = beta2 * (v[i] as number) + k2 * gi * gi;
    mOut[i] = mi;
    vOut[i] = vi;
    wOut[i] = (w[i] as number) - (step * mi) / (Math.sqrt(vi * inv2) + eps);
  }
}

/** What Optimizer.applyGradients takes: a name → gradient map, or a list of named gradients. */
type Gradients = Parameters<tf.AdamOptimizer['applyGradients']>[0];
type NamedGradient = { name: string; tensor: tf.Tensor };

type Inputs = { x: TensorInfo; m: TensorInfo; v: TensorInfo; g: TensorInfo };

function wasmAdam(args: { inputs: Inputs; backend: BackendWasm; attrs: FusedAdamAttrs }): TensorInfo[] {
  const { inputs, backend, attrs } = args;
  const { shape } = inputs.x;
  const outs = [0, 1, 2].map(() => backend.makeOutput(shape, 'float32'));
  // Views only after the last allocation (a heap growth detaches earlier ones).
  const [wOut, mOut, vOut] = outs.map((t) => f32(backend, t)) as [Float32Array, Float32Array, Float32Array];
  const get = (t: TensorInfo) => f32(backend, t);
  adamUpdate(get(inputs.x), get(inputs.m), get(inputs.v), get(inputs.g), wOut, mOut, vOut, attrs);
  return outs;
}

interface CpuBackend {
  data: { get(id: object): { values: Float32Array } };
  makeTensorInfo(shape: number[], dtype: 'float32', values: Float32Array): TensorInfo;
}

function cpuAdam(args: { inputs: Inputs; backend: CpuBackend; attrs: FusedAdamAttrs }): TensorInfo[] {
  const { inputs, backend, attrs } = args;
  const n = tf.util.sizeFromShape(inputs.x.shape);
  const get = (t: TensorInfo) => backend.data.get(t.dataId).values;
  const wOut = new Float32Array(n);
  const mOut = new Float32Array(n);
  const vOut = new Float32Array(n);
  adamUpdate(get(inputs.x), get(inputs.m), get(inputs.v), get(inputs.g), wOut, mOut, vOut, attrs);
  const { shape } = inputs.x;
  return [wOut, mOut, vOut].map((values) => backend.makeTensorInfo(shape, 'float32', values));
}

export const fusedAdamWasmConfig: KernelConfig = {
  kernelName: FUSED_ADAM,
  backendName: 'wasm',
  kernelFunc: wasmAdam as unknown as KernelFunc,
};

export const fusedAdamCpuConfig: KernelConfig = {
  kernelName: FUSED_ADAM,
  backendName: 'cpu',
  kernelFunc: cpuAdam as unknown as KernelFunc,
};

/** Registers the kernel for wasm and cpu (once; the optimiser does it on first use). */
export function registerFusedAdam(): void {
  for (const config of [fusedAdamWasmConfig, fusedAdamCpuConfig]) {
    if (tf.getKernel(config.kernelName, config.backendName) == null) tf.registerKernel(config);
  }
}

/**
 * tf.train.adam with the fused update where the active backend has the kernel (wasm, cpu); elsewhere
 * (tfjs-node, which runs Adam natively fast enough) it is tfjs's own. Float32 weights only.
 */
export class FusedAdamOptimizer extends tf.AdamOptimizer {
  /**
   * β1^t and β2^t as the device holds them (accBeta1/2), mirrored on the host: the bias corrections
   * are kernel attributes, and reading the device scalars every step would be a synchronous read, which
   * costs a GPU round trip and which tfjs's webgpu backend cannot do at all under Node. The mirror is
   * updated with float32 rounding, exactly as the device's tf.mul, so it never drifts from accBeta1/2.
   * Null when the variables were set from outside (checkpoint restore): refreshBetaPowers() reads them.
   */
  private betaPowers: [number, number] | null = null;

  /** Re-reads β1^t, β2^t from the device (after something assigned accBeta1/2 directly). */
  async refreshBetaPowers(): Promise<void> {
    const self = this as unknown as { accBeta1: tf.Variable; accBeta2: tf.Variable };
    this.betaPowers = [(await self.accBeta1.data())[0] as number, (await self.accBeta2.data())[0] as number];
  }

  override async setWeights(weightValues: { name: string; tensor: tf.Tensor }[]): Promise<void> {
    await super.setWeights(weightValues);
    await this.refreshBetaPowers();
  }

  override applyGradients(variableGradients: Gradients): void {
    registerFusedAdam();
    const backendName = tf.getBackend();
    if (tf.getKernel(FUSED_ADAM, backendName) == null) {
      super.applyGradients(variableGradients);
      return;
    }
    const list = Array.isArray(variableGradients);
    const names = list ? variableGradients.map((v) => v.name) : Object.keys(variableGradients);
    // The bias corrections are host numbers; accBeta1/2 (device scalars) stay in step for getWeights.
    const self = this as unknown as {
      accBeta1: tf.Variable;
      accBeta2: tf.Variable;
      accumulatedFirstMoment: { originalName: string; variable: tf.Variable }[];
      accumulatedSecondMoment: { originalName: string; variable: tf.Variable }[];
      learningRate: number;
      beta1: number;
      beta2: number;
      epsilon: number;
    };
    // A fresh optimiser holds β1, β2 (tfjs's constructor); before that is known, read the device once.
    this.betaPowers ??= this.iterations === 0 ? [Math.fround(self.beta1), Math.fround(self.beta2)] : null;
    const [accBeta1, accBeta2] = this.betaPowers ?? [
      self.accBeta1.dataSync()[0] as number,
      self.accBeta2.dataSync()[0] as number,
    ];
    const attrs: FusedAdamAttrs = {
      lr: self.learningRate,
      beta1: self.beta1,
      beta2: self.beta2,
      eps: self.epsilon,
      c1: 1 - accBeta1,
      c2: 1 - accBeta2,
    };
    tf.tidy(() => {
      names.forEach((name, i) => {
        const value = tf.engine().registeredVariables[name] as tf.Variable;
        self.accumulatedFirstMoment[i] ??= {
          originalName: `${name}/m`,
          variable: tf.tidy(() => tf.zerosLike(value).variable(false)),
        };
        self.accumulatedSecondMoment[i] ??= {
          originalName: `${name}/v`,
          variable: tf.tidy(() => tf.zerosLike(value).variable(false)),
        };
        const gradient = list
          ? (variableGradients as NamedGradient[])[i]?.tensor
          : (variableGradients as Record<string, tf.Tensor>)[name];
        if (gradient == null) return;
        const m = self.accumulatedFirstMoment[i].variable;
        const v = self.accumulatedSecondMoment[i].variable;
        const [w2, m2, v2] = tf
          .engine()
          .runKernel(FUSED_ADAM, { x: value, m, v, g: gradient }, attrs as unknown as NamedAttrMap) as tf.Tensor[];
        m.assign(m2 as tf.Tensor);
        v.assign(v2 as tf.Tensor);
        value.assign(w2 as tf.Tensor);
      });
      self.accBeta1.assign(tf.mul(self.accBeta1, self.beta1));
      self.accBeta2.assign(tf.mul(self.accBeta2, self.beta2));
    });
    // float32 × float32 is exact in a double; fround then rounds as the device's multiply does.
    this.betaPowers = [
      Math.fround(accBeta1 * Math.fround(self.beta1)),
      Math.fround(accBeta2 * Math.fround(self.beta2)),
    ];
    this.incrementIterations();
  }
}

/** Drop-in for tf.train.adam(learningRate, beta1, beta2, epsilon). */
/** Whether `optimizer` is Diptych's fused Adam (tfjs's Optimizer makes instanceof true for any optimiser). */
export function isFusedAdam(optimizer: tf.Optimizer): optimizer is FusedAdamOptimizer {
  return typeof (optimizer as Partial<FusedAdamOptimizer>).refreshBetaPowers === 'function';
}

export function fusedAdam(learningRate: number, beta1 = 0.9, beta2 = 0.999, epsilon?: number): FusedAdamOptimizer {
  return new FusedAdamOptimizer(learningRate, beta1, beta2, epsilon);
}
