// The building blocks of the papers' networks, as functions of NHWC tensors. Each factory
// creates its parameters in a ParamStore and returns the forward function.
import * as tf from '@tensorflow/tfjs-core';
import { fusedInstanceNorm, fusedInstanceNormApplies } from '../kernels/instance_norm.ts';
import { matMul2d } from './matmul.ts';
import { normalParam, type ParamStore, zerosParam } from './params.ts';

export type Layer = (x: tf.Tensor4D) => tf.Tensor4D;

export interface InitOptions {
  /** 'normal': the weights' standard deviation; 'xavier': the gain. */
  std: number;
  nextSeed: () => number;
  /**
   * The reference code's init_type: 'normal' (CycleGAN's: N(0, std)), or 'xavier' (CUT's default:
   * PyTorch's xavier_normal_ with gain std, N(0, std·√(2/(fan_in + fan_out)))). Absent: 'normal'.
   */
  scheme?: 'normal' | 'xavier';
}

/**
 * The standard deviation of a weight with these fans: a conv's are cin·k² and cout·k² (PyTorch's, for a
 * transposed conv too: the two swap, their sum does not), a linear layer's its two widths.
 */
export function weightStd(init: InitOptions, fanIn: number, fanOut: number): number {
  return init.scheme === 'xavier' ? init.std * Math.sqrt(2 / (fanIn + fanOut)) : init.std;
}

/**
 * A layer that can also give an inner feature: for a conv + norm, the conv's output with its bias,
 * before the norm (the reference's nn.Conv2d is a layer of its own there, and CUT's PatchNCE reads
 * it: models/resnet-generator.ts features()). `withFeature(x)` is the layer's output and that feature
 * from one pass; the layer's plain call is unchanged.
 */
export type FeatureLayer = Layer & { withFeature: (x: tf.Tensor4D) => { output: tf.Tensor4D; feature: tf.Tensor4D } };

/** Conv2d with bias; `pad` is symmetric zero padding in pixels (PyTorch's `padding`). */
export function conv2d(
  store: ParamStore,
  key: string,
  init: InitOptions,
  k: number,
  cin: number,
  cout: number,
  stride: number,
  pad: number,
): Layer {
  const { conv, bias } = convParams(store, key, init, k, cin, cout, stride, pad);
  return (x) => tf.add(conv(x), bias);
}

/** A conv's weight and bias (created in this order: parameter names and order are the checkpoint's). */
function convParams(
  store: ParamStore,
  key: string,
  init: InitOptions,
  k: number,
  cin: number,
  cout: number,
  stride: number,
  pad: number,
): { conv: Layer; bias: tf.Tensor } {
  const std = weightStd(init, cin * k * k, cout * k * k);
  const weight = normalParam(store, `${key}/kernel`, [k, k, cin, cout], std, init.nextSeed());
  const bias = zerosParam(store, `${key}/bias`, [cout]);
  // A number is symmetric zero padding, as PyTorch's `padding`.
  return { conv: (x) => tf.conv2d(x, weight as tf.Tensor4D, stride, pad === 0 ? 'valid' : pad), bias };
}

/**
 * conv2d followed by instanceNorm, as the reference builds it (Conv2d with use_bias=True, then
 * InstanceNorm2d without affine). The norm subtracts each channel's mean, which cancels a per-channel
 * bias exactly: norm(x + b) = norm(x), so the bias has no effect on the output and its gradient is 0.
 * The bias stays a parameter (same names, counts and checkpoints as the reference), but where the fused
 * norm runs, the BiasAdd and its gradient's reduction are skipped: the norm takes the bias as an input it
 * ignores and gives it an exact zero gradient (so Adam, starting from zero moments, leaves it as it is).
 */
export function conv2dInstanceNorm(
  store: ParamStore,
  key: string,
  init: InitOptions,
  k: number,
  cin: number,
  cout: number,
  stride: number,
  pad: number,
  activation: NormActivation = 'none',
): FeatureLayer {
  const { conv, bias } = convParams(store, key, init, k, cin, cout, stride, pad);
  store.cancelledByNorm.add(bias as tf.Variable);
  const layer: Layer = (x) => instanceNormCancellingBias(conv(x), bias, activation);
  // With the conv's output read as a feature the bias is no longer cancelled: it shifts that feature,
  // so here it is added (and gets its gradient), and the norm after it runs without it.
  const withFeature = (x: tf.Tensor4D) => {
    const feature = tf.add(conv(x), bias) as tf.Tensor4D;
    return { output: normAndActivation(feature, activation), feature };
  };
  return Object.assign(layer, { withFeature });
}

/** The activation after a norm; the fused norm applies it in the same kernel (kernels/instance_norm.ts). */
export type NormActivation = 'none' | 'relu' | 'leakyRelu';
const activationSlope: Record<NormActivation, number> = { none: 1, relu: 0, leakyRelu: 0.2 };

/**
 * PyTorch's ConvTranspose2d(k, stride 2, padding p, output_padding op): output side
 * (in − 1)·2 − 2p + k + op. TensorFlow.js expresses it as the gradient of the matching forward
 * conv (same k, stride, padding p) with the output shape given explicitly.
 */
export function convTranspose2d(
  store: ParamStore,
  key: string,
  init: InitOptions,
  k: number,
  cin: number,
  cout: number,
  pad: number,
  outputPad: number,
): Layer {
  const { conv, bias } = convTransposeParams(store, key, init, k, cin, cout, pad, outputPad);
  return (x) => tf.add(conv(x), bias);
}

