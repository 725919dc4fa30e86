// Diptych's WebGPU kernel pack (src/training/kernels/webgpu) against the cpu backend: the fused instance
// norm and its gradient, fused Adam, the GEMM Conv2DBackpropFilter and the MirrorPad gradient, over
// strides, kernel sizes, odd maps, batches and channel counts that are not multiples of 4.
// Runs WebGPU in-process (Dawn); without any adapter (no Vulkan) the file is skipped with the reason.

import * as tf from '@tensorflow/tfjs-core';
import { backend_util, Conv2DBackpropFilter } from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FUSED_ADAM, fusedAdam } from '../../../src/training/kernels/fused_adam.ts';
import { INSTANCE_NORM, INSTANCE_NORM_GRAD } from '../../../src/training/kernels/instance_norm.ts';
import { MIRROR_PAD_GRAD, mirrorPadBackward } from '../../../src/training/kernels/mirror_pad_grad.ts';
import { setMinGemmK } from '../../../src/training/kernels/webgpu/conv2d_backprop_filter.ts';
import { registerWebGpuKernelPack, unregisterWebGpuKernels } from '../../../src/training/kernels/webgpu/index.ts';
import { instanceNormCancellingBias } from '../../../src/training/nn/layers.ts';
import { compareWithCpu, rand, runOn, setupWebGpu, TOL, webGpuUnavailable, worstErr } from './webgpu_helpers.ts';

const unavailable = await webGpuUnavailable();
if (unavailable) console.warn(`Skipping the WebGPU kernel pack tests: ${unavailable}`);

type Shape4 = [number, number, number, number];

function tensor(shape: number[], seed: number, scale = 1, shift = 0): tf.Tensor {
  const t = tf.tensor(rand(tf.util.sizeFromShape(shape), seed), shape);
  return scale === 1 && shift === 0 ? t : tf.add(tf.mul(t, scale), shift);
}

