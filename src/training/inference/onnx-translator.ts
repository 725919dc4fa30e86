// A generator checkpoint translated through ONNX Runtime (onnxruntime-node): the same graph the
// ONNX export writes (export/onnx-generator.ts), built in memory from the read weights and run by
// a session on every core of the machine. Two further graphs serve tiling: 'capture' returns each
// instance norm's mean and variance for a view of the whole image, 'replay' normalises a tile with
// them, so tiles agree as they do on the tfjs path (norm-statistics.ts). Sessions are made when first
// needed; the first one is made at once, so that a machine where ONNX Runtime cannot run finds out
// before the batch starts (generator-translator.ts then falls back to TensorFlow.js).
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import * as ort from 'onnxruntime-node';
import type { Direction } from '../../shared/basics.ts';
import {
  buildOnnxGenerator,
  INSTANCE_NORM_EPSILON,
  normInverseStdName,
  normMeanName,
  normVarianceName,
  ONNX_INPUT,
  ONNX_OUTPUT,
  type OnnxNormMode,
} from '../export/onnx-generator.ts';
import { disposeGenerators, type GeneratorCheckpoint, generatorFacts, generatorFor } from './generator-checkpoint.ts';
import type { NormStatistics } from './norm-statistics.ts';
import { checkTranslatable, type Translator } from './translator.ts';

/**
 * Working memory of one ONNX Runtime generator pass per input pixel: ORT reuses buffers once a
 * layer's output is consumed, so it holds a few feature maps at a time, not every one as tfjs's
 * estimate assumes. Measured as the growth of peak RSS over one pass (ResNet-9, ngf 64, 512² and
 * 1024²: 23–24 bytes per pixel per ngf; U-Net 256 at 1024²: ~3 over a 256² pass); planned with
 * twice that for the ResNets and 16 for the U-Nets (docs/CONVERT.md, Engines).
 */
export function onnxWorkingBytesPerPixel(netG: string, ngf: number): number {
  return (netG.startsWith('unet') ? 16 : 48) * ngf;
}

/**
 * ORT's tiles are bounded by the memory budget alone in practice (4 GiB at 3 KB per pixel for the
 * standard generator: ~1,180 px): larger tiles mean less overlap translated twice (a 12 MP photo in
 * 12 tiles instead of 20 at 1,024 px). This bound only keeps a light U-Net's tiles sane.
 */
const ONNX_MAX_TILE_SIDE = 4096;

/**
 * The execution providers to try, best first. A GPU provider only where this install has it: CUDA
 * on Linux x64 once onnxruntime-node's CUDA provider library is beside its binding (its install
 * script downloads it, which this project keeps off: README "GPU conversion"), DirectML on Windows
 * (in the package). DIPTYCH_ONNX_PROVIDERS (comma-separated, e.g. "cpu") overrides.
 */
export function executionProviderCandidates(): string[][] {
  const override = process.env.DIPTYCH_ONNX_PROVIDERS?.trim();
  if (override) return [override.split(',').map((p) => p.trim())];
  const candidates: string[][] = [];
  if (process.platform === 'linux' && process.arch === 'x64' && cudaProviderInstalled())
    candidates.push(['cuda', 'cpu']);
  if (process.platform === 'win32') candidates.push(['dml', 'cpu']);
  candidates.push(['cpu']);
  return candidates;
}

function cudaProviderInstalled(): boolean {
  try {
    const root = path.dirname(createRequire(import.meta.url).resolve('onnxruntime-node/package.json'));
    const bin = path.join(root, 'bin');
    return fs
      .readdirSync(bin)
      .some((napi) => fs.existsSync(path.join(bin, napi, 'linux', 'x64', 'libonnxruntime_providers_cuda.so')));
  } catch {
    return false;
  }
}

/** Threads for one session: every core the machine offers (not ORT's or tfjs's cap). */
export function onnxThreads(): number {
  return Math.max(1, os.availableParallelism());
}

interface OpenedSession {
  session: ort.InferenceSession;
  providers: string[];
}