function convTransposeParams(
  store: ParamStore,
  key: string,
  init: InitOptions,
  k: number,
  cin: number,
  cout: number,
  pad: number,
  outputPad: number,
): { conv: Layer; bias: tf.Tensor } {
  // TensorFlow's transposed-conv filter is [k, k, out, in].
  const weight = normalParam(
    store,
    `${key}/kernel`,
    [k, k, cout, cin],
    weightStd(init, cin * k * k, cout * k * k),
    init.nextSeed(),
  );
  const bias = zerosParam(store, `${key}/bias`, [cout]);
  const conv: Layer = (x) => {
    const [n, h, w] = x.shape;
    const side = (s: number) => (s - 1) * 2 - 2 * pad + k + outputPad;
    return tf.conv2dTranspose(x, weight as tf.Tensor4D, [n, side(h), side(w), cout], 2, pad);
  };
  return { conv, bias };
}

/** convTranspose2d followed by instanceNorm; the bias cancels as in conv2dInstanceNorm. */
export function convTranspose2dInstanceNorm(
  store: ParamStore,
  key: string,
  init: InitOptions,
  k: number,
  cin: number,
  cout: number,
  pad: number,
  outputPad: number,
  activation: NormActivation = 'none',
): Layer {
  const { conv, bias } = convTransposeParams(store, key, init, k, cin, cout, pad, outputPad);
  store.cancelledByNorm.add(bias as tf.Variable);
  return (x) => instanceNormCancellingBias(conv(x), bias, activation);
}

/**
 * Instance norm without affine parameters (the reference's InstanceNorm2d default), eps 1e-5. On wasm
 * and cpu it is one fused kernel each way (kernels/instance_norm.ts); elsewhere, and inside
 * withCompositeInstanceNorm (gradients of gradients), it is built from tfjs ops.
 */
export const instanceNorm: Layer = (x) =>
  normStatisticsHook
    ? hookedInstanceNorm(x, normStatisticsHook)
    : fusedInstanceNormApplies(x)
      ? fusedInstanceNorm(x, 1e-5)
      : compositeInstanceNorm(x);

/**
 * activation(instanceNorm(y + bias)). The fused kernel drops the add (the mean subtraction cancels it),
 * gives the bias a zero gradient and applies the activation itself; the hooked and composite forms add
 * the bias and run the activation as its own op, as the reference does (same output).
 */
export function instanceNormCancellingBias(
  y: tf.Tensor4D,
  bias: tf.Tensor,
  activation: NormActivation = 'none',
): tf.Tensor4D {
  if (!normStatisticsHook && fusedInstanceNormApplies(y))
    return fusedInstanceNorm(y, 1e-5, bias, activationSlope[activation]);
  const normed = instanceNorm(tf.add(y, bias));
  return activation === 'relu' ? relu(normed) : activation === 'leakyRelu' ? leakyRelu(normed) : normed;
}

/** activation(instanceNorm(y)), fused into one kernel where the fused norm runs. */
function normAndActivation(y: tf.Tensor4D, activation: NormActivation): tf.Tensor4D {
  if (!normStatisticsHook && fusedInstanceNormApplies(y))
    return fusedInstanceNorm(y, 1e-5, undefined, activationSlope[activation]);
  const normed = instanceNorm(y);
  return activation === 'relu' ? relu(normed) : activation === 'leakyRelu' ? leakyRelu(normed) : normed;
}

/**
 * A fully connected layer (PyTorch's nn.Linear) on [N, cin] rows: x·W + b, W [cin, cout] initialised as
 * the convs are (the reference's init_weights treats Linear and Conv alike), b zero.
 */
export function linear(
  store: ParamStore,
  key: string,
  init: InitOptions,
  cin: number,
  cout: number,
): (x: tf.Tensor2D) => tf.Tensor2D {
  const weight = normalParam(store, `${key}/kernel`, [cin, cout], weightStd(init, cin, cout), init.nextSeed());
  const bias = zerosParam(store, `${key}/bias`, [cout]);
  return (x) => tf.add(matMul2d(x, weight as tf.Tensor2D), bias) as tf.Tensor2D;
}

/** Sees (and may replace) each instance norm's per-channel mean and variance, in call order. */
export type NormStatisticsHook = (mean: tf.Tensor, variance: tf.Tensor) => { mean: tf.Tensor; variance: tf.Tensor };

let normStatisticsHook: NormStatisticsHook | null = null;

/**
 * Runs `run` (synchronous: a forward pass) with every instanceNorm's statistics passed through
 * `hook`. Tiled inference uses it to record the statistics of a whole image and normalise each
 * tile with them, so tiles agree with each other (src/training/inference/norm-statistics.ts).
 */
export function withNormStatisticsHook<T>(hook: NormStatisticsHook, run: () => T): T {
  const previous = normStatisticsHook;
  normStatisticsHook = hook;
  try {
    return run();
  } finally {
    normStatisticsHook = previous;
  }
}

function hookedInstanceNorm(x: tf.Tensor4D, hook: NormStatisticsHook): tf.Tensor4D {
  return tf.tidy(() => {
    const moments = tf.moments(x, [1, 2], true);
    const { mean, variance } = hook(moments.mean, moments.variance);
    return tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, 1e-5)));
  });
}

export const compositeInstanceNorm: Layer = (x) =>
  tf.tidy(() => {
    const { mean, variance } = tf.moments(x, [1, 2], true);
    return tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, 1e-5)));
  });

export function reflectPad(pad: number): Layer {
  return (x) =>
    tf.mirrorPad(
      x,
      [
        [0, 0],
        [pad, pad],
        [pad, pad],
        [0, 0],
      ],
      'reflect',
    );
}

export const relu: Layer = (x) => tf.relu(x);
export const leakyRelu: Layer = (x) => tf.leakyRelu(x, 0.2);
export const tanh: Layer = (x) => tf.tanh(x);

export function sequence(...layers: Layer[]): Layer {
  return (x) => layers.reduce((y, layer) => layer(y), x);
}
