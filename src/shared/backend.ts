// Which TensorFlow.js backend an engine runs on, as a run records it and the UI shows it: the
// backend's name, version and device, why each better one was not used, and the WebGPU adapter.
// isSoftwareAdapter is the one rule both sides apply to an adapter (the engine when it picks one,
// the host when it chooses where the engine runs). Browser-safe: no Node, no TensorFlow.js.
import { z } from 'zod';
import { BackendName } from './basics.ts';

/** The WebGPU adapter a webgpu engine runs on, as the run records it. */
export const GpuAdapter = z.object({
  vendor: z.string(),
  architecture: z.string(),
  device: z.string(),
  description: z.string(),
  /** SwiftShader, lavapipe and the like: a GPU emulated on the CPU (only used when asked for). */
  software: z.boolean(),
  limits: z.record(z.string(), z.number()),
});
export type GpuAdapter = z.infer<typeof GpuAdapter>;

export const BackendInfo = z.object({
  name: BackendName,
  /** Version of the TensorFlow.js package that provides the backend. */
  version: z.string(),
  /** GPU name, or CPU model with threads and SIMD. */
  device: z.string(),
  /** Why each better backend was not used, in ladder order. */
  fallbacks: z.array(z.object({ name: BackendName, reason: z.string() })),
  /** The GPU adapter, for the webgpu backend. */
  adapter: GpuAdapter.optional(),
});
export type BackendInfo = z.infer<typeof BackendInfo>;

// Names under which software rasterisers present themselves (Vulkan, D3D12, Metal never has one).
const SOFTWARE_NAMES = /swiftshader|lavapipe|llvmpipe|softpipe|software|microsoft basic render/i;

/** What an adapter says of itself (GPUAdapterInfo, and a probe's copy of it). */
export interface AdapterInfoLike {
  vendor?: string;
  architecture?: string;
  device?: string;
  description?: string;
  isFallbackAdapter?: boolean;
}

/** A software adapter emulates a GPU on the CPU: correct, and far slower than the wasm engine. */
export function isSoftwareAdapter(info: AdapterInfoLike, adapterIsFallback = false): boolean {
  if (adapterIsFallback || info.isFallbackAdapter) return true;
  return SOFTWARE_NAMES.test([info.vendor, info.architecture, info.device, info.description].join(' '));
}
