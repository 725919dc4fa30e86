// The WebGPU rung of the backend ladder: picks an adapter, refuses a software one unless asked for, and
// starts tfjs-backend-webgpu on a device of that adapter.
//
// Browser-safe on purpose (no Node import): the same file activates WebGPU in the engine process under
// Node (with the `webgpu` package's GPU, backend/node-webgpu.ts) and in a Chromium page (navigator.gpu:
// the Electron engine window, and its test in Debian's Chromium).
//
// Why Diptych registers the backend itself instead of letting tfjs-backend-webgpu's own factory run:
// that factory takes whatever adapter `requestAdapter` gives and never says what it is, so a machine
// without a GPU would "train on WebGPU" on SwiftShader at a hundredth of the CPU's speed. Here the
// adapter is inspected first and described in the run's record.
import * as tf from '@tensorflow/tfjs-core';
import { type AdapterInfoLike, type GpuAdapter, isSoftwareAdapter } from '../../shared/backend.ts';

/** The limits worth recording: they bound the largest tensor and image a device can hold. */
const RECORDED_LIMITS = [
  'maxBufferSize',
  'maxStorageBufferBindingSize',
  'maxComputeWorkgroupStorageSize',
  'maxComputeInvocationsPerWorkgroup',
  'maxComputeWorkgroupSizeX',
  'maxComputeWorkgroupsPerDimension',
] as const;

export function describeAdapter(adapter: GPUAdapter): GpuAdapter {
  const info = (adapter.info ?? {}) as AdapterInfoLike;
  const limits: Record<string, number> = {};
  for (const name of RECORDED_LIMITS) limits[name] = Number(adapter.limits[name]);
  return {
    vendor: info.vendor ?? '',
    architecture: info.architecture ?? '',
    device: info.device ?? '',
    description: info.description ?? '',
    software: isSoftwareAdapter(info, (adapter as { isFallbackAdapter?: boolean }).isFallbackAdapter === true),
    limits,
  };
}

/** One line for the backend badge and `diptych train`: which GPU trains. */
export function adapterLabel(a: GpuAdapter): string {
  const name = a.description || [a.vendor, a.architecture, a.device].filter(Boolean).join(' ') || 'unknown adapter';
  const memory = a.limits.maxBufferSize ? `, buffers up to ${Math.round(a.limits.maxBufferSize / 2 ** 20)} MiB` : '';
  return a.software ? `${name} (software adapter, not a GPU)` : `${name}${memory}`;
}

export class SoftwareAdapterRefused extends Error {}

/**
 * Requests an adapter from `gpu`, refuses a software one unless `allowSoftware`, and makes 'webgpu' the
 * active TensorFlow.js backend on a device of it. Resolves with the adapter's description.
 */
export async function activateWebGpu(gpu: GPU | undefined, allowSoftware: boolean): Promise<GpuAdapter> {
  if (!gpu) throw new Error('this runtime has no WebGPU (navigator.gpu is missing)');
  const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  if (!adapter)
    throw new Error(
      'no WebGPU adapter: no GPU driver answered (on Linux: a Vulkan driver and libvulkan.so.1 are needed)',
    );
  const described = describeAdapter(adapter);
  if (described.software && !allowSoftware)
    throw new SoftwareAdapterRefused(
      `only a software adapter is present (${adapterLabel(described)}); it is used only when asked for with --backend webgpu`,
    );
  const device = await requestDevice(adapter);
  device.lost.then((lost) => {
    // A lost device (driver reset, GPU removed) fails the next kernel; say why in the engine's log.
    if (lost.reason !== 'destroyed') console.error(`WebGPU device lost: ${lost.message}`);
  });
  const { WebGPUBackend } = await import('@tensorflow/tfjs-backend-webgpu');
  // Importing the package may have registered its own factory (where navigator.gpu exists): replace it.
  if (tf.findBackendFactory('webgpu') != null) tf.removeBackend('webgpu');
  tf.registerBackend('webgpu', () => new WebGPUBackend(device, adapter.info), 0);
  if (!(await tf.setBackend('webgpu'))) throw new Error('TensorFlow.js could not start its webgpu backend');
  await tf.ready();
  return described;
}

/** The same device request as tfjs-backend-webgpu's own factory: the adapter's full limits, timestamps. */
function requestDevice(adapter: GPUAdapter): Promise<GPUDevice> {
  const requiredFeatures: GPUFeatureName[] = [];
  if (adapter.features.has('timestamp-query')) requiredFeatures.push('timestamp-query');
  const l = adapter.limits;
  return adapter.requestDevice({
    requiredFeatures,
    requiredLimits: {
      maxComputeWorkgroupStorageSize: l.maxComputeWorkgroupStorageSize,
      maxComputeWorkgroupsPerDimension: l.maxComputeWorkgroupsPerDimension,
      maxStorageBufferBindingSize: l.maxStorageBufferBindingSize,
      maxBufferSize: l.maxBufferSize,
      maxComputeWorkgroupSizeX: l.maxComputeWorkgroupSizeX,
      maxComputeInvocationsPerWorkgroup: l.maxComputeInvocationsPerWorkgroup,
    },
  });
}
