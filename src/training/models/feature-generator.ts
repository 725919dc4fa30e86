// A generator that can also return what its encoder sees at named stages: CUT's PatchNCE compares
// those features between a picture and its translation. The ResNet generator (stages `pad`, `stem`,
// `down0`, `down1`, `block0`…) and the U-Net (`input`, `down0`…) both offer it.
import type * as tf from '@tensorflow/tfjs-core';
import type { Network } from './network.ts';

export interface FeatureGenerator<Stage extends string = string> extends Network {
  // Method syntax on purpose: a generator with its own stage names (ResnetGenerator) is then usable
  // where any stage name may be asked for; an unknown name throws at run time, naming the stage.
  /** The input's features at the given stages, in the order asked; runs the encoder only as far as needed. */
  features(x: tf.Tensor4D, stages: readonly Stage[]): tf.Tensor4D[];
  /** Channels of a stage's feature. */
  featureChannels(stage: Stage): number;
  /**
   * The biases a norm cancels in the plain pass that a feature read before that norm makes live: a
   * trainer that skips cancelled biases must keep these when it reads those features.
   */
  featureBiases(stages: readonly Stage[]): tf.Variable[];
}
