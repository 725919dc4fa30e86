// The gradients that a gradient of a gradient needs and TensorFlow.js 4.22 does not register.
// WGAN-GP's penalty differentiates ‖∇ₓD(x)‖ with respect to D's weights, so the ops of D's first
// backward pass must themselves be differentiable:
// - LeakyReLU's gradient is where(x > 0, dy, 0.2·dy): Greater and, inside Select's own gradient,
//   LogicalNot lie on the path from the weights. Both are piecewise constant (gradient zero, as
//   tfjs already says for GreaterEqual), but tfjs has no gradient for them and throws.
// - Conv2DBackpropFilter (the filter gradient of a conv, and the transposed conv's filter gradient)
//   has none either. It is bilinear in (x, dy): ⟨ddW, BPF(x, dy)⟩ = ⟨dy, conv2d(x, ddW)⟩
//   = ⟨x, BPI(dy, ddW)⟩, so its gradients are a forward conv (for dy) and a backprop-input (for x)
//   with the incoming ddW as the filter. Conv2DBackpropInput's gradient is tfjs's own (correct).
// - Tanh, Sigmoid and Exp have gradients, but they are wrong one order up: they are written in terms
//   of the op's saved *output* y (dy·(1 − y²), …), and tfjs saves that output by a copy recorded on
//   the tape *before* the op that produced it, so a later gradient sees the copy as a constant and
//   drops the y-dependence (measured: d/dw of d tanh(wx)/dx came out 0.689 instead of 0.204).
//   They are replaced by the same formulas on the saved *input* (y recomputed): equal first-order
//   values, correct second-order ones. tfjs's Softmax, LogSoftmax, Elu, Pow, Max/Min, MaxPool and
//   LRN gradients have the same flaw; no model here differentiates through them twice.
// Gradients are global in tfjs, so this covers every backend. Import this module before taking a
// gradient of a gradient.
import type { Conv2DBackpropFilterAttrs, GradConfig, NamedAttrMap, Tensor, Tensor4D } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import '../gradients.ts';

/** Comparisons and logical ops: their outputs do not vary smoothly with their inputs. */
const PIECEWISE_CONSTANT: Record<string, readonly string[]> = {
  Greater: ['a', 'b'],
  Less: ['a', 'b'],
  LessEqual: ['a', 'b'],
  Equal: ['a', 'b'],
  NotEqual: ['a', 'b'],
  LogicalAnd: ['a', 'b'],
  LogicalOr: ['a', 'b'],
  LogicalNot: ['x'],
};

function zeroGradient(kernelName: string, inputs: readonly string[]): GradConfig {
  return {
    kernelName,
    inputsToSave: [...inputs],
    gradFunc: (_dy: Tensor | Tensor[], saved: Tensor[]) =>
      Object.fromEntries(inputs.map((name, i) => [name, () => tf.zeros((saved[i] as Tensor).shape, 'float32')])),
  };
}

export const conv2DBackpropFilterGradConfig: GradConfig = {
  kernelName: tf.Conv2DBackpropFilter,
  inputsToSave: ['x', 'dy'],
  gradFunc: (ddw: Tensor | Tensor[], saved: Tensor[], attrs: NamedAttrMap) => {
    const [x, dy] = saved as [Tensor4D, Tensor4D];
    const { strides, pad, dataFormat, dimRoundingMode } = attrs as unknown as Conv2DBackpropFilterAttrs;
    const filter = ddw as Tensor4D;
    return {
      x: () => tf.conv2dTranspose(dy, filter, x.shape, strides, pad as 'valid' | 'same' | number, dimRoundingMode),
      dy: () => tf.conv2d(x, filter, strides, pad, dataFormat, 1, dimRoundingMode),
    };
  },
};

function fromInput(kernelName: string, derivative: (x: Tensor) => Tensor): GradConfig {
  return {
    kernelName,
    inputsToSave: ['x'],
    gradFunc: (dy: Tensor | Tensor[], saved: Tensor[]) => ({
      x: () => tf.mul(dy as Tensor, derivative(saved[0] as Tensor)),
    }),
  };
}

/** Replacements for tfjs's output-based gradients (see the top of this file). */
export const inputBasedGradConfigs: readonly GradConfig[] = [
  fromInput(tf.Tanh, (x) => tf.sub(1, tf.square(tf.tanh(x)))),
  fromInput(tf.Sigmoid, (x) => {
    const y = tf.sigmoid(x);
    return tf.mul(y, tf.sub(1, y));
  }),
  fromInput(tf.Exp, (x) => tf.exp(x)),
];

const holeFillers: readonly GradConfig[] = [
  ...Object.entries(PIECEWISE_CONSTANT).map(([name, inputs]) => zeroGradient(name, inputs)),
  conv2DBackpropFilterGradConfig,
];

/**
 * Registers the missing gradients (where a kernel has none) and the input-based replacements (over
 * tfjs's). Returns the kernel names it registered: none on a second call.
 */
export function registerSecondOrderGradients(): string[] {
  const registered: string[] = [];
  for (const config of holeFillers) {
    if (tf.getGradient(config.kernelName) != null) continue;
    tf.registerGradient(config);
    registered.push(config.kernelName);
  }
  for (const config of inputBasedGradConfigs) {
    if (tf.getGradient(config.kernelName) === config) continue;
    tf.registerGradient(config);
    registered.push(config.kernelName);
  }
  return registered;
}

registerSecondOrderGradients();
