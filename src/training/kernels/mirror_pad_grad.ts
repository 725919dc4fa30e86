// Gradient of MirrorPad (reflection padding), replacing tfjs-core 4.22's.
//
// Why: tfjs-core's MirrorPad gradient only slices the centre out of dy, dropping the gradient that
// flows through the mirrored border (wrong for every reflection-padded layer: the ResNet generator pads
// by 3 before its first and last 7x7 convolutions and by 1 inside each residual block). This config is
// registered with tf.registerGradient, so it applies on every backend, not only wasm. It is built from
// slice/concat/pad/add only, all fast on wasm (no Reverse, which is slow there).
//
// Math, per padded axis with paddings (p0, p1), original length n, offset e = 1 for 'reflect' and 0 for
// 'symmetric': out[k] = x[p0 − 1 − k + e] for k < p0; out[p0 + k] = x[k]; out[p0 + n + k] = x[n − 1 − k − e].
// So dx = dy[p0 : p0 + n] + the left border reversed, placed at e … e + p0 − 1, + the right border
// reversed, placed at n − e − p1 … n − e − 1. Axes are handled one after another.
//
// On wasm and cpu, 4-D float32 gradients run as one kernel instead (DiptychMirrorPadGrad: a single
// scatter-add pass, dx[src(k)] += dy[k], with src the padding's index map): the composite form is
// ~13 slice/concat/pad/add kernels per padded layer (~900 kernel calls per 64 px CycleGAN iteration).
// Its own gradient (for a gradient of a gradient) is the forward MirrorPad, its adjoint.

import type {
  GradConfig,
  KernelConfig,
  KernelFunc,
  MirrorPadAttrs,
  NamedAttrMap,
  Tensor,
  TensorInfo,
} from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { MirrorPad } from '@tensorflow/tfjs-core';
import { type BackendWasm, f32 } from './wasm_util.ts';

export const MIRROR_PAD_GRAD = 'DiptychMirrorPadGrad';

function sliceAxis(t: Tensor, axis: number, start: number, len: number): Tensor {
  const begin = t.shape.map((_, i) => (i === axis ? start : 0));
  const size = t.shape.map((d, i) => (i === axis ? len : d));
  return tf.slice(t, begin, size);
}

/** dy[from + len − 1], …, dy[from] along `axis`, as one tensor (slices of width 1, concatenated). */
function reversedRange(t: Tensor, axis: number, from: number, len: number): Tensor {
  const parts: Tensor[] = [];
  for (let k = len - 1; k >= 0; k--) parts.push(sliceAxis(t, axis, from + k, 1));
  return parts.length === 1 ? (parts[0] as Tensor) : tf.concat(parts, axis);
}

function padAxis(t: Tensor, axis: number, before: number, after: number): Tensor {
  if (before === 0 && after === 0) return t;
  return tf.pad(
    t,
    t.shape.map((_, i): [number, number] => (i === axis ? [before, after] : [0, 0])),
  );
}

export function mirrorPadBackward(
  dy: Tensor,
  paddings: Array<[number, number]>,
  mode: 'reflect' | 'symmetric',
): Tensor {
  const e = mode === 'reflect' ? 1 : 0;
  let g = dy;
  paddings.forEach(([p0, p1], axis) => {
    if (p0 === 0 && p1 === 0) return;
    const n = (g.shape[axis] as number) - p0 - p1;
    let dx = sliceAxis(g, axis, p0, n);
    if (p0 > 0) dx = tf.add(dx, padAxis(reversedRange(g, axis, 0, p0), axis, e, n - p0 - e));
    if (p1 > 0) dx = tf.add(dx, padAxis(reversedRange(g, axis, p0 + n, p1), axis, n - e - p1, e));
    g = dx;
  });
  return g;
}

/** For each padded index k of one axis, the index of x it copies (see the math above). */
function sourceIndex(len: number, [p0, p1]: [number, number], e: number): Int32Array {
  const out = new Int32Array(p0 + len + p1);
  for (let k = 0; k < out.length; k++) {
    out[k] = k < p0 ? p0 - 1 - k + e : k < p0 + len ? k - p0 : len - 1 - (k - p0 - len) - e;
  }
  return out;
}

