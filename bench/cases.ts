// The benchmark cases. Each runs in its own process (bench/case.ts) so that its peak RSS is
// its own; bench/run.ts runs them, the PyTorch yardstick beside them, and writes the report.
import * as tf from '@tensorflow/tfjs-core';
import type { TrainingShapes } from '../src/training/backend/wasm-threads.ts';
import { createCycleGanNetworks, disposeNetworks } from '../src/training/cyclegan/networks.ts';
import { createCycleGanStepper } from '../src/training/cyclegan/step.ts';
import { resnetGenerator } from '../src/training/models/resnet-generator.ts';
import { disposeParams } from '../src/training/nn/params.ts';
import { convertFolder } from './convert-cases.ts';
import { type CutShape, cutIteration, cutRefArgs } from './cut-cases.ts';
import { downsampledSeries, insertMetrics } from './store-cases.ts';
import { type CaseTiming, summarise, timeIterations } from './timing.ts';

export interface CycleGanShape {
  size: number;
  ngf: number;
  /** The discriminators' width (the yardstick's --ndf; default 64, the 70×70 PatchGAN's). */
  ndf?: number;
  blocks: 6 | 9;
  iters: number;
  warmup: number;
}

export interface CaseDefinition {
  name: string;
  description: string;
  /** Arguments for ../shared/bench/cyclegan_ref.py, when the case has a PyTorch counterpart. */
  pytorchArgs: string[] | null;
  /** Another PyTorch script for pytorchArgs, relative to bench/ (default: the training yardstick). */
  pytorchScript?: string;
  /** false: the case does not use TensorFlow, so no backend is selected for it (default true). */
  engine?: boolean;
  /**
   * The backend the case measures, whatever the ladder would pick: the webgpu cases. Their PyTorch
   * yardstick runs on the machine's CUDA or MPS device (bench/run.ts), the GPU beside the GPU.
   */
  backend?: 'webgpu';
  /**
   * The shapes of the networks the case trains: they size the wasm thread pool as the engine sizes it
   * for a training job with these shapes (backend/wasm-threads.ts). Absent: the per-core default.
   */
  shapes?: TrainingShapes;
  /** Minutes before the case is given up (default: --case-minutes). */
  minutes?: number;
  run: () => Promise<CaseTiming>;
}

