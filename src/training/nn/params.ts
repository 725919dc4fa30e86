// A network's parameters: named tf.Variables in creation order, nothing more. Diptych's models
// are plain functions over these (nanoGPT-style) rather than tfjs-layers models, so that the
// engine controls every op the backward pass will hit (the wasm kernel pack depends on it) and a
// checkpoint is one plain record of named arrays.
import * as tf from '@tensorflow/tfjs-core';

export interface ParamStore {
  readonly name: string;
  readonly variables: Map<string, tf.Variable>;
  /**
   * Parameters whose gradient is exactly zero wherever the fused instance norm runs: the biases of convs
   * that feed a norm without affine parameters, which its mean subtraction cancels (nn/layers.ts,
   * conv2dInstanceNorm). They stay parameters (checkpoints, optimizer state); a trainer may skip them.
   */
  readonly cancelledByNorm: Set<tf.Variable>;
}

export function createParamStore(name: string): ParamStore {
  return { name, variables: new Map(), cancelledByNorm: new Set() };
}

/** N(0, std) weights as in the reference code's init_weights('normal', gain 0.02). */
export function normalParam(store: ParamStore, key: string, shape: number[], std: number, seed: number): tf.Variable {
  return addParam(store, key, tf.randomNormal(shape, 0, std, 'float32', seed));
}

export function zerosParam(store: ParamStore, key: string, shape: number[]): tf.Variable {
  return addParam(store, key, tf.zeros(shape));
}

function addParam(store: ParamStore, key: string, initial: tf.Tensor): tf.Variable {
  const fullName = `${store.name}/${key}`;
  if (store.variables.has(fullName)) throw new Error(`parameter ${fullName} is defined twice`);
  const variable = tf.variable(initial, true, uniqueVariableName(fullName));
  initial.dispose();
  store.variables.set(fullName, variable);
  return variable;
}

/**
 * TensorFlow.js wants live variables to have distinct names; two copies of one network (a
 * checkpoint compared with another, two runs in one test) get a numbered name. The store's own
 * key stays the plain name, which is what checkpoints record.
 */
function uniqueVariableName(name: string): string {
  const registered = (tf.engine() as unknown as { registeredVariables: Record<string, unknown> }).registeredVariables;
  if (!(name in registered)) return name;
  let copy = 2;
  while (`${name}#${copy}` in registered) copy++;
  return `${name}#${copy}`;
}

export function countParams(store: ParamStore): number {
  let total = 0;
  for (const variable of store.variables.values()) total += variable.size;
  return total;
}

export function paramList(store: ParamStore): tf.Variable[] {
  return [...store.variables.values()];
}

export function disposeParams(store: ParamStore): void {
  for (const variable of store.variables.values()) variable.dispose();
  store.variables.clear();
  store.cancelledByNorm.clear();
}

/** A deterministic per-parameter seed stream, so a model's init depends only on its seed. */
export function seedStream(seed: number): () => number {
  let next = seed >>> 0;
  return () => {
    next = (Math.imul(next, 1664525) + 1013904223) >>> 0;
    return next;
  };
}
