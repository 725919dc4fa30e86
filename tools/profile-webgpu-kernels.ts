// Times each kernel of Diptych's WebGPU kernel pack (src/training/kernels/webgpu) against tfjs's stock
// path for the same work, on the shapes of a 64 px CycleGAN iteration (ResNet generator ngf 64 with 6
// blocks, 70x70 PatchGAN ndf 64, batch 1). For the docs; not part of the tests.
//
//   LD_LIBRARY_PATH=/usr/lib/chromium VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json \
//     node tools/profile-webgpu-kernels.ts [--reps 5] [--only norm,filter,adam,pad]
//   (the two variables only where there is no GPU: they select SwiftShader, Chromium's software Vulkan)
//
// Stock paths: the composite instance norm + activation (tf.moments …, tfjs's gradients), tfjs's
// AdamOptimizer, tfjs-backend-webgpu's Conv2DBackpropFilter (one invocation per weight), the composite
// MirrorPad gradient (../src/training/kernels/mirror_pad_grad.ts: slices, concats, pads, adds).
// Each case runs once to compile its pipelines, then --reps times; a rep is timed from its first
// dispatch to its outputs read back (await data()), so it includes the dispatch overhead per kernel.
// On a software adapter the times are CPU times of SwiftShader's emulation, not of any GPU: the run says
// so in its header, and its numbers only rank the paths (dispatch counts, memory passes).

import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
// tfjs-core's Node bundle registers no gradients; tfjs-layers' bundle registers all of them.
import '@tensorflow/tfjs-layers';
import { parseArgs } from 'node:util';
import { nodeGpu } from '../src/training/backend/node-webgpu.ts';
import { activateWebGpu, adapterLabel } from '../src/training/backend/webgpu.ts';
import { fusedAdam } from '../src/training/kernels/fused_adam.ts';
import { MIRROR_PAD_GRAD, mirrorPadBackward } from '../src/training/kernels/mirror_pad_grad.ts';
import {
  registerWebGpuKernelPack,
  registerWebGpuKernelSubset,
  unregisterWebGpuKernels,
} from '../src/training/kernels/webgpu/index.ts';
import { instanceNormCancellingBias } from '../src/training/nn/layers.ts';

const { values: opts } = parseArgs({
  options: {
    reps: { type: 'string', default: '5' },
    only: { type: 'string', default: 'norm,filter,adam,pad' },
  },
});
const REPS = Number(opts.reps);
const ONLY = new Set((opts.only as string).split(','));

type Shape4 = [number, number, number, number];

function rand(shape: number[], seed: number): tf.Tensor {
  return tf.randomUniform(shape, -1, 1, 'float32', seed);
}

interface Timed {
  ms: number;
  /** The first run's outputs, to check the two paths agree. */
  values: Float32Array[];
}

/** Median ms of REPS runs of f (after one to compile), each until its outputs are read back. */
async function time(f: () => tf.Tensor[]): Promise<Timed> {
  let values: Float32Array[] = [];
  const once = async (keep: boolean) => {
    const start = performance.now();
    const outs = f();
    const read = (await Promise.all(outs.map((t) => t.data()))) as Float32Array[];
    const ms = performance.now() - start;
    if (keep) values = read;
    tf.dispose(outs);
    return ms;
  };
  await once(true);
  const ms: number[] = [];
  for (let i = 0; i < REPS; i++) ms.push(await once(false));
  ms.sort((a, b) => a - b);
  return { ms: ms[Math.floor(ms.length / 2)] as number, values };
}

/** max |a − b| / max(1, max |b|) over all outputs (the tests' measure). */
function relErr(a: Float32Array[], b: Float32Array[]): number {
  let diff = 0;
  let ref = 0;
  b.forEach((r, k) => {
    const g = a[k] as Float32Array;
    for (let i = 0; i < r.length; i++) {
      const d = Math.abs((g[i] as number) - (r[i] as number));
      if (!(d <= diff)) diff = d;
      ref = Math.max(ref, Math.abs(r[i] as number));
    }
  });
  return diff / Math.max(1, ref);
}

