// Profiles one CycleGAN training iteration on tfjs-backend-wasm, per kernel, with and without
// Diptych's wasm kernel pack (src/training/kernels).
//
// The model is the one in ../shared/bench/cyclegan_ref.py (ResNet generator with reflection padding
// and instance norm, 70x70 PatchGAN, LSGAN + cycle x10 + identity x0.5, Adam), written here as a
// small functional NHWC model on plain tfjs ops. The real models live in src/training/models.
//
//   node tools/profile-kernels.ts [--size 64] [--ngf 32] [--ndf 64] [--blocks 6] [--iters 3]
//                                 [--mode both|pack|nopack] [--threads N] [--top 15]
//
// "nopack" is stock tfjs-backend-wasm 4.22 plus only the pack's Conv2DBackpropFilter (stock wasm
// has none, so training cannot run at all without it) — the baseline the issue quotes (~12.4 s).
// Per-kernel times come from tf.profile(): the wasm backend times each kernel synchronously
// (util.now around the call), so kernelTimeMs is real wall time. Kernels of the pack call the
// wasm kernels they are built from directly (not through the engine), so nothing is counted twice.

import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
// tfjs-core's Node bundle registers no gradients; tfjs-layers' bundle registers all of them.
import '@tensorflow/tfjs-layers';
import { parseArgs } from 'node:util';
import { registerKernelSubset, registerWasmKernelPack } from '../src/training/kernels/index.ts';
import { configureWasmThreads } from '../src/training/kernels/threads.ts';

type T4 = tf.Tensor4D;
type Vars = tf.Variable[];

const { values: opts } = parseArgs({
  options: {
    size: { type: 'string', default: '64' },
    ngf: { type: 'string', default: '32' },
    ndf: { type: 'string', default: '64' },
    blocks: { type: 'string', default: '6' },
    iters: { type: 'string', default: '3' },
    mode: { type: 'string', default: 'both' },
    threads: { type: 'string', default: '0' },
    top: { type: 'string', default: '15' },
    shapes: { type: 'boolean', default: false },
  },
});
const SIZE = Number(opts.size);
const NGF = Number(opts.ngf);
const NDF = Number(opts.ndf);
const BLOCKS = Number(opts.blocks);
const ITERS = Number(opts.iters);
const TOP = Number(opts.top);

// ---------- tiny functional model -------------------------------------------------------------

function param(shape: number[], vars: Vars, std = 0.02): tf.Variable {
  const v = tf.variable(tf.randomNormal(shape, 0, std, 'float32', vars.length + 1));
  vars.push(v);
  return v;
}

type Layer = (x: T4) => T4;

function conv(vars: Vars, k: number, cin: number, cout: number, stride: number, pad: number): Layer {
  const w = param([k, k, cin, cout], vars);
  const b = param([cout], vars, 0);
  const padding: [[number, number], [number, number], [number, number], [number, number]] = [
    [0, 0],
    [pad, pad],
    [pad, pad],
    [0, 0],
  ];
  return (x) => tf.add(tf.conv2d(x, w as tf.Tensor4D, stride, pad === 0 ? 'valid' : padding), b);
}

function convT(vars: Vars, k: number, cin: number, cout: number): Layer {
  // PyTorch ConvTranspose2d(k3, s2, p1, output_padding 1): out = 2 * in. TF 'same' gives the same
  // shape and the same work (the one-pixel alignment differs, which does not matter for timing).
  const w = param([k, k, cout, cin], vars);
  const b = param([cout], vars, 0);
  return (x) => {
    const [n, h, wd] = x.shape;
    return tf.add(tf.conv2dTranspose(x, w as tf.Tensor4D, [n, h * 2, wd * 2, cout], 2, 'same'), b);
  };
}

function instanceNorm(x: T4): T4 {
  const { mean, variance } = tf.moments(x, [1, 2], true);
  return tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, 1e-5)));
}

function reflect(p: number): Layer {
  return (x) =>
    tf.mirrorPad(
      x,
      [
        [0, 0],
        [p, p],
        [p, p],
        [0, 0],
      ],
      'reflect',
    );
}

const seq =
  (...ls: Layer[]): Layer =>
  (x) =>
    ls.reduce((h, l) => l(h), x);