async function openSession(bytes: Uint8Array, candidates: string[][]): Promise<OpenedSession> {
  const failures: string[] = [];
  for (const providers of candidates) {
    try {
      const session = await ort.InferenceSession.create(bytes, {
        executionProviders: providers,
        intraOpNumThreads: onnxThreads(),
        interOpNumThreads: 1,
        executionMode: 'sequential',
        graphOptimizationLevel: 'all',
      });
      return { session, providers };
    } catch (error) {
      failures.push(`${providers.join('+')}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  throw new Error(`no ONNX Runtime session could be made (${failures.join('; ')})`);
}

/** NHWC (tfjs) → NCHW (ONNX), one copy. */
function toNchw(data: Float32Array, n: number, h: number, w: number, c: number): Float32Array {
  const out = new Float32Array(data.length);
  const plane = h * w;
  for (let b = 0; b < n; b++) {
    const base = b * plane * c;
    for (let p = 0; p < plane; p++)
      for (let k = 0; k < c; k++) out[base + k * plane + p] = data[base + p * c + k] as number;
  }
  return out;
}

/** NCHW → NHWC. */
function toNhwc(data: Float32Array, n: number, c: number, h: number, w: number): Float32Array {
  const out = new Float32Array(data.length);
  const plane = h * w;
  for (let b = 0; b < n; b++) {
    const base = b * plane * c;
    for (let k = 0; k < c; k++)
      for (let p = 0; p < plane; p++) out[base + p * c + k] = data[base + k * plane + p] as number;
  }
  return out;
}

/**
 * The replay graph's extra inputs for recorded statistics: each norm's mean and 1/√(var + ε), [1, C, 1, 1],
 * checked against the graph's norms (count and channels) so statistics of another network are refused.
 */
async function replayFeeds(statistics: NormStatistics, norms: readonly number[]): Promise<Record<string, ort.Tensor>> {
  if (norms.length !== statistics.layers.length)
    throw new Error('recorded normalisation statistics do not fit this network');
  const feeds: Record<string, ort.Tensor> = {};
  for (const [i, layer] of statistics.layers.entries()) {
    const mean = Float32Array.from((await layer.mean.data()) as Float32Array);
    const variance = (await layer.variance.data()) as Float32Array;
    if (mean.length !== norms[i]) throw new Error('recorded normalisation statistics do not fit this network');
    const inverseStd = Float32Array.from(variance, (v) => 1 / Math.sqrt(v + INSTANCE_NORM_EPSILON));
    feeds[normMeanName(i)] = new ort.Tensor('float32', mean, [1, mean.length, 1, 1]);
    feeds[normInverseStdName(i)] = new ort.Tensor('float32', inverseStd, [1, mean.length, 1, 1]);
  }
  return feeds;
}

export async function onnxGeneratorTranslator(checkpoint: GeneratorCheckpoint): Promise<Translator> {
  const facts = generatorFacts(checkpoint);
  const sessions = new Map<string, Promise<OpenedSession & { norms: number[] }>>();
  let candidates = executionProviderCandidates();
  let disposed = false;

  const sessionFor = (direction: Direction, mode: OnnxNormMode) => {
    const key = `${direction}/${mode}`;
    let opened = sessions.get(key);
    if (!opened) {
      opened = (async () => {
        const network = generatorFor(checkpoint, direction);
        const graph = await buildOnnxGenerator(network.params, mode);
        const bytes = graph.builder.finish({
          graphName: `diptych_${network.params.name}_${mode}`,
          input: { name: ONNX_INPUT, channels: graph.channels.in },
          output: { name: ONNX_OUTPUT, channels: graph.channels.out },
          metadata: {},
        });
        const session = await openSession(bytes, candidates);
        // Later sessions use what worked, rather than failing over again.
        candidates = [session.providers];
        return { ...session, norms: graph.norms };
      })();
      // A failed session is not cached: the next call tries again (and says why again).
      opened.catch(() => sessions.delete(key));
      sessions.set(key, opened);
    }
    return opened;
  };

  const ready = (image: tf.Tensor4D, direction: Direction) => {
    if (disposed) throw new Error('this translator has been disposed');
    generatorFor(checkpoint, direction);
    checkTranslatable(image, facts.sizeMultiple);
  };

  const run = async (
    image: tf.Tensor4D,
    direction: Direction,
    mode: OnnxNormMode,
    extra: Record<string, ort.Tensor> = {},
  ) => {
    const [n, h, w, c] = image.shape;
    const { session, norms } = await sessionFor(direction, mode);
    const pixels = toNchw((await image.data()) as Float32Array, n, h, w, c);
    const feeds = { [ONNX_INPUT]: new ort.Tensor('float32', pixels, [n, c, h, w]), ...extra };
    return { results: await session.run(feeds), norms, shape: [n, h, w] as const };
  };

  // The first session now: where ONNX Runtime cannot run, the caller learns it before any image.
  const first = (['AtoB', 'BtoA'] as const).find((d) => checkpoint.generators[d]);
  if (!first) throw new Error(`this ${checkpoint.model} checkpoint has no generator`);
  const opened = await sessionFor(first, 'standard');
  const providerWords = opened.providers[0] === 'cpu' ? 'CPU' : opened.providers[0]?.toUpperCase();

  return {
    ...facts,
    workingBytesPerPixel: onnxWorkingBytesPerPixel(checkpoint.generator.netG, checkpoint.generator.ngf),
    maxTileSide: ONNX_MAX_TILE_SIDE,
    engine: 'onnx',
    engineNote: `ONNX Runtime ${ort.env.versions.common}, ${providerWords}, ${onnxThreads()} thread${onnxThreads() === 1 ? '' : 's'}`,
    async translate(image: tf.Tensor4D, direction: Direction, statistics?: NormStatistics) {
      ready(image, direction);
      const mode = statistics ? 'replay' : 'standard';
      const { norms } = await sessionFor(direction, mode);
      const extra = statistics ? await replayFeeds(statistics, norms) : {};
      const { results, shape } = await run(image, direction, mode, extra);
      const output = results[ONNX_OUTPUT];
      if (!output) throw new Error('ONNX Runtime returned no image');
      const [n, h, w] = shape;
      const channels = output.dims[1] as number;
      return tf.tensor4d(toNhwc(output.data as Float32Array, n, channels, h, w), [n, h, w, channels]);
    },
    async captureNormStatistics(image: tf.Tensor4D, direction: Direction) {
      ready(image, direction);
      if (image.shape[0] !== 1) throw new Error('norm statistics are taken from one image at a time');
      const { results, norms } = await run(image, direction, 'capture');
      const layers = norms.map((channels, i) => {
        const mean = results[normMeanName(i)];
        const variance = results[normVarianceName(i)];
        if (!mean || !variance) throw new Error(`ONNX Runtime returned no statistics for norm ${i}`);
        return {
          mean: tf.tensor(mean.data as Float32Array, [1, 1, 1, channels]),
          variance: tf.tensor(variance.data as Float32Array, [1, 1, 1, channels]),
        };
      });
      return {
        layers,
        dispose: () => {
          for (const { mean, variance } of layers) tf.dispose([mean, variance]);
        },
      };
    },
    dispose() {
      if (disposed) return;
      disposed = true;
      for (const opened of sessions.values()) void opened.then(({ session }) => session.release()).catch(() => {});
      sessions.clear();
      disposeGenerators(checkpoint);
    },
  };
}