const rows: string[][] = [];
function record(kernel: string, label: string, pack: Timed, stock: Timed): void {
  const err = relErr(pack.values, stock.values).toExponential(1);
  const cells = [pack.ms.toFixed(1), stock.ms.toFixed(1), `${(stock.ms / pack.ms).toFixed(2)}×`, err];
  rows.push([kernel, label, ...cells]);
  console.error(`  ${kernel} ${label}: pack ${cells[0]} ms, stock ${cells[1]} ms, rel. diff ${err}`);
}

async function compare(kernel: string, label: string, names: string[], f: () => tf.Tensor[]): Promise<void> {
  registerWebGpuKernelSubset(names);
  const pack = await time(f);
  unregisterWebGpuKernels(names);
  const stock = await time(f);
  registerWebGpuKernelSubset(names);
  record(kernel, label, pack, stock);
}

const adapter = await activateWebGpu(await nodeGpu(), true);
registerWebGpuKernelPack();
const header = `WebGPU kernel pack vs stock tfjs-backend-webgpu 4.22 on ${adapterLabel(adapter)}`;
console.error(header);

if (ONLY.has('norm')) {
  // Generator: 64x64x64 (first block), 32x32x128, 16x16x256 (2 per residual block, ×6); PatchGAN 8x8x256.
  const cases: [Shape4, 'relu' | 'leakyRelu' | 'none'][] = [
    [[1, 64, 64, 64], 'relu'],
    [[1, 32, 32, 128], 'relu'],
    [[1, 16, 16, 256], 'relu'],
    [[1, 16, 16, 256], 'none'],
    [[1, 8, 8, 256], 'leakyRelu'],
  ];
  for (const [shape, act] of cases) {
    const x = rand(shape, 1);
    const b = tf.zeros([shape[3]]);
    const u = rand(shape, 2);
    const grad = tf.valueAndGrad((t: tf.Tensor) =>
      tf.sum(tf.mul(instanceNormCancellingBias(t as tf.Tensor4D, b, act), u)),
    );
    await compare(
      'instance norm fwd+bwd',
      `${JSON.stringify(shape)} ${act}`,
      ['DiptychInstanceNorm', 'DiptychInstanceNormGrad'],
      () => {
        const { value, grad: g } = grad(x);
        return [value, g];
      },
    );
  }
}

if (ONLY.has('filter')) {
  type Pad = 'same' | 'valid' | [[number, number], [number, number], [number, number], [number, number]];
  const p1: Pad = [
    [0, 0],
    [1, 1],
    [1, 1],
    [0, 0],
  ];
  const cases: { x: Shape4; k: number; co: number; s: number; pad: Pad; what: string }[] = [
    { x: [1, 70, 70, 3], k: 7, co: 64, s: 1, pad: 'valid', what: 'G in 7x7' },
    { x: [1, 64, 64, 64], k: 3, co: 128, s: 2, pad: p1, what: 'G down 1' },
    { x: [1, 32, 32, 128], k: 3, co: 256, s: 2, pad: p1, what: 'G down 2' },
    { x: [1, 18, 18, 256], k: 3, co: 256, s: 1, pad: 'valid', what: 'G res (×12)' },
    { x: [1, 70, 70, 64], k: 7, co: 3, s: 1, pad: 'valid', what: 'G out 7x7' },
    { x: [1, 64, 64, 3], k: 4, co: 64, s: 2, pad: p1, what: 'D 1' },
    { x: [1, 16, 16, 128], k: 4, co: 256, s: 2, pad: p1, what: 'D 3' },
    { x: [1, 8, 8, 256], k: 4, co: 512, s: 1, pad: p1, what: 'D 4' },
    { x: [1, 7, 7, 512], k: 4, co: 1, s: 1, pad: p1, what: 'D out' },
  ];
  for (const c of cases) {
    const filterShape: Shape4 = [c.k, c.k, c.x[3], c.co];
    const info = tf.backend_util.computeConv2DInfo(c.x, filterShape, c.s, 1, c.pad);
    const x = rand(c.x, 3);
    const dy = rand([1, info.outHeight, info.outWidth, c.co], 4);
    const attrs = { strides: [c.s, c.s], pad: c.pad, dataFormat: 'NHWC', filterShape };
    await compare(
      'Conv2DBackpropFilter',
      `${c.what} ${JSON.stringify(filterShape)} s${c.s}`,
      ['Conv2DBackpropFilter'],
      () => [
        tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, attrs as unknown as tf.NamedAttrMap) as tf.Tensor,
      ],
    );
  }
}

