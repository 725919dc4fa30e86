// Reads a checkpoint folder back into networks and optimizers built from the same config. Every
// check runs before the first variable changes, so a checkpoint that does not fit (another ngf,
// another block count, a truncated weights.bin) leaves the target as it was and says which tensor
// is wrong.
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { type CheckpointFs, defaultFs } from '../../node/checkpoint/atomic-dir.ts';
import {
  type CheckpointManifest,
  type OptimizerEntry,
  readCheckpointManifest,
  type TensorEntry,
  WEIGHTS_FILE,
} from '../../node/checkpoint/manifest.ts';
import {
  type CheckpointTarget,
  type LoadedCheckpoint,
  networkTensorName,
  optimizerTensorName,
  type PoolState,
  poolTensorName,
} from './format.ts';
import { type OptimizerState, restoreOptimizer } from './optimizer-state.ts';

export interface LoadCheckpointOptions {
  fs?: CheckpointFs;
  /** false skips the extra tensor state: the image pools (inference needs none; a paper-sized run's pools are ~80 MB). */
  pools?: boolean;
}

const sameShape = (a: readonly number[], b: readonly number[]) =>
  a.length === b.length && a.every((d, i) => d === b[i]);
const showShape = (shape: readonly number[]) => `[${shape.join(', ')}]`;

function requireEntry(manifest: CheckpointManifest, name: string, where: string): TensorEntry {
  const entry = manifest.tensors[name];
  if (!entry) throw new Error(`${where}: the checkpoint has no tensor ${name}`);
  return entry;
}

/** Checks that the target fits the checkpoint; returns the (entry, destination) pairs to fill. */
function planNetworks(manifest: CheckpointManifest, target: CheckpointTarget, where: string) {
  const plan: { name: string; entry: TensorEntry; variable: tf.Variable }[] = [];
  for (const [key, store] of Object.entries(target.networks)) {
    const saved = manifest.networks[key];
    if (!saved)
      throw new Error(
        `${where}: the checkpoint has no network ${key} (it has ${Object.keys(manifest.networks).join(', ')})`,
      );
    const savedSet = new Set(saved);
    const unexpected = saved.filter((name) => !store.variables.has(name));
    if (unexpected.length > 0)
      throw new Error(
        `${where}: network ${key} of the checkpoint has parameters this ${key} lacks (${unexpected.slice(0, 3).join(', ')}${unexpected.length > 3 ? ', …' : ''}): it was built with another architecture`,
      );
    for (const [variableName, variable] of store.variables) {
      const name = networkTensorName(key, variableName);
      if (!savedSet.has(variableName))
        throw new Error(`${where}: the checkpoint has no tensor ${name}: it was built with another architecture`);
      const entry = requireEntry(manifest, name, where);
      if (!sameShape(entry.shape, variable.shape))
        throw new Error(
          `${where}: tensor ${name} has shape ${showShape(entry.shape)} in the checkpoint but ${showShape(variable.shape)} in this network (another ngf/ndf or architecture?)`,
        );
      plan.push({ name, entry, variable });
    }
  }
  return plan;
}

function planOptimizers(manifest: CheckpointManifest, target: CheckpointTarget, where: string) {
  const variableShapes = new Map<string, readonly number[]>();
  for (const store of Object.values(target.networks))
    for (const [name, variable] of store.variables) variableShapes.set(name, variable.shape);
  const plan: {
    key: string;
    optimizer: tf.Optimizer;
    saved: OptimizerEntry;
    weights: { name: string; entry: TensorEntry }[];
  }[] = [];
  for (const [key, optimizer] of Object.entries(target.optimizers)) {
    const saved = manifest.optimizers[key];
    if (!saved) throw new Error(`${where}: the checkpoint has no state for optimizer ${key}`);
    if (saved.className !== optimizer.getClassName())
      throw new Error(
        `${where}: optimizer ${key} is ${saved.className} in the checkpoint but ${optimizer.getClassName()} here`,
      );
    const weights = saved.weights.map((weightName) => {
      const name = optimizerTensorName(key, weightName);
      const entry = requireEntry(manifest, name, where);
      // Adam's slots are named <variable>/m and <variable>/v: they must fit the variable they update.
      const slotOf = saved.className === 'Adam' ? weightName.replace(/\/[mv]$/, '') : null;
      const shape = slotOf === null ? undefined : variableShapes.get(slotOf);
      if (slotOf !== null && shape && !sameShape(shape, entry.shape))
        throw new Error(
          `${where}: tensor ${name} has shape ${showShape(entry.shape)} but parameter ${slotOf} is ${showShape(shape)}`,
        );
      return { name: weightName, entry };
    });
    plan.push({ key, optimizer, saved, weights });
  }
  return plan;
}

