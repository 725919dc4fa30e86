// An optimizer's state out (as its own tensors, streamed to disk) and back in (from plain arrays),
// exactly: a resumed run's next step must equal, bit for bit, the step it would have taken
// without the checkpoint.
//
// tfjs's getWeights() gives [iter, ...m, ...v]; its setWeights() restores those but recomputes
// Adam's bias-correction powers as pow(β, t + 1), while training got them by multiplying by β once
// per step. In float32 the two differ in the last bits (β2 = 0.999), which is enough to make every
// later step differ. So for Adam the running powers (private accBeta1/accBeta2) are saved too and
// written back after setWeights; the check below fails loudly if a tfjs upgrade renames them.
import * as tf from '@tensorflow/tfjs-core';
import { isFusedAdam } from '../kernels/fused_adam.ts';

interface OptimizerHead {
  className: string;
  iterations: number;
  /** Adam only: [β1^(t+1), β2^(t+1)] as training accumulated them (float32 values, exact in JSON). */
  accBeta?: [number, number];
}

/** The optimizer's state as its own tensors: read them before its next step, never dispose them. */
export interface OptimizerSnapshot extends OptimizerHead {
  weights: { name: string; tensor: tf.Tensor }[];
}

export interface OptimizerState extends OptimizerHead {
  /** getWeights() after 'iter', in order (Adam: every m, then every v). */
  weights: { name: string; shape: number[]; data: Float32Array }[];
}

interface AdamInternals {
  accBeta1?: tf.Variable;
  accBeta2?: tf.Variable;
}

function adamInternals(optimizer: tf.Optimizer): Required<AdamInternals> | null {
  if (!(optimizer instanceof tf.AdamOptimizer)) return null;
  const { accBeta1, accBeta2 } = optimizer as unknown as AdamInternals;
  if (!(accBeta1 instanceof tf.Variable) || !(accBeta2 instanceof tf.Variable))
    throw new Error('this TensorFlow.js Adam keeps no accBeta1/accBeta2 variables; its state cannot be saved exactly');
  return { accBeta1, accBeta2 };
}

export async function snapshotOptimizer(optimizer: tf.Optimizer): Promise<OptimizerSnapshot> {
  const [iter, ...weights] = await optimizer.getWeights();
  if (iter?.name !== 'iter')
    throw new Error(`optimizer ${optimizer.getClassName()}: getWeights() did not start with iter`);
  const iterations = (await iter.tensor.data())[0] as number;
  iter.tensor.dispose();
  for (const { name, tensor } of weights)
    if (tensor.dtype !== 'float32') throw new Error(`optimizer weight ${name} is ${tensor.dtype}, expected float32`);
  const snapshot: OptimizerSnapshot = { className: optimizer.getClassName(), iterations, weights };
  const adam = adamInternals(optimizer);
  if (adam) snapshot.accBeta = [(await adam.accBeta1.data())[0] as number, (await adam.accBeta2.data())[0] as number];
  return snapshot;
}

/** Puts saved state into an optimizer of the same class, built with the same hyper-parameters. */
export async function restoreOptimizer(optimizer: tf.Optimizer, state: OptimizerState, label: string): Promise<void> {
  if (optimizer.getClassName() !== state.className)
    throw new Error(
      `optimizer ${label}: the checkpoint holds ${state.className} state, the run uses ${optimizer.getClassName()}`,
    );
  const adam = adamInternals(optimizer);
  if (adam && !state.accBeta) throw new Error(`optimizer ${label}: the checkpoint lacks Adam's β powers`);
  // setWeights replaces the moment variables without disposing the ones it had: keep them to dispose.
  const previous = await optimizer.getWeights();
  const incoming = [
    { name: 'iter', tensor: tf.scalar(state.iterations, 'int32') as tf.Tensor },
    ...state.weights.map(({ name, shape, data }) => ({ name, tensor: tf.tensor(data, shape, 'float32') })),
  ];
  await optimizer.setWeights(incoming);
  // The variables setWeights made hold their own reference to the data.
  tf.dispose(incoming.map((w) => w.tensor));
  tf.dispose(previous.map((w) => w.tensor));
  if (adam && state.accBeta) {
    const [beta1Power, beta2Power] = state.accBeta;
    tf.tidy(() => {
      adam.accBeta1.assign(tf.scalar(beta1Power));
      adam.accBeta2.assign(tf.scalar(beta2Power));
    });
    // The fused optimiser mirrors these on the host; it must see the restored values.
    // (Not instanceof: tfjs's Optimizer answers instanceof for any object with an optimiser's methods.)
    if (isFusedAdam(optimizer)) await optimizer.refreshBetaPowers();
  }
}
