// The CUT reference's PatchSampleF ('mlp_sample', models/networks.py): from each feature map it
// takes the same randomly chosen locations in every image of the batch, passes each location's
// feature vector through that layer's two-layer MLP (Linear C→256, ReLU, Linear 256→256) and
// L2-normalises the result. The key path draws the locations; the query path is given the same
// ones, so a query and its positive key come from the same place of the input and of the output.
import * as tf from '@tensorflow/tfjs-core';
import { type InitOptions, linear } from '../nn/layers.ts';
import { createParamStore, type ParamStore, seedStream } from '../nn/params.ts';

export interface PatchHeadsOptions {
  name: string;
  /** Channels of each feature layer, in the layers' order: one MLP per layer. */
  channels: readonly number[];
  /** The MLP's width, the reference's netF_nc: 256. */
  units?: number;
  seed: number;
  init?: InitOptions['scheme'];
}

export interface PatchHeads {
  params: ParamStore;
  /**
   * Each layer's features at its sampled locations, through its MLP, L2-normalised: [B·P, units] per
   * layer, image-major (the P locations of image 0, then those of image 1, …), as the reference flattens them.
   */
  project(features: readonly tf.Tensor4D[], locations: readonly PatchLocations[]): tf.Tensor2D[];
}

/** The locations (row-major indices y·W + x) sampled at one layer, as an int32 tensor and its inverse map. */
export interface PatchLocations {
  /** [P] indices into the layer's H·W positions, all different. */
  ids: tf.Tensor1D;
  /** [H·W]: for each position, its index among `ids`, or P where it was not sampled (the gradient's scatter). */
  inverse: tf.Tensor1D;
  count: number;
}

/**
 * P = min(count, positions) distinct positions in random order: the first P of a random permutation,
 * as the reference's torch.randperm(H·W)[:P], from `random` (uniform [0, 1)) so a step is repeatable.
 */
export function samplePatchIds(positions: number, count: number, random: () => number): Int32Array {
  const take = Math.min(count, positions);
  const order = Int32Array.from({ length: positions }, (_, i) => i);
  // A partial Fisher–Yates shuffle: the first `take` entries are a uniform random draw without replacement.
  for (let i = 0; i < take; i++) {
    const j = i + Math.floor(random() * (positions - i));
    const swap = order[i] as number;
    order[i] = order[j] as number;
    order[j] = swap;
  }
  return order.slice(0, take);
}

/** Tensors for the sampled ids of a layer with `positions` locations; the caller disposes them (disposeLocations). */
export function patchLocations(ids: Int32Array, positions: number): PatchLocations {
  const inverse = new Int32Array(positions).fill(ids.length);
  ids.forEach((id, i) => {
    inverse[id] = i;
  });
  return { ids: tf.tensor1d(ids, 'int32'), inverse: tf.tensor1d(inverse, 'int32'), count: ids.length };
}

export function disposeLocations(locations: readonly PatchLocations[]): void {
  for (const l of locations) tf.dispose([l.ids, l.inverse]);
}

/**
 * rows[:, ids, :] of a [B, N, C] tensor. Its gradient is a gather too (tfjs's own GatherV2 gradient is
 * an UnsortedSegmentSum, which tfjs-backend-wasm lacks): the ids are distinct, so the incoming gradient
 * goes back to its rows unchanged and every other row gets 0, read through `inverse` from the incoming
 * gradient with a zero row appended.
 */
function takeRows(x: tf.Tensor3D, at: PatchLocations): tf.Tensor3D {
  const take = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => ({
    value: tf.gather(args[0] as tf.Tensor, at.ids, 1),
    gradFunc: (dy: tf.Tensor) => {
      const [b, , c] = dy.shape as [number, number, number];
      return tf.gather(tf.concat([dy, tf.zeros([b, 1, c])], 1), at.inverse, 1);
    },
  }));
  return take(x) as tf.Tensor3D;
}

/** x / (‖x‖₂ + 1e-7) per row, the reference's Normalize(2). */
export function l2Normalize(x: tf.Tensor2D): tf.Tensor2D {
  return tf.div(x, tf.add(tf.sqrt(tf.sum(tf.square(x), 1, true)), 1e-7)) as tf.Tensor2D;
}

/**
 * The heads, created at once from the feature channels (the reference creates them at the first
 * forward pass, from the features' shapes, which is the same: the channels follow from the options).
 * Initialised like the networks (init_net on the whole PatchSampleF): weights by `init`, gain 0.02, biases 0.
 */
export function createPatchHeads(options: PatchHeadsOptions): PatchHeads {
  const units = options.units ?? 256;
  const params = createParamStore(options.name);
  const init: InitOptions = { std: 0.02, nextSeed: seedStream(options.seed), scheme: options.init ?? 'normal' };
  const mlps = options.channels.map((c, i) => {
    const first = linear(params, `mlp${i}/fc0`, init, c, units);
    const second = linear(params, `mlp${i}/fc1`, init, units, units);
    return (x: tf.Tensor2D) => second(tf.relu(first(x)));
  });
  return {
    params,
    project(features, locations) {
      if (features.length !== mlps.length || locations.length !== mlps.length)
        throw new Error(`patch heads: ${mlps.length} layers, given ${features.length} features`);
      return features.map((feature, i) => {
        const [b, h, w, c] = feature.shape;
        const at = locations[i] as PatchLocations;
        if (at.inverse.size !== h * w)
          throw new Error(`patch heads: layer ${i} has ${h * w} positions, the ids ${at.inverse.size}`);
        const sampled = tf.reshape(takeRows(tf.reshape(feature, [b, h * w, c]), at), [b * at.count, c]) as tf.Tensor2D;
        return l2Normalize((mlps[i] as (x: tf.Tensor2D) => tf.Tensor2D)(sampled));
      });
    },
  };
}
