// Diptych's kernel pack for tfjs-backend-webgpu: WGSL programs for the kernels CycleGAN/CoGAN training
// runs on WebGPU that tfjs-backend-webgpu 4.22 lacks (the pack's own fused kernels, which the models and
// the optimiser use wherever a kernel is registered for the active backend) or runs slowly
// (Conv2DBackpropFilter). Each kernel lives in its own file with its math; program.ts has the plumbing.
// tools/profile-webgpu-kernels.ts times each against tfjs's stock path.

import type { KernelConfig } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { registerFusedAdam } from '../fused_adam.ts';
import { registerInstanceNorm } from '../instance_norm.ts';
import { mirrorPadGradConfig, mirrorPadGradGradConfig } from '../mirror_pad_grad.ts';
import {
  conv2DBackpropFilterWebGpuConfig,
  setStockConv2DBackpropFilter,
  stockConv2DBackpropFilter,
} from './conv2d_backprop_filter.ts';
import { fusedAdamWebGpuConfig } from './fused_adam.ts';
import { instanceNormGradWebGpuConfig, instanceNormWebGpuConfig } from './instance_norm.ts';
import { mirrorPadGradWebGpuConfig } from './mirror_pad_grad.ts';

/** The pack's kernels, in registration order. */
export const webGpuKernelPack: readonly KernelConfig[] = [
  instanceNormWebGpuConfig,
  instanceNormGradWebGpuConfig,
  fusedAdamWebGpuConfig,
  conv2DBackpropFilterWebGpuConfig,
  mirrorPadGradWebGpuConfig,
];

function register(config: KernelConfig): void {
  const current = tf.getKernel(config.kernelName, config.backendName);
  if (current?.kernelFunc === config.kernelFunc) return;
  // The stock Conv2DBackpropFilter stays the fallback for what the GEMM does not cover (NCHW).
  if (config === conv2DBackpropFilterWebGpuConfig && current != null) setStockConv2DBackpropFilter(current);
  // tf.registerKernel warns when replacing; unregister first.
  if (current != null) tf.unregisterKernel(config.kernelName, config.backendName);
  tf.registerKernel(config);
}

/**
 * Registers the pack's kernels for backend 'webgpu' (replacing tfjs-backend-webgpu's Conv2DBackpropFilter)
 * and returns their names. Also registers what makes the models and the optimiser use them: the fused
 * instance norm's and Adam's cpu/wasm kernels and gradients (registerInstanceNorm, registerFusedAdam) and
 * the MirrorPad gradient fix (../mirror_pad_grad.ts, global). Idempotent.
 *
 * Call it once tfjs-backend-webgpu has been imported (activateWebGpu imports it): importing that package
 * registers its own kernels, which would replace a Conv2DBackpropFilter registered before.
 */
export function registerWebGpuKernelPack(): string[] {
  registerInstanceNorm();
  registerFusedAdam();
  tf.registerGradient(mirrorPadGradGradConfig);
  tf.registerGradient(mirrorPadGradConfig);
  for (const k of webGpuKernelPack) register(k);
  return webGpuKernelPack.map((k) => k.kernelName);
}

/** Registers only the named kernels (profiling: what each one buys). */
export function registerWebGpuKernelSubset(names: readonly string[]): string[] {
  const chosen = webGpuKernelPack.filter((k) => names.includes(k.kernelName));
  for (const k of chosen) register(k);
  return chosen.map((k) => k.kernelName);
}

/** Restores tfjs-backend-webgpu's stock path for the named kernels (profiling, tests). */
export function unregisterWebGpuKernels(names: readonly string[]): void {
  for (const k of webGpuKernelPack) {
    if (!names.includes(k.kernelName)) continue;
    if (tf.getKernel(k.kernelName, 'webgpu')?.kernelFunc !== k.kernelFunc) continue;
    tf.unregisterKernel(k.kernelName, 'webgpu');
    if (k === conv2DBackpropFilterWebGpuConfig) {
      const stock = stockConv2DBackpropFilter();
      if (stock) tf.registerKernel(stock);
    }
  }
}
