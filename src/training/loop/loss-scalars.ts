// A step's kept loss scalars read back as plain numbers, in the loss names' order, and freed: the
// one place both steppers turn tensors into the metrics they report. A loss the step did not
// compute (identity at weight 0, say) reads as 0.
import type * as tf from '@tensorflow/tfjs-core';

export function readLossScalars<Name extends string>(
  names: readonly Name[],
  scalars: Partial<Record<Name, tf.Scalar>>,
): Record<Name, number> {
  const losses = {} as Record<Name, number>;
  for (const name of names) {
    const scalar = scalars[name];
    losses[name] = scalar ? (scalar.dataSync()[0] as number) : 0;
    scalar?.dispose();
  }
  return losses;
}