export async function loadCheckpointInto(
  dir: string,
  target: CheckpointTarget,
  options: LoadCheckpointOptions = {},
): Promise<LoadedCheckpoint> {
  if (os.endianness() !== 'LE') throw new Error('checkpoints are little-endian; this machine is big-endian');
  const fs = options.fs ?? defaultFs;
  const folder = path.resolve(dir);
  const manifest = await readCheckpointManifest(folder, { fs });
  const where = `checkpoint ${folder}`;
  const weightsPath = path.join(folder, WEIGHTS_FILE);

  let size: number;
  try {
    size = (await fs.stat(weightsPath)).size;
  } catch (error) {
    throw new Error(`${where}: ${WEIGHTS_FILE} is missing`, { cause: error });
  }
  if (size !== manifest.weightsBytes)
    throw new Error(`${where}: ${WEIGHTS_FILE} has ${size} bytes, its manifest says ${manifest.weightsBytes}`);
  for (const [name, entry] of Object.entries(manifest.tensors)) {
    const expected = 4 * entry.shape.reduce((a, b) => a * b, 1);
    if (entry.length !== expected || entry.offset < 0 || entry.offset + entry.length > size)
      throw new Error(`${where}: tensor ${name}'s index entry does not fit ${WEIGHTS_FILE}`);
  }

  const networkPlan = planNetworks(manifest, target, where);
  const optimizerPlan = planOptimizers(manifest, target, where);
  const poolPlan = Object.entries(options.pools === false ? {} : manifest.pools).map(([key, { capacity, images }]) => ({
    key,
    capacity,
    entries: Array.from({ length: images }, (_, i) => requireEntry(manifest, poolTensorName(key, i), where)),
  }));

  const handle = await fs.open(weightsPath, 'r');
  const read = async (entry: TensorEntry): Promise<Float32Array> => {
    const bytes = new Uint8Array(entry.length);
    let done = 0;
    while (done < entry.length) {
      const { bytesRead } = await handle.read(bytes, done, entry.length - done, entry.offset + done);
      if (bytesRead <= 0) throw new Error(`${where}: ${WEIGHTS_FILE} ended early`);
      done += bytesRead;
    }
    return new Float32Array(bytes.buffer);
  };
  try {
    // Read everything before changing anything: a read error must not leave the nets half loaded.
    const networkValues: Float32Array[] = [];
    for (const item of networkPlan) networkValues.push(await read(item.entry));
    const optimizerStates: { key: string; optimizer: tf.Optimizer; state: OptimizerState }[] = [];
    for (const { key, optimizer, saved, weights } of optimizerPlan) {
      const state: OptimizerState = { className: saved.className, iterations: saved.iterations, weights: [] };
      if (saved.accBeta) state.accBeta = saved.accBeta;
      for (const { name, entry } of weights) state.weights.push({ name, shape: entry.shape, data: await read(entry) });
      optimizerStates.push({ key, optimizer, state });
    }
    const pools: Record<string, PoolState> = {};
    for (const { key, capacity, entries } of poolPlan) {
      const images: PoolState['images'] = [];
      for (const entry of entries) images.push({ shape: entry.shape, data: await read(entry) });
      pools[key] = { capacity, images };
    }

    networkPlan.forEach(({ variable, entry }, i) => {
      tf.tidy(() => variable.assign(tf.tensor(networkValues[i] as Float32Array, entry.shape, 'float32')));
    });
    for (const { key, optimizer, state } of optimizerStates) await restoreOptimizer(optimizer, state, key);

    return {
      step: manifest.step,
      epoch: manifest.epoch,
      config: manifest.config,
      model: manifest.model,
      extra: manifest.extra,
      pools,
    };
  } finally {
    await handle.close();
  }
}
