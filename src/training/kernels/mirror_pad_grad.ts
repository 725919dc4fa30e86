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

import type { GradConfig, MirrorPadAttrs, NamedAttrMap, Tensor } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { MirrorPad } from '@tensorflow/tfjs-core';

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

export const mirrorPadGradConfig: GradConfig = {
  kernelName: MirrorPad,
  inputsToSave: ['x'],
  gradFunc: (dy: Tensor | Tensor[], _saved: Tensor[], attrs: NamedAttrMap) => {
    const { paddings, mode } = attrs as unknown as MirrorPadAttrs;
    return { x: () => mirrorPadBackward(dy as Tensor, paddings, mode) };
  },
};