const relu: Layer = (x) => tf.relu(x);
const lrelu: Layer = (x) => tf.leakyRelu(x, 0.2);

function generator(vars: Vars, ngf: number, nBlocks: number): Layer {
  const L: Layer[] = [reflect(3), conv(vars, 7, 3, ngf, 1, 0), instanceNorm, relu];
  let c = ngf;
  for (let i = 0; i < 2; i++) {
    L.push(conv(vars, 3, c, c * 2, 2, 1), instanceNorm, relu);
    c *= 2;
  }
  for (let i = 0; i < nBlocks; i++) {
    const body = seq(
      reflect(1),
      conv(vars, 3, c, c, 1, 0),
      instanceNorm,
      relu,
      reflect(1),
      conv(vars, 3, c, c, 1, 0),
      instanceNorm,
    );
    L.push((x) => tf.add(x, body(x)));
  }
  for (let i = 0; i < 2; i++) {
    L.push(convT(vars, 3, c, c / 2), instanceNorm, relu);
    c /= 2;
  }
  L.push(reflect(3), conv(vars, 7, c, 3, 1, 0), (x) => tf.tanh(x));
  return seq(...L);
}

function discriminator(vars: Vars, ndf: number, nLayers = 3): Layer {
  const L: Layer[] = [conv(vars, 4, 3, ndf, 2, 1), lrelu];
  let m = 1;
  for (let n = 1; n < nLayers; n++) {
    const p = m;
    m = Math.min(2 ** n, 8);
    L.push(conv(vars, 4, ndf * p, ndf * m, 2, 1), instanceNorm, lrelu);
  }
  const p = m;
  m = Math.min(2 ** nLayers, 8);
  L.push(conv(vars, 4, ndf * p, ndf * m, 1, 1), instanceNorm, lrelu, conv(vars, 4, ndf * m, 1, 1, 1));
  return seq(...L);
}

// ---------- one training iteration ------------------------------------------------------------

interface Net {
  step(): void;
  dispose(): void;
}

function buildCycleGan(): Net {
  const gVars: Vars = [];
  const dVars: Vars = [];
  const GA = generator(gVars, NGF, BLOCKS);
  const GB = generator(gVars, NGF, BLOCKS);
  const DA = discriminator(dVars, NDF);
  const DB = discriminator(dVars, NDF);
  const optG = tf.train.adam(2e-4, 0.5, 0.999);
  const optD = tf.train.adam(2e-4, 0.5, 0.999);
  const realA = tf.keep(tf.randomUniform([1, SIZE, SIZE, 3], -1, 1, 'float32', 7)) as T4;
  const realB = tf.keep(tf.randomUniform([1, SIZE, SIZE, 3], -1, 1, 'float32', 8)) as T4;
  const mse = (p: tf.Tensor, t: number) => tf.mean(tf.squaredDifference(p, tf.scalar(t)));
  const l1 = (a: tf.Tensor, b: tf.Tensor) => tf.mean(tf.abs(tf.sub(a, b)));

  const step = (): void => {
    let fakeA: T4 | null = null;
    let fakeB: T4 | null = null;
    tf.tidy(() => {
      const g = tf.variableGrads(() => {
        const fB = GA(realA);
        const fA = GB(realB);
        fakeB = tf.keep(fB);
        fakeA = tf.keep(fA);
        const recA = GB(fB);
        const recB = GA(fA);
        const lossGan = tf.add(mse(DA(fB), 1), mse(DB(fA), 1));
        const lossCyc = tf.mul(10, tf.add(l1(recA, realA), l1(recB, realB)));
        const lossIdt = tf.mul(5, tf.add(l1(GA(realB), realB), l1(GB(realA), realA)));
        return tf.add(lossGan, tf.add(lossCyc, lossIdt)) as tf.Scalar;
      }, gVars);
      optG.applyGradients(g.grads as unknown as Parameters<typeof optG.applyGradients>[0]);
    });
    tf.tidy(() => {
      const fA = fakeA as unknown as T4;
      const fB = fakeB as unknown as T4;
      const dl = (D: Layer, real: T4, fake: T4) => tf.mul(0.5, tf.add(mse(D(real), 1), mse(D(fake), 0)));
      const g = tf.variableGrads(() => tf.add(dl(DA, realB, fB), dl(DB, realA, fA)) as tf.Scalar, dVars);
      optD.applyGradients(g.grads as unknown as Parameters<typeof optD.applyGradients>[0]);
    });
    (fakeA as unknown as T4).dispose();
    (fakeB as unknown as T4).dispose();
  };
  const dispose = (): void => {
    for (const v of [...gVars, ...dVars]) v.dispose();
    optG.dispose();
    optD.dispose();
    realA.dispose();
    realB.dispose();
  };
  return { step, dispose };
}

