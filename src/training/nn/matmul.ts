// A 2-D matrix product that is fast on tfjs-backend-wasm. Its BatchMatMul hands only the plain
// product (no transposed operand) to XNNPACK and runs every other form in a simple blocked loop, so
// the backward pass of x·W (dy·Wᵀ and xᵀ·dy) and PatchNCE's q·kᵀ crawl: 13 ms for one 256×256×256
// product on one core, where CUT's patch heads and PatchNCE make about 24 of them a step (70% of a
// CUT step on the demo preset, measured with tf.profile). A·B is also a 1×1 convolution of A, read
// as one row of M pixels with K channels, by B as a K → N filter; wasm's Conv2D and Diptych's conv
// gradients (src/training/kernels) run on XNNPACK's GEMM in every direction: 256×256×256 forward and
// backward 67 ms → 9 ms, with equal results. Other backends keep tf.matMul.
import * as tf from '@tensorflow/tfjs-core';

/** a·b (each optionally transposed first) for 2-D a and b, differentiable in both. */
export function matMul2d(a: tf.Tensor2D, b: tf.Tensor2D, transposeA = false, transposeB = false): tf.Tensor2D {
  if (tf.getBackend() !== 'wasm') return tf.matMul(a, b, transposeA, transposeB);
  return tf.tidy(() => {
    const left = transposeA ? tf.transpose(a) : a;
    const right = transposeB ? tf.transpose(b) : b;
    const [m, k] = left.shape;
    const [k2, n] = right.shape;
    if (k !== k2) throw new Error(`matMul2d: inner sizes ${k} and ${k2} differ`);
    const rows = tf.reshape(left, [1, 1, m, k]) as tf.Tensor4D;
    const filter = tf.reshape(right, [1, 1, k, n]) as tf.Tensor4D;
    return tf.reshape(tf.conv2d(rows, filter, 1, 'valid'), [m, n]) as tf.Tensor2D;
  });
}