describe.skipIf(unavailable != null)('WebGPU kernel pack', () => {
  beforeAll(async () => {
    const names = await setupWebGpu();
    expect(names).toEqual([INSTANCE_NORM, INSTANCE_NORM_GRAD, FUSED_ADAM, Conv2DBackpropFilter, MIRROR_PAD_GRAD]);
  });

  describe('instance norm', () => {
    const shapes: Shape4[] = [
      [1, 1, 1, 1],
      [2, 5, 7, 3],
      [3, 9, 4, 5],
      [1, 13, 13, 16],
      [2, 16, 17, 6],
      [1, 48, 48, 3],
    ];
    for (const shape of shapes) {
      for (const slope of [1, 0, 0.2]) {
        it(`forward and gradient for ${JSON.stringify(shape)}, slope ${slope}`, async () => {
          const attrs = { epsilon: 1e-5, slope };
          const f = () => {
            const x = tensor(shape, 3, 3, 0.7);
            const dy = tensor(shape, 4);
            const [y, stats] = tf.engine().runKernel(INSTANCE_NORM, { x }, attrs) as [tf.Tensor, tf.Tensor];
            const dx = tf.engine().runKernel(INSTANCE_NORM_GRAD, { dy, x, stats }, attrs) as tf.Tensor;
            return [y, stats, dx];
          };
          expect(await compareWithCpu(f)).toBeLessThan(TOL);
        });
      }
    }

    it('ignores the bias input and gives it a zero gradient, through tf.grads', async () => {
      const shape: Shape4 = [2, 7, 5, 5];
      const f = () => {
        const x = tensor(shape, 5, 2, -0.3);
        const b = tensor([5], 6);
        const u = tensor(shape, 7);
        const loss = (xx: tf.Tensor, bb: tf.Tensor) => {
          const y = tf.engine().runKernel(INSTANCE_NORM, { x: xx, bias: bb }, { epsilon: 1e-5, slope: 0.2 });
          return tf.sum(tf.mul((y as tf.Tensor[])[0] as tf.Tensor, u));
        };
        return tf.grads(loss)([x, b]) as tf.Tensor[];
      };
      const ref = await runOn('cpu', f);
      const got = await runOn('webgpu', f);
      expect(worstErr(got, ref)).toBeLessThan(TOL);
      expect(Array.from(got.values[1] as Float32Array)).toEqual([0, 0, 0, 0, 0]);
    });
  });

  describe('fused Adam', () => {
    // 4704: a 7x7x3x32 filter (vec4 path); 13 and 3: not multiples of 4 (scalar path).
    for (const n of [4704, 13, 3]) {
      it(`matches cpu for ${n} weights`, async () => {
        const attrs = { lr: 2e-4, beta1: 0.5, beta2: 0.999, eps: 1e-8, c1: 1 - 0.5 ** 3, c2: 1 - 0.999 ** 3 };
        const f = () => {
          const x = tensor([n], 1);
          const m = tensor([n], 2, 0.1);
          const v = tf.abs(tensor([n], 3, 0.01));
          const g = tensor([n], 4);
          return tf.engine().runKernel(FUSED_ADAM, { x, m, v, g }, attrs) as tf.Tensor[];
        };
        expect(await compareWithCpu(f)).toBeLessThan(TOL);
      });
    }

    it('runs the fused optimiser on webgpu (three steps match cpu)', async () => {
      const run = async (backend: 'cpu' | 'webgpu') => {
        await tf.setBackend(backend);
        const w = tf.variable(tensor([3, 3, 5, 7], 8), true, `w_${backend}`);
        const opt = fusedAdam(1e-2, 0.5, 0.999);
        for (let step = 0; step < 3; step++) {
          opt.minimize(() => tf.sum(tf.mul(tf.square(w), tensor([3, 3, 5, 7], 9 + step))) as tf.Scalar);
        }
        const out = (await w.data()) as Float32Array;
        w.dispose();
        opt.dispose();
        return { values: [out], shapes: [[out.length]] };
      };
      const ref = await run('cpu');
      const got = await run('webgpu');
      expect(worstErr(got, ref)).toBeLessThan(TOL);
    });
  });

  describe('Conv2DBackpropFilter (GEMM)', () => {
    // The GEMM on every shape here (by default a reduction shorter than 256 runs the stock kernel).
    beforeAll(() => setMinGemmK(0));
    afterAll(() => setMinGemmK(null));

    type Pad = 'same' | 'valid' | [[number, number], [number, number], [number, number], [number, number]];
    const cases: { x: Shape4; k: number; co: number; s: number; pad: Pad }[] = [
      { x: [2, 5, 5, 3], k: 1, co: 5, s: 1, pad: 'valid' },
      { x: [2, 7, 7, 3], k: 3, co: 5, s: 1, pad: 'same' },
      { x: [1, 9, 9, 5], k: 3, co: 8, s: 2, pad: 'same' },
      {
        x: [2, 9, 9, 3],
        k: 4,
        co: 16,
        s: 2,
        pad: [
          [0, 0],
          [1, 1],
          [1, 1],
          [0, 0],
        ],
      },
      { x: [1, 7, 7, 5], k: 4, co: 3, s: 1, pad: 'same' },
      { x: [2, 13, 13, 3], k: 7, co: 4, s: 1, pad: 'valid' },
      { x: [1, 13, 13, 8], k: 7, co: 3, s: 1, pad: 'valid' },
      { x: [1, 13, 13, 3], k: 3, co: 33, s: 2, pad: 'valid' },
      {
        x: [2, 9, 7, 5],
        k: 3,
        co: 6,
        s: 1,
        pad: [
          [0, 0],
          [2, 0],
          [0, 1],
          [0, 0],
        ],
      },
      // Split-K (K = 2048 over 1 tile), and M over several tiles.
      { x: [2, 32, 32, 3], k: 3, co: 8, s: 1, pad: 'same' },
      { x: [1, 20, 20, 16], k: 3, co: 40, s: 1, pad: 'same' },
    ];
    for (const c of cases) {
      it(`x ${JSON.stringify(c.x)}, ${c.k}x${c.k} → ${c.co}, stride ${c.s}, pad ${JSON.stringify(c.pad)}`, async () => {
        const filterShape: Shape4 = [c.k, c.k, c.x[3], c.co];
        const info = backend_util.computeConv2DInfo(c.x, filterShape, c.s, 1, c.pad);
        const dyShape = [c.x[0], info.outHeight, info.outWidth, c.co];
        const f = () =>
          tf
            .engine()
            .runKernel(
              Conv2DBackpropFilter,
              { x: tensor(c.x, 11), dy: tensor(dyShape, 12) },
              { strides: [c.s, c.s], pad: c.pad, dataFormat: 'NHWC', filterShape },
            ) as tf.Tensor;
        expect(await compareWithCpu(f)).toBeLessThan(TOL);
      });
    }
  });

  describe('MirrorPad gradient', () => {
    const cases: { shape: Shape4; p: number; mode: 'reflect' | 'symmetric' }[] = [
      { shape: [2, 5, 7, 3], p: 1, mode: 'reflect' },
      { shape: [1, 9, 9, 5], p: 3, mode: 'reflect' },
      { shape: [2, 4, 5, 3], p: 3, mode: 'reflect' },
      { shape: [1, 5, 7, 3], p: 2, mode: 'symmetric' },
      { shape: [1, 3, 3, 2], p: 3, mode: 'symmetric' },
    ];
    for (const c of cases) {
      it(`${c.mode} by ${c.p} on ${JSON.stringify(c.shape)}: kernel and composite match cpu`, async () => {
        const paddings: Array<[number, number]> = [
          [0, 0],
          [c.p, c.p],
          [c.p, Math.max(0, c.p - 1)],
          [0, 0],
        ];
        const padded = c.shape.map(
          (d, i) => d + (paddings[i] as [number, number])[0] + (paddings[i] as [number, number])[1],
        );
        const grad = () => {
          const u = tensor(padded, 14);
          return tf.grad((x: tf.Tensor) => tf.sum(tf.mul(tf.mirrorPad(x, paddings, c.mode), u)))(tensor(c.shape, 13));
        };
        const ref = await runOn('cpu', grad);
        const kernel = await runOn('webgpu', grad);
        const composite = await runOn('webgpu', () => mirrorPadBackward(tensor(padded, 14), paddings, c.mode));
        expect(worstErr(kernel, ref)).toBeLessThan(TOL);
        expect(worstErr(composite, ref)).toBeLessThan(TOL);
        // Bites: the border's gradient reaches x (the stock tfjs-core gradient dropped it).
        const centre = await runOn('cpu', () =>
          tf.slice(
            tensor(padded, 14),
            paddings.map((p) => p[0]),
            c.shape,
          ),
        );
        expect(worstErr(kernel, centre)).toBeGreaterThan(1e-3);
      });
    }
  });
});

