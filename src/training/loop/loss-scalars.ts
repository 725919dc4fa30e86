// A step's kept loss scalars read back as plain numbers, in the loss names' order, and freed: the
// one place both steppers turn tensors into the metrics they report. A loss the step did not
// compute (identity at weight 0, say) reads as 0.
//
// Asynchronous, and one read for all of them: on a GPU backend every read waits for the device to
// finish the step, so eight reads would be eight round trips; and tfjs's webgpu backend cannot read
// synchronously at all outside a browser (its readSync draws through an OffscreenCanvas).
import * as tf from '@tensorflow/tfjs-core';

export async function readLossScalars<Name extends string>(
  names: readonly Name[],
  scalars: Partial<Record<Name, tf.Scalar>>,
): Promise<Record<Name, number>> {
  const present = names.filter((name) => scalars[name] != null);
  const kept = present.map((name) => scalars[name] as tf.Scalar);
  const packed = kept.length > 0 ? tf.stack(kept) : null;
  tf.dispose(kept);
  const values = packed ? await packed.data() : new Float32Array(0);
  packed?.dispose();
  const losses = {} as Record<Name, number>;
  for (const name of names) losses[name] = 0;
  present.forEach((name, i) => {
    losses[name] = values[i] as number;
  });
  return losses;
}
