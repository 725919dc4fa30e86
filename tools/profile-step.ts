// Profiles the real CycleGAN training step (src/training/cyclegan/step.ts) on the selected backend:
// iteration wall and process-CPU times, then one profiled iteration per kernel and per kernel+shape,
// and the time spent outside kernels (the tfjs engine: tape, tidy, op dispatch).
//
//   node tools/profile-step.ts [--size 64] [--ngf 32] [--ndf 64] [--layers-d 3] [--blocks 6] [--iters 4] [--top 20] [--shapes] [--cpu]
//   (the tiny/demo presets' shapes: --size 32 --ngf 8 --ndf 8 --layers-d 2)
//
// --cpu adds process-CPU time per kernel, summed over the --iters timed iterations (each registered wasm
// kernel wrapped; a pack kernel's inner calls count to it, not twice). CPU time is what a shared machine
// disturbs least, so A/B comparisons between builds use it.
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs-core';
import { selectBackend } from '../src/training/backend/ladder.ts';
import { createCycleGanNetworks } from '../src/training/cyclegan/networks.ts';
import { createCycleGanStepper } from '../src/training/cyclegan/step.ts';

const { values: o } = parseArgs({
  options: {
    size: { type: 'string', default: '64' },
    ngf: { type: 'string', default: '32' },
    ndf: { type: 'string', default: '64' },
    'layers-d': { type: 'string', default: '3' },
    blocks: { type: 'string', default: '6' },
    iters: { type: 'string', default: '4' },
    top: { type: 'string', default: '20' },
    shapes: { type: 'boolean', default: false },
    backend: { type: 'string', default: 'wasm' },
    cpu: { type: 'boolean', default: false },
  },
});
const size = Number(o.size);
await selectBackend(o.backend as 'wasm');
const nets = createCycleGanNetworks({
  generator: Number(o.blocks) === 9 ? 'resnet_9blocks' : 'resnet_6blocks',
  discriminator: 'n_layers',
  ngf: Number(o.ngf),
  ndf: Number(o.ndf),
  nLayersD: Number(o['layers-d']),
  seed: 0,
});
const stepper = createCycleGanStepper(nets, {
  objective: 'lsgan',
  lambdaA: 10,
  lambdaB: 10,
  lambdaIdentity: 0.5,
  learningRate: 2e-4,
  beta1: 0.5,
});
const realA = tf.randomUniform([1, size, size, 3], -1, 1, 'float32', 1) as tf.Tensor4D;
const realB = tf.randomUniform([1, size, size, 3], -1, 1, 'float32', 2) as tf.Tensor4D;
await stepper.step(realA, realB);
const cpuByKernel = new Map<string, { us: number; calls: number }>();
if (o.cpu) {
  let depth = 0;
  for (const config of tf.getKernelsForBackend(o.backend as string)) {
    const inner = config.kernelFunc;
    config.kernelFunc = (args) => {
      if (depth > 0) return inner(args);
      depth++;
      const c0 = process.cpuUsage();
      try {
        return inner(args);
      } finally {
        depth--;
        const c = process.cpuUsage(c0);
        const e = cpuByKernel.get(config.kernelName) ?? { us: 0, calls: 0 };
        e.us += c.user + c.system;
        e.calls++;
        cpuByKernel.set(config.kernelName, e);
      }
    };
  }
}
const before = tf.memory().numTensors;
const rows: string[] = [];
for (let i = 0; i < Number(o.iters); i++) {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  await stepper.step(realA, realB);
  const wall = performance.now() - t0;
  const c = process.cpuUsage(c0);
  rows.push(`${wall.toFixed(0)} wall / ${((c.user + c.system) / 1000).toFixed(0)} cpu`);
}
console.log(`iterations (ms): ${rows.join(', ')}; tensors ${before} -> ${tf.memory().numTensors}`);
if (o.cpu) {
  const iters = Number(o.iters);
  const sorted = [...cpuByKernel].sort((x, y) => y[1].us - x[1].us);
  const total = sorted.reduce((t, [, e]) => t + e.us, 0);
  console.log(`kernel CPU per iteration: ${(total / 1000 / iters).toFixed(0)} ms`);
  for (const [k, e] of sorted.slice(0, Number(o.top)))
    console.log(
      `cpu ${k.padEnd(28)}${(e.us / 1000 / iters).toFixed(1).padStart(8)}${String(e.calls / iters).padStart(7)}`,
    );
  cpuByKernel.clear();
}
const t0 = performance.now();
const info = await tf.profile(async () => {
  await stepper.step(realA, realB);
});
const wall = performance.now() - t0;
const byName = new Map<string, { ms: number; calls: number }>();
const byShape = new Map<string, { ms: number; calls: number }>();
let total = 0;
for (const k of info.kernels) {
  const ms = typeof k.kernelTimeMs === 'number' ? k.kernelTimeMs : 0;
  total += ms;
  for (const [map, key] of [
    [byName, k.name],
    [byShape, `${k.name} ${JSON.stringify(k.inputShapes)}`],
  ] as const) {
    const e = map.get(key) ?? { ms: 0, calls: 0 };
    e.ms += ms;
    e.calls++;
    map.set(key, e);
  }
}
console.log(`profiled: wall ${wall.toFixed(0)} ms, kernels ${total.toFixed(0)} ms over ${info.kernels.length} calls`);
const top = Number(o.top);
for (const [k, v] of [...byName].sort((a, b) => b[1].ms - a[1].ms).slice(0, top))
  console.log(`${k.padEnd(28)}${v.ms.toFixed(1).padStart(8)}${String(v.calls).padStart(7)}`);
if (o.shapes)
  for (const [k, v] of [...byShape].sort((a, b) => b[1].ms - a[1].ms).slice(0, top))
    console.log(`${v.ms.toFixed(1).padStart(8)} ${String(v.calls).padStart(5)}x ${k}`);
