// Writes a checkpoint record as a folder (manifest.json + weights.bin), atomically: the folder is
// either the previous complete checkpoint or the new complete one, never a half-written mix, and
// a full disk or a permission error surfaces as one clear Error with the old checkpoint intact.
import os from 'node:os';
import path from 'node:path';
import type * as tf from '@tensorflow/tfjs-core';
import {
  type CheckpointFs,
  defaultFs,
  describeFsError,
  replaceDirAtomically,
} from '../../node/checkpoint/atomic-dir.ts';
import {
  CHECKPOINT_FORMAT,
  type CheckpointManifest,
  MANIFEST_FILE,
  type TensorEntry,
  WEIGHTS_FILE,
} from '../../node/checkpoint/manifest.ts';
import { type CheckpointRecord, networkTensorName, optimizerTensorName, poolTensorName } from './format.ts';
import { snapshotOptimizer } from './optimizer-state.ts';

export interface SaveCheckpointOptions {
  /** File-system calls, for tests that make a write fail. */
  fs?: CheckpointFs;
}

type Values = () => Promise<Float32Array>;

interface PendingTensor {
  name: string;
  shape: number[];
  values: Values;
}

function fromTensor(tensor: tf.Tensor, name: string): Values {
  return async () => {
    if (tensor.dtype !== 'float32') throw new Error(`tensor ${name} is ${tensor.dtype}; checkpoints hold float32`);
    return (await tensor.data()) as Float32Array;
  };
}

/** FileHandle.write may write less than asked (a signal, a pipe); a checkpoint needs every byte. */
async function writeAll(handle: Awaited<ReturnType<CheckpointFs['open']>>, bytes: Uint8Array): Promise<void> {
  let done = 0;
  while (done < bytes.byteLength) {
    const { bytesWritten } = await handle.write(bytes, done, bytes.byteLength - done);
    if (bytesWritten <= 0) throw new Error('the file system accepted no bytes');
    done += bytesWritten;
  }
}

export async function saveCheckpoint(
  dir: string,
  record: CheckpointRecord,
  options: SaveCheckpointOptions = {},
): Promise<{ path: string; bytes: number }> {
  if (os.endianness() !== 'LE') throw new Error('checkpoints are little-endian; this machine is big-endian');
  if (record.format !== CHECKPOINT_FORMAT) throw new Error(`checkpoint records are format ${CHECKPOINT_FORMAT}`);
  const fs = options.fs ?? defaultFs;
  const target = path.resolve(dir);
  const pending: PendingTensor[] = [];
  const manifest: CheckpointManifest = {
    format: CHECKPOINT_FORMAT,
    model: record.model,
    step: record.step,
    epoch: record.epoch,
    config: record.config ?? null,
    savedAt: new Date().toISOString(),
    byteOrder: 'little',
    weightsBytes: 0,
    tensors: {},
    networks: {},
    optimizers: {},
    pools: {},
    extra: record.extra ?? {},
  };

  for (const [key, store] of Object.entries(record.networks)) {
    manifest.networks[key] = [...store.variables.keys()];
    for (const [variableName, variable] of store.variables) {
      const name = networkTensorName(key, variableName);
      pending.push({ name, shape: [...variable.shape], values: fromTensor(variable, name) });
    }
  }
  // The optimizers' tensors are their live variables: read before anyone steps again.
  for (const [key, optimizer] of Object.entries(record.optimizers)) {
    const snapshot = await snapshotOptimizer(optimizer);
    manifest.optimizers[key] = {
      className: snapshot.className,
      iterations: snapshot.iterations,
      weights: snapshot.weights.map((w) => w.name),
      ...(snapshot.accBeta ? { accBeta: snapshot.accBeta } : {}),
    };
    for (const { name: weightName, tensor } of snapshot.weights) {
      const name = optimizerTensorName(key, weightName);
      pending.push({ name, shape: [...tensor.shape], values: fromTensor(tensor, name) });
    }
  }
  for (const [key, pool] of Object.entries(record.pools ?? {})) {
    manifest.pools[key] = { capacity: pool.capacity, images: pool.images.length };
    pool.images.forEach((image, index) => {
      pending.push({ name: poolTensorName(key, index), shape: [...image.shape], values: async () => image.data });
    });
  }

  let offset = 0;
  for (const { name, shape } of pending) {
    if (manifest.tensors[name]) throw new Error(`checkpoint tensor ${name} appears twice`);
    const length = 4 * shape.reduce((a, b) => a * b, 1);
    manifest.tensors[name] = { dtype: 'float32', shape, offset, length } satisfies TensorEntry;
    offset += length;
  }
  manifest.weightsBytes = offset;
  const manifestText = `${JSON.stringify(manifest, null, 1)}\n`;

  try {
    await replaceDirAtomically(
      target,
      async (temporary) => {
        const weights = await fs.open(path.join(temporary, WEIGHTS_FILE), 'wx');
        try {
          for (const { name, values } of pending) {
            const data = await values();
            const entry = manifest.tensors[name] as TensorEntry;
            if (data.byteLength !== entry.length)
              throw new Error(`tensor ${name} has ${data.byteLength} bytes, its shape says ${entry.length}`);
            await writeAll(weights, new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
          }
          await weights.sync();
        } finally {
          await weights.close();
        }
        const manifestFile = await fs.open(path.join(temporary, MANIFEST_FILE), 'wx');
        try {
          await manifestFile.writeFile(manifestText);
          await manifestFile.sync();
        } finally {
          await manifestFile.close();
        }
      },
      fs,
    );
  } catch (error) {
    throw new Error(
      `Could not save the checkpoint ${target}: ${describeFsError(error)}. Any earlier checkpoint there is untouched.`,
      { cause: error },
    );
  }
  return { path: target, bytes: manifest.weightsBytes + Buffer.byteLength(manifestText) };
}