if (ONLY.has('adam')) {
  // One Adam step over a generator-like set of weights (7 filters, their biases).
  const shapes = [
    [7, 7, 3, 64],
    [3, 3, 64, 128],
    [3, 3, 128, 256],
    [3, 3, 256, 256],
    [3, 3, 256, 256],
    [7, 7, 64, 3],
    [64],
    [128],
    [256],
    [3],
  ];
  // Two copies of the weights, one per optimiser, stepped the same number of times (1 + --reps).
  const makeVars = (tag: string) => shapes.map((s, i) => tf.variable(rand(s, 10 + i), true, `adam_${tag}${i}`));
  const fusedVars = makeVars('fused');
  const stockVars = makeVars('stock');
  const gradsFor = (vars: tf.Variable[]) => Object.fromEntries(vars.map((v, i) => [v.name, rand(v.shape, 30 + i)]));
  const fusedGrads = gradsFor(fusedVars);
  const stockGrads = gradsFor(stockVars);
  const total = shapes.reduce((n, s) => n + tf.util.sizeFromShape(s), 0);
  // The two are different optimisers (not a kernel swap), timed directly. The clone's read-back waits
  // for the whole step (the queue runs in order).
  const step = (opt: tf.Optimizer, grads: Record<string, tf.Tensor>, vars: tf.Variable[]) => () => {
    opt.applyGradients(grads);
    return [tf.clone(vars[0] as tf.Tensor)];
  };
  const pack = await time(step(fusedAdam(2e-4, 0.5, 0.999), fusedGrads, fusedVars));
  const stock = await time(step(tf.train.adam(2e-4, 0.5, 0.999), stockGrads, stockVars));
  pack.values = (await Promise.all(fusedVars.map((v) => v.data()))) as Float32Array[];
  stock.values = (await Promise.all(stockVars.map((v) => v.data()))) as Float32Array[];
  record('Adam step', `${shapes.length} tensors, ${total} weights`, pack, stock);
}

if (ONLY.has('pad')) {
  const cases: [Shape4, number][] = [
    [[1, 64, 64, 3], 3],
    [[1, 64, 64, 64], 3],
    [[1, 16, 16, 256], 1],
  ];
  for (const [shape, p] of cases) {
    const paddings: Array<[number, number]> = [
      [0, 0],
      [p, p],
      [p, p],
      [0, 0],
    ];
    const dy = rand([shape[0], shape[1] + 2 * p, shape[2] + 2 * p, shape[3]], 5);
    const attrs = { paddings, mode: 'reflect', xShape: shape } as unknown as tf.NamedAttrMap;
    registerWebGpuKernelSubset([MIRROR_PAD_GRAD]);
    const pack = await time(() => [tf.engine().runKernel(MIRROR_PAD_GRAD, { dy }, attrs) as tf.Tensor]);
    const stock = await time(() => [mirrorPadBackward(dy, paddings, 'reflect')]);
    record('MirrorPad grad', `${JSON.stringify(shape)} reflect ${p}`, pack, stock);
  }
}

console.log(`\n${header}\nmedian of ${REPS} runs after one warm-up, ms per call\n`);
console.log('| kernel | shape | pack (ms) | stock (ms) | stock / pack | rel. diff |');
console.log('|---|---|---:|---:|---:|---:|');
for (const r of rows) console.log(`| ${r.join(' | ')} |`);
