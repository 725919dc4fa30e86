// The small-Co filter-gradient route (kernels/filter_grad_small_co.ts: stride 1, Co ≤ 4, one GEMM with
// the taps split between its sides) against tfjs-backend-cpu's Conv2DBackpropFilter: kernels 1/3/4/7,
// same/valid/explicit padding, odd sizes, batch > 1, Co 1…4, and the generator's last-layer shape.

import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { smallCoFilterGradApplies } from '../../../src/training/kernels/filter_grad_small_co.ts';
import { patchGeometry } from '../../../src/training/kernels/patch-geometry.ts';
import { compare, rand, setup, TOL } from './helpers.ts';

beforeAll(async () => {
  await setup();
});

type Pad = 'same' | 'valid' | [[number, number], [number, number], [number, number], [number, number]];
interface Case {
  n: number;
  h: number;
  w: number;
  ci: number;
  co: number;
  k: number;
  pad: Pad;
}

const explicit = (t: number, b: number, l: number, r: number): Pad => [
  [0, 0],
  [t, b],
  [l, r],
  [0, 0],
];

const cases: Case[] = [];
for (const k of [1, 3, 4, 7])
  for (const pad of ['same', 'valid', explicit(k - 1, 1, 2, k - 1)] as Pad[])
    cases.push({ n: 2, h: 9 + (k % 2), w: 11, ci: 5, co: 1 + (k % 4), k, pad });
cases.push({ n: 3, h: 13, w: 6, ci: 4, co: 4, k: 3, pad: explicit(0, 2, 1, 0) });
cases.push({ n: 1, h: 46, w: 46, ci: 32, co: 3, k: 7, pad: 'valid' }); // the generator's last layer at 40 px

const name = (c: Case) =>
  `n${c.n} ${c.h}x${c.w} ci${c.ci} co${c.co} k${c.k} pad ${typeof c.pad === 'string' ? c.pad : JSON.stringify(c.pad.slice(1, 3))}`;

function attrs(c: Case): tf.NamedAttrMap {
  return {
    strides: 1,
    pad: c.pad,
    dataFormat: 'NHWC',
    dimRoundingMode: undefined,
    filterShape: [c.k, c.k, c.ci, c.co],
  } as unknown as tf.NamedAttrMap;
}

describe('small-Co filter gradient (wasm) vs cpu', () => {
  for (const c of cases) {
    it(name(c), () => {
      const { err, maxAbs } = compare(() => {
        const x = tf.tensor4d(rand(c.n * c.h * c.w * c.ci, 5), [c.n, c.h, c.w, c.ci]);
        const f = tf.zeros([c.k, c.k, c.ci, c.co]) as tf.Tensor4D;
        const yShape = tf.conv2d(x, f, 1, c.pad).shape;
        const dy = tf.tensor4d(rand(tf.util.sizeFromShape(yShape), 9), yShape);
        return tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, attrs(c)) as tf.Tensor;
      });
      expect(maxAbs).toBeGreaterThan(0.1);
      expect(err).toBeLessThan(TOL);
    });
  }

  it('is the route these cases take, and not for stride 2 or Co > 4', () => {
    const geometry = (c: Case, stride: number, co = c.co) =>
      patchGeometry(
        tf.backend_util.computeConv2DInfo(
          [c.n, c.h, c.w, c.ci],
          [c.k, c.k, c.ci, co],
          stride,
          1,
          c.pad as 'same',
          undefined,
          false,
          'channelsLast',
        ),
      );
    for (const c of cases) expect(smallCoFilterGradApplies(geometry(c, 1)), name(c)).toBe(true);
    expect(smallCoFilterGradApplies(geometry(cases[0] as Case, 2))).toBe(false);
    expect(smallCoFilterGradApplies(geometry(cases[0] as Case, 1, 5))).toBe(false);
  });
});
