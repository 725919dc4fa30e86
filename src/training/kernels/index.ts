// Diptych's kernel pack for tfjs-backend-wasm: the kernels CycleGAN/CoGAN training needs on wasm that
// tfjs-backend-wasm 4.22 lacks or runs slowly. Each kernel lives in its own file with its math.
// tools/profile-kernels.ts measures what each one buys on a full training iteration.

import type { KernelConfig } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { conv2DConfig, setStockConv2D } from './conv2d.ts';
import { conv2DBackpropFilterConfig } from './conv2d_backprop_filter.ts';
import { conv2DBackpropInputConfig } from './conv2d_backprop_input.ts';
import { castConfig, identityConfig, setStockCast } from './identity.ts';
import { mirrorPadGradConfig, mirrorPadGradGradConfig, mirrorPadGradKernels } from './mirror_pad_grad.ts';
import { installAliasingSaves } from './saved-tensors.ts';

export { FusedAdamOptimizer, fusedAdam, registerFusedAdam } from './fused_adam.ts';
export { installAliasingSaves } from './saved-tensors.ts';

/** The pack's kernels, in registration order. */
export const wasmKernelPack: readonly KernelConfig[] = [
  conv2DBackpropFilterConfig,
  conv2DBackpropInputConfig,
  conv2DConfig,
  identityConfig,
  castConfig,
];

/** The pack's Conv2D and Cast hand most cases to wasm's own; keep those before replacing them. */
function captureStock(config: KernelConfig): void {
  const keep = config === conv2DConfig ? setStockConv2D : config === castConfig ? setStockCast : null;
  if (keep == null) return;
  const current = tf.getKernel(config.kernelName, config.backendName);
  if (current != null && current.kernelFunc !== config.kernelFunc) keep(current);
}

function register(config: KernelConfig): void {
  captureStock(config);
  // tf.registerKernel refuses to replace an existing registration (it warns and keeps the old one),
  // so wasm's own kernel, or the pack's from an earlier call, is unregistered first.
  if (tf.getKernel(config.kernelName, config.backendName) != null) {
    tf.unregisterKernel(config.kernelName, config.backendName);
  }
  tf.registerKernel(config);
}

/**
 * Replaces tfjs-core's wrong MirrorPad gradient (see mirror_pad_grad.ts). Gradients are global in tfjs,
 * so this fixes every backend. Returns the names of the kernels whose gradients were replaced.
 * Must run after anything that registers all of tfjs's gradients (importing @tensorflow/tfjs-layers).
 */
export function registerGradientFixes(): string[] {
  for (const k of mirrorPadGradKernels) if (tf.getKernel(k.kernelName, k.backendName) == null) tf.registerKernel(k);
  tf.registerGradient(mirrorPadGradGradConfig);
  tf.registerGradient(mirrorPadGradConfig);
  return [mirrorPadGradConfig.kernelName];
}

/**
 * Registers the pack's kernels for backend 'wasm' (replacing wasm's own where the pack has a faster one)
 * and returns their names. Also applies registerGradientFixes() (the MirrorPad gradient) and
 * installAliasingSaves() (on wasm and cpu). Idempotent. Safe to call before or after the wasm backend is initialised.
 */
export function registerWasmKernelPack(): string[] {
  for (const k of wasmKernelPack) register(k);
  registerGradientFixes();
  // The engine's saves for backprop alias their tensors without an Identity kernel call (saved-tensors.ts).
  installAliasingSaves();
  return wasmKernelPack.map((k) => k.kernelName);
}

/** Registers only the named kernels of the pack (for profiling what each one buys). */
export function registerKernelSubset(names: readonly string[]): string[] {
  const chosen = wasmKernelPack.filter((k) => names.includes(k.kernelName));
  for (const k of chosen) register(k);
  return chosen.map((k) => k.kernelName);
}