// ---------- measurement -----------------------------------------------------------------------

interface Row {
  name: string;
  ms: number;
  calls: number;
}

async function run(label: string): Promise<{ medianMs: number; rows: Row[]; total: number }> {
  const net = buildCycleGan();
  net.step(); // warm-up (XNNPACK operator caches, Adam slots)
  const tensorsAfterWarmup = tf.memory().numTensors;
  const times: number[] = [];
  for (let i = 0; i < ITERS; i++) {
    const t0 = performance.now();
    net.step();
    times.push(performance.now() - t0);
  }
  const tensorsAfter = tf.memory().numTensors;
  const prof = await tf.profile(() => net.step());
  const byName = new Map<string, Row>();
  const byShape = new Map<string, Row>();
  let total = 0;
  for (const k of prof.kernels) {
    const ms = k.kernelTimeMs as number;
    total += ms;
    const r = byName.get(k.name) ?? { name: k.name, ms: 0, calls: 0 };
    r.ms += ms;
    r.calls += 1;
    byName.set(k.name, r);
    const key = `${k.name} ${JSON.stringify(k.inputShapes)}`;
    const s = byShape.get(key) ?? { name: key, ms: 0, calls: 0 };
    s.ms += ms;
    s.calls += 1;
    byShape.set(key, s);
  }
  net.dispose();
  times.sort((a, b) => a - b);
  const medianMs = times[Math.floor(times.length / 2)] ?? Number.NaN;
  const rows = [...byName.values()].sort((a, b) => b.ms - a.ms);
  console.log(`\n== ${label}: ${SIZE}px ngf ${NGF} ndf ${NDF} ${BLOCKS} blocks, backend ${tf.getBackend()}`);
  console.log(
    `iteration ms: median ${medianMs.toFixed(0)}  (all: ${times.map((t) => t.toFixed(0)).join(', ')});` +
      ` tensors after warm-up ${tensorsAfterWarmup}, after ${ITERS} more ${tensorsAfter}`,
  );
  console.log(
    `profiled iteration: sum of kernel times ${total.toFixed(0)} ms over ${prof.kernels.length} kernel calls`,
  );
  console.log(`${'kernel'.padEnd(26)}${'ms'.padStart(9)}${'%'.padStart(7)}${'calls'.padStart(7)}`);
  for (const r of rows.slice(0, TOP)) {
    console.log(
      `${r.name.padEnd(26)}${r.ms.toFixed(1).padStart(9)}${((100 * r.ms) / total).toFixed(1).padStart(7)}${String(r.calls).padStart(7)}`,
    );
  }
  if (opts.shapes) {
    console.log('by kernel and input shapes:');
    for (const r of [...byShape.values()].sort((a, b) => b.ms - a.ms).slice(0, TOP)) {
      console.log(`  ${r.ms.toFixed(1).padStart(8)} ms ${String(r.calls).padStart(4)}x  ${r.name}`);
    }
  }
  return { medianMs, rows, total };
}

async function main(): Promise<void> {
  const threads = Number(opts.threads);
  if (threads > 0) configureWasmThreads(threads);
  await tf.setBackend('wasm');
  await tf.ready();
  tf.env().set('CHECK_COMPUTATION_FOR_ERRORS', false);
  const mode = opts.mode;
  if (mode === 'both' || mode === 'nopack') {
    registerKernelSubset(['Conv2DBackpropFilter']);
    await run('stock wasm + Conv2DBackpropFilter only');
  }
  if (mode === 'both' || mode === 'pack') {
    const names = registerWasmKernelPack();
    console.log(`\nregistered: ${names.join(', ')}`);
    await run('wasm + Diptych kernel pack');
  }
}

await main();