/** The full iteration of ../shared/bench/cyclegan_ref.py: same nets, losses, optimiser, batch 1. */
async function cycleganIteration(shape: CycleGanShape, profile: boolean): Promise<CaseTiming> {
  const nets = createCycleGanNetworks({
    generator: shape.blocks === 9 ? 'resnet_9blocks' : 'resnet_6blocks',
    discriminator: 'basic',
    ngf: shape.ngf,
    ndf: shape.ndf ?? 64,
    nLayersD: 3,
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
  const realA = tf.randomUniform([1, shape.size, shape.size, 3], -1, 1, 'float32', 1) as tf.Tensor4D;
  const realB = tf.randomUniform([1, shape.size, shape.size, 3], -1, 1, 'float32', 2) as tf.Tensor4D;
  const { times, tensorsBefore, tensorsAfter } = await timeIterations(
    () => stepper.step(realA, realB),
    shape.warmup,
    shape.iters,
  );
  let kernels: CaseTiming['profile'];
  if (profile) {
    const info = await tf.profile(async () => {
      await stepper.step(realA, realB);
    });
    const byName = new Map<string, { ms: number; calls: number }>();
    for (const kernel of info.kernels) {
      const entry = byName.get(kernel.name) ?? { ms: 0, calls: 0 };
      entry.ms += typeof kernel.kernelTimeMs === 'number' ? kernel.kernelTimeMs : 0;
      entry.calls++;
      byName.set(kernel.name, entry);
    }
    kernels = [...byName.entries()]
      .map(([kernel, v]) => ({ kernel, ms: Math.round(v.ms), calls: v.calls }))
      .sort((a, b) => b.ms - a.ms);
  }
  stepper.dispose();
  disposeNetworks(nets);
  tf.dispose([realA, realB]);
  return {
    ...summarise(times, 1),
    tensors_before: tensorsBefore,
    tensors_after: tensorsAfter,
    ...(kernels ? { profile: kernels } : {}),
  };
}

/** Inference throughput of the standard generator (ngf 64, 9 blocks), what conversion runs. */
async function generatorForward(size: number, iters: number): Promise<CaseTiming> {
  const generator = resnetGenerator({ name: `bench_G_${size}`, ngf: 64, blocks: 9, seed: 0 });
  const input = tf.randomUniform([1, size, size, 3], -1, 1, 'float32', 3) as tf.Tensor4D;
  tf.tidy(() => generator.apply(input)).dispose();
  const tensorsBefore = tf.memory().numTensors;
  const times: number[] = [];
  for (let i = 0; i < iters; i++) {
    const started = performance.now();
    const output = tf.tidy(() => generator.apply(input));
    await output.data();
    output.dispose();
    times.push(performance.now() - started);
  }
  const tensorsAfter = tf.memory().numTensors;
  disposeParams(generator.params);
  input.dispose();
  return { ...summarise(times, 1), tensors_before: tensorsBefore, tensors_after: tensorsAfter };
}

const cyclegan64: CycleGanShape = { size: 64, ngf: 32, blocks: 6, iters: 5, warmup: 2 };
const cut64 = (mode: CutShape['mode']): CutShape => ({ mode, size: 64, ngf: 32, blocks: 6, iters: 5, warmup: 2 });
// On a GPU an iteration takes milliseconds: more of them, and more warm-up (shader compilation).
const gpu64: CycleGanShape = { size: 64, ngf: 32, blocks: 6, iters: 20, warmup: 5 };
const gpu128: CycleGanShape = { size: 128, ngf: 64, blocks: 9, iters: 10, warmup: 3 };
const gpu256: CycleGanShape = { size: 256, ngf: 64, blocks: 9, iters: 10, warmup: 3 };
// Two timed iterations: one takes minutes on a 2-core CPU, and the bench must finish in reasonable time.
const cyclegan128: CycleGanShape = { size: 128, ngf: 64, blocks: 9, iters: 2, warmup: 1 };

// The tiny and demo presets' networks (src/shared/run-config.ts: 32 px, ngf 8, ndf 8, 6 blocks) with the
// yardstick's discriminator: cyclegan_ref.py builds the 3-layer PatchGAN only, so both sides use it
// (the presets' own D has 2 layers). Many iterations: one takes ~0.1 s.
const cycleganTiny: CycleGanShape = { size: 32, ngf: 8, ndf: 8, blocks: 6, iters: 40, warmup: 5 };

/** The training shapes of a bench iteration (batch 1), which size the wasm pool as the engine would. */
function trainingShapesOf(shape: CycleGanShape): TrainingShapes {
  return { batch: 1, imageSide: shape.size, width: Math.max(shape.ngf, shape.ndf ?? 64) };
}

function refArgs(shape: CycleGanShape, threads = 2): string[] {
  return [
    '--size',
    String(shape.size),
    '--ngf',
    String(shape.ngf),
    '--ndf',
    String(shape.ndf ?? 64),
    '--blocks',
    String(shape.blocks),
    '--threads',
    String(threads),
    '--iters',
    String(shape.iters),
    '--warmup',
    String(shape.warmup),
  ];
}

function forwardArgs(height: number, width: number, ngf: number, blocks: number, iters: number): string[] {
  const args = { height, width, ngf, blocks, threads: 2, iters, warmup: iters > 1 ? 1 : 0 };
  return Object.entries(args).flatMap(([key, value]) => [`--${key}`, String(value)]);
}

export const CASES: CaseDefinition[] = [
  {
    name: 'cyclegan-64',
    description: 'full CycleGAN iteration, 64 px, ngf 32, 6 blocks, batch 1 (with a per-kernel profile)',
    pytorchArgs: refArgs(cyclegan64),
    shapes: trainingShapesOf(cyclegan64),
    run: () => cycleganIteration(cyclegan64, true),
  },
  // CUT and FastCUT at cyclegan-64's shapes, run in the same invocation (issue 16: about half its time?).
  ...(['cut', 'fastcut'] as const).map(
    (mode): CaseDefinition => ({
      name: `${mode}-64`,
      description: `full ${mode === 'cut' ? 'CUT' : 'FastCUT'} iteration, 64 px, ngf 32, 6 blocks, batch 1 (PyTorch: bench/cut_ref.py)`,
      pytorchArgs: cutRefArgs(cut64(mode)),
      pytorchScript: 'cut_ref.py',
      shapes: trainingShapesOf(cyclegan64),
      run: () => cutIteration(cut64(mode)),
    }),
  ),
  {
    name: 'cyclegan-128',
    description: 'full CycleGAN iteration, 128 px, ngf 64, 9 blocks, batch 1',
    pytorchArgs: refArgs(cyclegan128),
    shapes: trainingShapesOf(cyclegan128),
    run: () => cycleganIteration(cyclegan128, false),
  },
  // Where the demo and every first run live (issue 14): per-op overhead, not arithmetic, decides these.
  // Diptych runs with the thread count its engine picks for these shapes; PyTorch once with 1, once with 2.
  ...([1, 2] as const).map(
    (threads): CaseDefinition => ({
      name: `cyclegan-tiny-pt${threads}`,
      description: `full CycleGAN iteration at the tiny/demo presets' shapes (32 px, ngf 8, ndf 8, 6 blocks, batch 1; the 3-layer PatchGAN on both sides, as the yardstick has no other), PyTorch on ${threads} thread${threads === 1 ? '' : 's'}`,
      pytorchArgs: refArgs(cycleganTiny, threads),
      shapes: trainingShapesOf(cycleganTiny),
      run: () => cycleganIteration(cycleganTiny, false),
    }),
  ),
  {
    name: 'generator-256',
    description: 'generator forward (ngf 64, 9 blocks), one 256 px image',
    pytorchArgs: null,
    run: () => generatorForward(256, 5),
  },
  {
    name: 'generator-1024',
    description: 'generator forward (ngf 64, 9 blocks), one 1024 px image',
    pytorchArgs: null,
    run: () => generatorForward(1024, 2),
  },
  // Conversion (issues 7 and 17): each size on ONNX Runtime (the default engine: `convert-N`) and on
  // TensorFlow.js (`convert-N-tfjs`), beside PyTorch's forward pass of the same generator (run once per
  // shape: run.ts reuses the yardstick for cases with the same arguments). Each JSON line says its engine.
  ...(
    [
      ['256', { width: 256, height: 256, images: 4, size: 'full' }, 3, 'batch convert, 256 px images'],
      [
        '1024',
        { width: 1024, height: 1024, images: 1, size: 'full' },
        1,
        'batch convert at full resolution, 1024 px images; tiled where the memory budget says',
      ],
      [
        '4000x3000',
        { width: 4000, height: 3000, images: 1, size: 'full' },
        1,
        'one 4000×3000 photo at full resolution (tiled under the memory budget): time and peak RSS',
      ],
    ] as const
  ).flatMap(([label, shape, iters, words]) =>
    (['onnx', 'tfjs'] as const).map(
      (engine): CaseDefinition => ({
        name: engine === 'onnx' ? `convert-${label}` : `convert-${label}-tfjs`,
        description: `${words}, the standard generator (ngf 64, 9 blocks), on ${engine === 'onnx' ? 'ONNX Runtime' : 'TensorFlow.js'}: decode + translate + encode pipelined (PyTorch: forward alone, whole image)`,
        pytorchArgs: forwardArgs(shape.height, shape.width, 64, 9, iters),
        pytorchScript: 'generator_forward_ref.py',
        // The standard generator on 12 MP through wasm takes ~15–30 min on two cores: its own limit.
        ...(engine === 'tfjs' && label === '4000x3000' ? { minutes: 40 } : {}),
        run: () => convertFolder({ ...shape, ngf: 64, netG: 'resnet_9blocks', engine }),
      }),
    ),
  ),
  // The GPU engine (issue 8): run where a hardware WebGPU adapter exists; on a software one only with
  // `npm run bench -- --software-webgpu`, and then labelled "software adapter, not a GPU".
  ...(
    [
      ['64', gpu64],
      ['128', gpu128],
      ['256', gpu256],
    ] as const
  ).map(
    ([px, shape]): CaseDefinition => ({
      name: `webgpu-cyclegan-${px}`,
      description: `full CycleGAN iteration on WebGPU, ${px} px, ngf ${shape.ngf}, ${shape.blocks} blocks, batch 1`,
      pytorchArgs: refArgs(shape),
      backend: 'webgpu',
      run: () => cycleganIteration(shape, false),
    }),
  ),
  {
    name: 'webgpu-generator-256',
    description: 'generator forward on WebGPU (ngf 64, 9 blocks), one 256 px image',
    pytorchArgs: forwardArgs(256, 256, 64, 9, 10),
    pytorchScript: 'generator_forward_ref.py',
    backend: 'webgpu',
    run: () => generatorForward(256, 10),
  },
  {
    name: 'webgpu-generator-1024',
    description: 'generator forward on WebGPU (ngf 64, 9 blocks), one 1024 px image, whole (no tiling)',
    pytorchArgs: forwardArgs(1024, 1024, 64, 9, 3),
    pytorchScript: 'generator_forward_ref.py',
    backend: 'webgpu',
    run: () => generatorForward(1024, 3),
  },
  {
    name: 'store-insert-1m',
    description: 'run store: 1,000,000 metric rows through the batched writer (WAL, one transaction per batch)',
    pytorchArgs: null,
    engine: false,
    run: () => insertMetrics(),
  },
  {
    name: 'store-series-1m',
    description: 'run store: a 2,000-point downsampled loss series of a 1,000,000-step run',
    pytorchArgs: null,
    engine: false,
    run: () => downsampledSeries(),
  },
];