/** dx (zeroed here, shape xShape) = Σ over dy of dx[src(k)] += dy[k], for 4-D tensors. */
export function mirrorPadScatter(
  dy: Float32Array,
  dx: Float32Array,
  xShape: readonly number[],
  paddings: Array<[number, number]>,
  mode: 'reflect' | 'symmetric',
): void {
  const e = mode === 'reflect' ? 1 : 0;
  const [X0, X1, X2, X3] = xShape as [number, number, number, number];
  const [m0, m1, m2, m3] = xShape.map((len, i) => sourceIndex(len, paddings[i] as [number, number], e)) as [
    Int32Array,
    Int32Array,
    Int32Array,
    Int32Array,
  ];
  dx.fill(0, 0, X0 * X1 * X2 * X3);
  let src = 0;
  for (let a = 0; a < m0.length; a++) {
    const ba = (m0[a] as number) * X1;
    for (let b = 0; b < m1.length; b++) {
      const bb = (ba + (m1[b] as number)) * X2;
      for (let c = 0; c < m2.length; c++) {
        const bc = (bb + (m2[c] as number)) * X3;
        for (let d = 0; d < m3.length; d++) {
          const i = bc + (m3[d] as number);
          dx[i] = (dx[i] as number) + (dy[src++] as number);
        }
      }
    }
  }
}

type GradAttrs = { paddings: Array<[number, number]>; mode: 'reflect' | 'symmetric'; xShape: number[] };

function wasmKernel(args: { inputs: { dy: TensorInfo }; backend: BackendWasm; attrs: GradAttrs }): TensorInfo {
  const { inputs, backend, attrs } = args;
  const dx = backend.makeOutput(attrs.xShape, 'float32');
  mirrorPadScatter(f32(backend, inputs.dy), f32(backend, dx), attrs.xShape, attrs.paddings, attrs.mode);
  return dx;
}

interface CpuBackend {
  data: { get(id: object): { values: Float32Array } };
  makeTensorInfo(shape: number[], dtype: 'float32', values: Float32Array): TensorInfo;
}

function cpuKernel(args: { inputs: { dy: TensorInfo }; backend: CpuBackend; attrs: GradAttrs }): TensorInfo {
  const { inputs, backend, attrs } = args;
  const dx = new Float32Array(tf.util.sizeFromShape(attrs.xShape));
  mirrorPadScatter(backend.data.get(inputs.dy.dataId).values, dx, attrs.xShape, attrs.paddings, attrs.mode);
  return backend.makeTensorInfo(attrs.xShape, 'float32', dx);
}

export const mirrorPadGradKernels: readonly KernelConfig[] = [
  { kernelName: MIRROR_PAD_GRAD, backendName: 'wasm', kernelFunc: wasmKernel as unknown as KernelFunc },
  { kernelName: MIRROR_PAD_GRAD, backendName: 'cpu', kernelFunc: cpuKernel as unknown as KernelFunc },
];

/** The fused kernel's gradient: the adjoint of a scatter through src is the gather, i.e. MirrorPad. */
export const mirrorPadGradGradConfig: GradConfig = {
  kernelName: MIRROR_PAD_GRAD,
  gradFunc: (ddx: Tensor | Tensor[], _saved: Tensor[], attrs: NamedAttrMap) => {
    const { paddings, mode } = attrs as unknown as GradAttrs;
    return { dy: () => tf.mirrorPad(ddx as Tensor, paddings, mode) };
  },
};

/** Whether the fused kernel runs this gradient on the active backend. */
function fused(dy: Tensor): boolean {
  return dy.rank === 4 && dy.dtype === 'float32' && tf.getKernel(MIRROR_PAD_GRAD, tf.getBackend()) != null;
}

export const mirrorPadGradConfig: GradConfig = {
  kernelName: MirrorPad,
  inputsToSave: ['x'],
  gradFunc: (dy: Tensor | Tensor[], saved: Tensor[], attrs: NamedAttrMap) => {
    const { paddings, mode } = attrs as unknown as MirrorPadAttrs;
    const g = dy as Tensor;
    if (fused(g)) {
      const xShape = (saved[0] as Tensor).shape;
      return {
        x: () =>
          tf
            .engine()
            .runKernel(MIRROR_PAD_GRAD, { dy: g }, { paddings, mode, xShape } as unknown as NamedAttrMap) as Tensor,
      };
    }
    return { x: () => mirrorPadBackward(g, paddings, mode) };
  },
};
