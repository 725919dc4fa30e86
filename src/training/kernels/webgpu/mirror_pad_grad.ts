// DiptychMirrorPadGrad for tfjs-backend-webgpu: the gradient of a 4-D reflection/symmetric padding
// (MirrorPad) as one program, where ../mirror_pad_grad.ts's gradient config finds the kernel registered.
//
// Why: the composite form (mirrorPadBackward) is ~13 slice/concat/pad/add dispatches per padded layer.
//
// Math (as ../mirror_pad_grad.ts): per axis with paddings (p0, p1), length n and e = 1 for 'reflect',
// 0 for 'symmetric', padded index k copies x[src(k)] with
//   src(k) = p0 − 1 − k + e (k < p0),  k − p0 (p0 ≤ k < p0 + n),  n − 1 − (k − p0 − n) − e (k ≥ p0 + n).
// The gradient is the scatter-add dx[src(k)] += dy[k]; here it is computed as a gather, one invocation
// per dx element t: per axis the padded indices that map to t are
//   p0 + t (always),  p0 − 1 + e − t (if within [0, p0)),  2n + p0 − 1 − e − t (if within [p0 + n, p0 + n + p1)),
// at most 3 per axis, and dx[t] is the sum of dy over their product (no atomics, no zero-fill pass).

import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { MIRROR_PAD_GRAD } from '../mirror_pad_grad.ts';
import { allFloat32, flatDispatch, type WebGPUBackend, type WebGPUProgram } from './program.ts';

class MirrorPadGradProgram implements WebGPUProgram {
  variableNames = ['dy'];
  outputShape: number[];
  shaderKey = 'diptychMirrorPadGrad';
  dispatchLayout = { x: [0, 1, 2, 3] };
  dispatch: [number, number, number];
  workgroupSize: [number, number, number] = [64, 1, 1];
  uniforms = 'before : vec4<i32>, after : vec4<i32>, e : i32,';
  size = true;

  constructor(xShape: number[]) {
    this.outputShape = xShape;
    this.dispatch = flatDispatch(tf.util.sizeFromShape(xShape), 64);
  }

  getUserCode(): string {
    return `
    fn main(index : i32) {
      if (index < uniforms.size) {
        let t = getCoordsFromIndex(index);
        let e = uniforms.e;
        // Per axis: the padded indices that copy x's index t[axis] (count, then up to 3 of them).
        var idx : array<vec3<i32>, 4>;
        var cnt : vec4<i32>;
        for (var a = 0; a < 4; a = a + 1) {
          let p0 = uniforms.before[a];
          let p1 = uniforms.after[a];
          let n = uniforms.outShape[a];
          var c = 1;
          idx[a][0] = p0 + t[a];
          let left = p0 - 1 + e - t[a];
          if (left >= 0 && left < p0) { idx[a][c] = left; c = c + 1; }
          let right = 2 * n + p0 - 1 - e - t[a];
          if (right >= p0 + n && right < p0 + n + p1) { idx[a][c] = right; c = c + 1; }
          cnt[a] = c;
        }
        var s = 0.0;
        for (var i0 = 0; i0 < cnt[0]; i0 = i0 + 1) {
          for (var i1 = 0; i1 < cnt[1]; i1 = i1 + 1) {
            for (var i2 = 0; i2 < cnt[2]; i2 = i2 + 1) {
              let row = ((idx[0][i0] * uniforms.dyShape[1] + idx[1][i1]) * uniforms.dyShape[2] + idx[2][i2]) * uniforms.dyShape[3];
              for (var i3 = 0; i3 < cnt[3]; i3 = i3 + 1) {
                s = s + dy[row + idx[3][i3]];
              }
            }
          }
        }
        setOutputAtIndex(index, s);
      }
    }`;
  }
}

type Attrs = { paddings: Array<[number, number]>; mode: 'reflect' | 'symmetric'; xShape: number[] };

function mirrorPadGrad(args: { inputs: { dy: TensorInfo }; backend: WebGPUBackend; attrs: Attrs }): TensorInfo {
  const { inputs, backend, attrs } = args;
  const { dy } = inputs;
  const { paddings, mode, xShape } = attrs;
  if (dy.shape.length !== 4 || !allFloat32(dy))
    throw new Error(
      `webgpu ${MIRROR_PAD_GRAD} needs a 4-D float32 gradient, got ${dy.dtype} ${JSON.stringify(dy.shape)}`,
    );
  return backend.runWebGPUProgram(new MirrorPadGradProgram(xShape), [dy], 'float32', [
    { type: 'int32', data: paddings.map((p) => p[0]) },
    { type: 'int32', data: paddings.map((p) => p[1]) },
    { type: 'int32', data: [mode === 'reflect' ? 1 : 0] },
  ]);
}

export const mirrorPadGradWebGpuConfig: KernelConfig = {
  kernelName: MIRROR_PAD_GRAD,
  backendName: 'webgpu',
  kernelFunc: mirrorPadGrad as unknown as KernelFunc,
};
