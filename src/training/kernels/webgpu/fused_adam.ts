// DiptychAdam for tfjs-backend-webgpu: the fused Adam update of ../fused_adam.ts (whose optimiser runs it
// wherever the kernel is registered for the active backend).
//
// Why: tfjs's AdamOptimizer is ~14 element-wise ops per weight and step; on WebGPU each is a dispatch
// (and the engine's bookkeeping) for every one of a CycleGAN's ~150 weight tensors.
//
// Math (as tfjs-core 4.22's AdamOptimizer; c1 = 1 − β1^t, c2 = 1 − β2^t):
//   m' = β1·m + (1 − β1)·g,   v' = β2·v + (1 − β2)·g²,   w' = w − (lr/c1)·m' / (√(v'/c2) + ε)
//
// Three outputs: a tfjs WebGPU program has exactly one output buffer (binding 0; the inputs are bound
// read-only), and the backend cannot hand out views of one buffer as separate tensors. The choices were
//   (a) one program per output, each reading w, m, v, g and recomputing m'/v' (3 dispatches, 12n reads,
//       3n writes), or
//   (b) one program writing a packed [3, n] output, then three Slice kernels (4 dispatches, 4n reads +
//       3n writes, then 3n reads + 3n writes for the slices, and a 3n temporary).
// (a) is used: fewer dispatches and less traffic. Against stock Adam's ~14 dispatches per weight it is
// 3. Where n is a multiple of 4 the programs read and write vec4s.

import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { FUSED_ADAM, type FusedAdamAttrs } from '../fused_adam.ts';
import { allFloat32, flatDispatch, type WebGPUBackend, type WebGPUProgram } from './program.ts';

const OUTPUTS = ['w', 'm', 'v'] as const;
type Output = (typeof OUTPUTS)[number];

class AdamProgram implements WebGPUProgram {
  variableNames = ['w', 'm', 'v', 'g'];
  outputShape: number[];
  shaderKey: string;
  dispatchLayout = { x: [0] };
  dispatch: [number, number, number];
  workgroupSize: [number, number, number] = [64, 1, 1];
  uniforms = 'beta1 : f32, beta2 : f32, step : f32, inv2 : f32, eps : f32,';
  size = true;
  outputComponent: number;
  private output: Output;

  constructor(n: number, output: Output) {
    this.outputShape = [n];
    this.output = output;
    this.outputComponent = n % 4 === 0 ? 4 : 1;
    this.dispatch = flatDispatch(n / this.outputComponent, 64);
    this.shaderKey = `diptychAdam_${output}_${this.outputComponent}`;
  }

  getUserCode(): string {
    const T = this.outputComponent === 4 ? 'vec4<f32>' : 'f32';
    const value =
      this.output === 'm'
        ? 'mNew'
        : this.output === 'v'
          ? 'vNew'
          : 'w[index] - uniforms.step * mNew / (sqrt(vNew * uniforms.inv2) + uniforms.eps)';
    return `
    fn main(index : i32) {
      if (index < uniforms.size) {
        _ = w[index];  // every input bound by every program (the pipeline's layout is inferred from use)
        let gi = g[index];
        let mNew = uniforms.beta1 * m[index] + (1.0 - uniforms.beta1) * gi;
        let vNew = uniforms.beta2 * v[index] + (1.0 - uniforms.beta2) * gi * gi;
        result[index] = ${T}(${value});
      }
    }`;
  }
}

function adam(args: {
  inputs: { x: TensorInfo; m: TensorInfo; v: TensorInfo; g: TensorInfo };
  backend: WebGPUBackend;
  attrs: FusedAdamAttrs;
}): TensorInfo[] {
  const { inputs, backend, attrs } = args;
  const { x, m, v, g } = inputs;
  if (!allFloat32(x, m, v, g)) throw new Error('DiptychAdam needs float32 weights, moments and gradients');
  const n = tf.util.sizeFromShape(x.shape);
  const flat = [x, m, v, g].map((t) => ({ ...t, shape: [n] }));
  const uniforms = [
    { type: 'float32' as const, data: [attrs.beta1] },
    { type: 'float32' as const, data: [attrs.beta2] },
    { type: 'float32' as const, data: [attrs.lr / attrs.c1] },
    { type: 'float32' as const, data: [1 / attrs.c2] },
    { type: 'float32' as const, data: [attrs.eps] },
  ];
  return OUTPUTS.map((o) => {
    const out = backend.runWebGPUProgram(new AdamProgram(n, o), flat, 'float32', uniforms);
    return { ...out, shape: x.shape.slice() };
  });
}

export const fusedAdamWebGpuConfig: KernelConfig = {
  kernelName: FUSED_ADAM,
  backendName: 'webgpu',
  kernelFunc: adam as unknown as KernelFunc,
};
