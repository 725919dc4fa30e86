// A checkpoint on disk, as far as it can be read without touching a tensor: a folder with
// manifest.json (format, model, step, epoch, config, and where each tensor lies) and weights.bin
// (every tensor's float32 values back to back, in the manifest's order, little-endian). The host
// reads manifests (which model a checkpoint holds, its config) as the engine does; only the engine
// reads the weights (src/training/checkpoint/load.ts).

import path from 'node:path';
import { MODEL_NAMES, type ModelName } from '../../shared/models.ts';
import { type CheckpointFs, defaultFs, restoreInterruptedSwap } from './atomic-dir.ts';

export const CHECKPOINT_FORMAT = 1;
export const MANIFEST_FILE = 'manifest.json';
export const WEIGHTS_FILE = 'weights.bin';

/** The model that wrote a checkpoint (src/shared/models.ts). */
export type CheckpointModel = ModelName;

export interface TensorEntry {
  dtype: 'float32';
  shape: number[];
  /** Byte offset in weights.bin. */
  offset: number;
  /** Bytes: 4 × the shape's element count. */
  length: number;
}

export interface OptimizerEntry {
  /** tfjs class name, e.g. 'Adam'. */
  className: string;
  iterations: number;
  /** getWeights() names after 'iter', in order; each stored as tensor optimizers/<key>/<name>. */
  weights: string[];
  /** Adam's running β powers as training accumulated them (float32 values, exact as JSON numbers). */
  accBeta?: [number, number];
}

export interface CheckpointManifest {
  format: 1;
  model: CheckpointModel;
  step: number;
  epoch: number;
  config: unknown;
  savedAt: string;
  byteOrder: 'little';
  /** Size of weights.bin: the sum of the tensors' lengths. */
  weightsBytes: number;
  /** Tensor name → where its values lie in weights.bin. */
  tensors: Record<string, TensorEntry>;
  /** Network key → its parameters' variable names, in creation order (tensors networks/<key>/<name>). */
  networks: Record<string, string[]>;
  optimizers: Record<string, OptimizerEntry>;
  /** Pool key → capacity and stored image count (tensors pools/<key>/<index>). */
  pools: Record<string, { capacity: number; images: number }>;
  extra: Record<string, unknown>;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Checks a parsed manifest.json field by field; throws naming the first thing that is wrong. */
export function validateManifest(value: unknown, where: string): CheckpointManifest {
  const fail = (what: string): never => {
    throw new Error(`${where} is not a Diptych checkpoint manifest: ${what}`);
  };
  if (!isRecord(value)) return fail('not a JSON object');
  if (value.format !== CHECKPOINT_FORMAT)
    fail(`format ${JSON.stringify(value.format)}, this version of Diptych reads format ${CHECKPOINT_FORMAT}`);
  if (!(MODEL_NAMES as readonly unknown[]).includes(value.model)) fail(`unknown model ${JSON.stringify(value.model)}`);
  for (const key of ['step', 'epoch', 'weightsBytes'] as const) {
    const n = value[key];
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 0) fail(`${key} is not a whole number ≥ 0`);
  }
  if (value.byteOrder !== 'little') fail(`byte order ${JSON.stringify(value.byteOrder)}`);
  if (!isRecord(value.tensors)) fail('no tensor index');
  for (const [name, entry] of Object.entries(value.tensors as Record<string, unknown>)) {
    if (
      !isRecord(entry) ||
      entry.dtype !== 'float32' ||
      !Array.isArray(entry.shape) ||
      !entry.shape.every((d) => Number.isInteger(d) && d >= 0) ||
      !Number.isInteger(entry.offset) ||
      !Number.isInteger(entry.length)
    )
      fail(`tensor ${name} has a malformed index entry`);
  }
  if (!isRecord(value.networks) || !Object.values(value.networks).every((v) => Array.isArray(v)))
    fail('malformed network list');
  if (
    !isRecord(value.optimizers) ||
    !Object.values(value.optimizers).every((o) => isRecord(o) && Array.isArray(o.weights))
  )
    fail('malformed optimizer list');
  if (!isRecord(value.pools)) fail('malformed pool list');
  if (!isRecord(value.extra)) fail('malformed extra');
  return value as unknown as CheckpointManifest;
}

/** The manifest alone: step, epoch, config, what the checkpoint holds; no tensor is read. */
export async function readCheckpointManifest(
  dir: string,
  options: { fs?: CheckpointFs } = {},
): Promise<CheckpointManifest> {
  const fs = options.fs ?? defaultFs;
  const target = path.resolve(dir);
  await restoreInterruptedSwap(target, fs);
  const file = path.join(target, MANIFEST_FILE);
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT')
      throw new Error(`${target} is not a checkpoint: it has no ${MANIFEST_FILE}`, { cause: error });
    throw error;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new Error(`${file} is not valid JSON: ${(error as Error).message}`, { cause: error });
  }
  return validateManifest(parsed, file);
}