describe.skipIf(unavailable != null)('WebGPU kernel pack against the composite path', () => {
  const all = [INSTANCE_NORM, INSTANCE_NORM_GRAD, FUSED_ADAM, Conv2DBackpropFilter, MIRROR_PAD_GRAD];

  beforeAll(async () => {
    await setupWebGpu();
  });

  /** pad → conv 3x3 → norm+ReLU → conv 4x4 stride 2 → norm+LeakyReLU, and the gradients of Σ out·u. */
  function chain(): tf.Tensor[] {
    const x = tensor([2, 9, 9, 3], 21) as tf.Tensor4D;
    const w1 = tensor([3, 3, 3, 5], 22, 0.3);
    const b1 = tensor([5], 23);
    const w2 = tensor([4, 4, 5, 6], 24, 0.3);
    const b2 = tensor([6], 25);
    const u = tensor([2, 5, 5, 6], 26);
    const f = (xx: tf.Tensor, v1: tf.Tensor, c1: tf.Tensor, v2: tf.Tensor, c2: tf.Tensor) => {
      const p = tf.mirrorPad(
        xx as tf.Tensor4D,
        [
          [0, 0],
          [1, 1],
          [1, 1],
          [0, 0],
        ],
        'reflect',
      );
      const h = instanceNormCancellingBias(tf.conv2d(p, v1 as tf.Tensor4D, 1, 'valid'), c1, 'relu');
      const o = instanceNormCancellingBias(tf.conv2d(h, v2 as tf.Tensor4D, 2, 'same'), c2, 'leakyRelu');
      return tf.sum(tf.mul(o, u)) as tf.Scalar;
    };
    const { value, grads } = tf.valueAndGrads(f)([x, w1, b1, w2, b2]);
    return [value, ...grads];
  }

  it('a conv + norm + activation chain: forward and backward agree with and without the pack', async () => {
    await tf.setBackend('webgpu');
    // tf.profile returns the same object every time: copy what is needed before profiling again.
    const packProfile = await tf.profile(() => tf.dispose(chain()));
    const packNames = packProfile.kernelNames;
    const packCalls = packProfile.kernels.length;
    const pack = await runOn('webgpu', chain);
    unregisterWebGpuKernels(all);
    try {
      await tf.setBackend('webgpu');
      const compositeProfile = await tf.profile(() => tf.dispose(chain()));
      const compositeNames = compositeProfile.kernelNames;
      const compositeCalls = compositeProfile.kernels.length;
      const composite = await runOn('webgpu', chain);
      expect(worstErr(pack, composite)).toBeLessThan(TOL);
      expect(worstErr(pack, await runOn('cpu', chain))).toBeLessThan(TOL);
      // The pack's kernels ran (and the composite path ran none of them).
      for (const name of [INSTANCE_NORM, INSTANCE_NORM_GRAD, MIRROR_PAD_GRAD]) {
        expect(packNames).toContain(name);
        expect(compositeNames).not.toContain(name);
      }
      expect(packCalls).toBeLessThan(compositeCalls / 2);
      console.info(`chain forward+backward: ${packCalls} kernel calls with the pack, ` + `${compositeCalls} without`);
    } finally {
      registerWebGpuKernelPack();
    }
  });

  it('hands short reductions (K < 256) to the stock kernel, with the same result', async () => {
    const f = () =>
      tf.engine().runKernel(
        Conv2DBackpropFilter,
        { x: tensor([1, 8, 8, 6], 33), dy: tensor([1, 7, 7, 5], 34) },
        {
          strides: [1, 1],
          pad: [
            [0, 0],
            [1, 1],
            [1, 1],
            [0, 0],
          ],
          dataFormat: 'NHWC',
          filterShape: [4, 4, 6, 5],
        },
      ) as tf.Tensor;
    expect(await compareWithCpu(f)).toBeLessThan(TOL);
  });

  it('hands NCHW filter gradients to the stock kernel', async () => {
    const f = () =>
      tf
        .engine()
        .runKernel(
          Conv2DBackpropFilter,
          { x: tensor([2, 3, 7, 7], 31), dy: tensor([2, 4, 7, 7], 32) },
          { strides: [1, 1], pad: 'same', dataFormat: 'NCHW', filterShape: [3, 3, 3, 4] },
        ) as tf.Tensor;
    expect(await compareWithCpu(f)).toBeLessThan(TOL);
  });
});
