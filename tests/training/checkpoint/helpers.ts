// Small fixtures for the checkpoint tests: a two-parameter "network" with an Adam that has taken
// real steps, temporary folders, and a file system that fails on cue.
import nodeFs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import type { CheckpointFs } from '../../../src/training/checkpoint/atomic-dir.ts';
import { createParamStore, normalParam, type ParamStore } from '../../../src/training/nn/params.ts';

export async function temporaryDir(): Promise<string> {
  return nodeFs.mkdtemp(path.join(os.tmpdir(), 'diptych-checkpoint-'));
}

export interface TinyModel {
  store: ParamStore;
  optimizer: tf.AdamOptimizer;
  /** One Adam step on a fixed quadratic; returns the loss. */
  step(): number;
  values(): Record<string, number[]>;
  dispose(): void;
}

/** A store named `name` with a [2, 3] weight and a [width] bias. */
export function tinyModel(name: string, seed: number, width = 3): TinyModel {
  const store = createParamStore(name);
  normalParam(store, 'weight', [2, 3], 1, seed);
  normalParam(store, 'bias', [width], 1, seed + 1);
  const optimizer = tf.train.adam(0.05, 0.5, 0.999);
  const variables = [...store.variables.values()];
  return {
    store,
    optimizer,
    step: () => {
      const loss = optimizer.minimize(
        () => tf.addN(variables.map((v, i) => tf.sum(tf.square(tf.sub(v, i + 0.5))))) as tf.Scalar,
        true,
        variables,
      ) as tf.Scalar;
      const value = loss.dataSync()[0] as number;
      loss.dispose();
      return value;
    },
    values: () => Object.fromEntries(variables.map((v) => [v.name, Array.from(v.dataSync())])),
    dispose: () => {
      optimizer.dispose();
      for (const v of variables) v.dispose();
    },
  };
}

/** A file system that throws `code` from the call `failOn` picks, and is node:fs otherwise. */
export function failingFs(
  code: string,
  failOn: { call: keyof CheckpointFs | 'write'; when?: (...args: unknown[]) => boolean },
): CheckpointFs {
  const fail = () => Object.assign(new Error(`${code}: simulated failure`), { code });
  const matches = (call: string, args: unknown[]) => failOn.call === call && (failOn.when?.(...args) ?? true);
  const wrap = <K extends keyof CheckpointFs>(call: K) =>
    (async (...args: unknown[]) => {
      if (matches(call, args)) throw fail();
      // biome-ignore lint/suspicious/noExplicitAny: forwarding node:fs's overloads as they are
      const result = await (nodeFs[call] as any)(...args);
      if (call === 'open' && failOn.call === 'write') {
        const handle = result as Awaited<ReturnType<typeof nodeFs.open>>;
        return new Proxy(handle, {
          get(target, property, receiver) {
            if (property === 'write' || property === 'writeFile')
              return async (...writeArgs: unknown[]) => {
                if (matches('write', [args[0], ...writeArgs])) throw fail();
                // biome-ignore lint/suspicious/noExplicitAny: same
                return (target as any)[property](...writeArgs);
              };
            const value = Reflect.get(target, property, receiver);
            return typeof value === 'function' ? value.bind(target) : value;
          },
        });
      }
      return result;
    }) as CheckpointFs[K];
  return {
    open: wrap('open'),
    rename: wrap('rename'),
    rm: wrap('rm'),
    mkdir: wrap('mkdir'),
    readdir: wrap('readdir'),
    stat: wrap('stat'),
    readFile: wrap('readFile'),
  };
}
