// Exports one generator of a CycleGAN or CUT checkpoint as a TensorFlow.js graph model a web page can
// load with tf.loadGraphModel: OUT/model.json, OUT/generator.weights.bin and OUT/README.md saying
// how to call it. Each file is written under a temporary name and renamed, weights first and
// model.json last, so a folder with a model.json always has the weights it names.
import path from 'node:path';
import { writeFileAtomic } from '../../node/atomic.ts';
import { readCheckpointManifest } from '../../node/checkpoint/manifest.ts';
import type { Direction, ExportFormat } from '../../shared/basics.ts';
import { directionProblem, MODELS, type ModelName } from '../../shared/models.ts';
import { loadCheckpointInto } from '../checkpoint/index.ts';
import { cutGeneratorForConfig } from '../cut/networks.ts';
import { generatorsForConfig } from '../cyclegan/networks.ts';
import { generatorConfigOf } from '../inference/generator-checkpoint.ts';
import { disposeParams, type ParamStore } from '../nn/params.ts';
import { prepareExportFolder } from './export-folder.ts';
import { buildGeneratorGraph } from './generator-graph.ts';
import { writeOnnxExport } from './onnx-export.ts';
import { type ExportInfo, exportReadme } from './readme.ts';

export const MODEL_FILE = 'model.json';
export const WEIGHTS_FILE = 'generator.weights.bin';
export const README_FILE = 'README.md';
const OWN_FILES = new Set([MODEL_FILE, WEIGHTS_FILE, README_FILE]);

export interface ExportResult {
  folder: string;
  files: string[];
  bytes: number;
  sizeMultiple: number;
}

/** Writes the generator in `store` as a graph model into `folder`. */
export async function writeGeneratorExport(store: ParamStore, folder: string, info: ExportInfo): Promise<ExportResult> {
  const target = path.resolve(folder);
  await prepareExportFolder(target, OWN_FILES);
  const graph = await buildGeneratorGraph(store);
  const { json, weights } = graph.builder.finish({
    input: graph.input,
    output: graph.output,
    channels: graph.channels,
    weightsFile: WEIGHTS_FILE,
    metadata: {
      diptych: {
        direction: info.direction,
        step: info.step,
        ...(info.runId ? { runId: info.runId } : {}),
        netG: info.netG,
        sizeMultiple: graph.sizeMultiple,
        inputRange: [-1, 1],
        outputRange: [-1, 1],
        layout: 'NHWC',
      },
    },
  });
  const modelText = `${JSON.stringify(json)}\n`;
  const readme = exportReadme({ ...info, sizeMultiple: graph.sizeMultiple });
  await writeFileAtomic(path.join(target, WEIGHTS_FILE), weights);
  await writeFileAtomic(path.join(target, README_FILE), readme);
  await writeFileAtomic(path.join(target, MODEL_FILE), modelText);
  return {
    folder: target,
    files: [MODEL_FILE, WEIGHTS_FILE, README_FILE].map((name) => path.join(target, name)),
    bytes: weights.byteLength + Buffer.byteLength(modelText) + Buffer.byteLength(readme),
    sizeMultiple: graph.sizeMultiple,
  };
}

/** The checkpoint key and a fresh network of the generator that translates `direction`. */
function generatorOf(
  model: ModelName,
  config: { netG: string; ngf: number; seed: number },
  direction: Direction,
): { key: string; network: { params: ParamStore } } {
  if (model === 'cut') {
    const generator = cutGeneratorForConfig(config as Parameters<typeof cutGeneratorForConfig>[0]);
    return { key: 'G', network: generator };
  }
  const nets = generatorsForConfig(config as Parameters<typeof generatorsForConfig>[0]);
  const key = direction === 'AtoB' ? 'G_A' : 'G_B';
  disposeParams((direction === 'AtoB' ? nets.G_B : nets.G_A).params);
  return { key, network: nets[key] };
}

/**
 * Exports the generator of one direction of a CycleGAN or CUT checkpoint in `checkpointDir`
 * (AtoB: G_A, BtoA: G_B) as a TensorFlow.js graph model ('tfjs') or an ONNX model ('onnx', onnx-export.ts).
 * Reads that network alone through the checkpoint module.
 */
export async function exportCheckpoint(
  checkpointDir: string,
  direction: Direction,
  folder: string,
  runId?: string,
  format: ExportFormat = 'tfjs',
): Promise<ExportResult> {
  const manifest = await readCheckpointManifest(checkpointDir);
  const problem = directionProblem(manifest.model, direction);
  if (problem) throw new Error(problem);
  if (!MODELS[manifest.model].exportable)
    throw new Error(
      `checkpoint ${checkpointDir} is a ${MODELS[manifest.model].label} checkpoint; only generators that translate in one pass (CycleGAN, CUT) can be exported`,
    );
  const config = generatorConfigOf(manifest, checkpointDir);
  // CUT keeps its one (A → B) generator as G; CycleGAN one per direction, G_A and G_B.
  const { key, network } = generatorOf(manifest.model, config, direction);
  try {
    await loadCheckpointInto(checkpointDir, { networks: { [key]: network.params }, optimizers: {} }, { pools: false });
    const info = { direction, step: manifest.step, runId, netG: config.netG, trainedSize: config.cropSize };
    if (format === 'onnx') return await writeOnnxExport(network.params, folder, { ...info, model: manifest.model });
    return await writeGeneratorExport(network.params, folder, info);
  } finally {
    disposeParams(network.params);
  }
}
