// A network as the engine runs it: its parameters and its forward pass.
import type * as tf from '@tensorflow/tfjs-core';
import type { ParamStore } from '../nn/params.ts';

export interface Network {
  params: ParamStore;
  apply: (x: tf.Tensor4D) => tf.Tensor4D;
}
