// Small fixtures for the checkpoint tests: a two-parameter "network" with an Adam that has taken
// real steps. Temporary folders and a file system that fails on cue: tests/node/checkpoint/helpers.ts.
import * as tf from '@tensorflow/tfjs-core';
import { createParamStore, normalParam, type ParamStore } from '../../../src/training/nn/params.ts';

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
