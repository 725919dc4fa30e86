// The WebGPU rung's adapter policy: a software adapter (SwiftShader, lavapipe, llvmpipe, WARP) is
// recognised however it presents itself and never taken unless asked for; the run records what the
// adapter is. Fake adapters stand in for the GPUs this machine does not have.
import { describe, expect, test } from 'vitest';
import { isSoftwareAdapter } from '../../../src/shared/backend.ts';
import {
  activateWebGpu,
  adapterLabel,
  describeAdapter,
  SoftwareAdapterRefused,
} from '../../../src/training/backend/webgpu.ts';

const limits = {
  maxBufferSize: 4 * 2 ** 30,
  maxStorageBufferBindingSize: 2 ** 31,
  maxComputeWorkgroupStorageSize: 32768,
  maxComputeInvocationsPerWorkgroup: 1024,
  maxComputeWorkgroupSizeX: 1024,
  maxComputeWorkgroupsPerDimension: 65535,
};

function fakeAdapter(info: Record<string, unknown>, isFallbackAdapter = false): GPUAdapter {
  return {
    info,
    isFallbackAdapter,
    limits,
    features: new Set<string>(),
    requestDevice: () => Promise.reject(new Error('a fake adapter makes no device')),
  } as unknown as GPUAdapter;
}

const gpuWith = (adapter: GPUAdapter | null) => ({ requestAdapter: async () => adapter }) as unknown as GPU;

describe('isSoftwareAdapter', () => {
  test.each([
    [{ vendor: 'google', architecture: 'swiftshader', description: 'SwiftShader driver 5.0.0' }],
    [{ vendor: 'mesa', device: 'llvmpipe (LLVM 15.0.6, 256 bits)' }],
    [{ vendor: 'mesa', description: 'lavapipe' }],
    [{ vendor: 'microsoft', description: 'Microsoft Basic Render Driver' }],
    [{ vendor: 'unknown', isFallbackAdapter: true }],
  ])('%o is software', (info) => {
    expect(isSoftwareAdapter(info)).toBe(true);
  });

  test.each([
    [{ vendor: 'nvidia', architecture: 'ada', description: 'NVIDIA GeForce RTX 4090' }],
    [{ vendor: 'apple', architecture: 'metal-3', description: 'Apple M2 Pro' }],
    [{ vendor: 'amd', architecture: 'rdna-3', description: 'AMD Radeon RX 7900 XT' }],
    [{ vendor: 'intel', architecture: 'gen-12lp', description: 'Intel(R) UHD Graphics 770' }],
  ])('%o is a GPU', (info) => {
    expect(isSoftwareAdapter(info)).toBe(false);
  });

  test('an adapter that says it is the fallback adapter is software whatever its name', () => {
    expect(describeAdapter(fakeAdapter({ vendor: 'nvidia', description: 'RTX' }, true)).software).toBe(true);
  });
});

describe('describeAdapter / adapterLabel', () => {
  test('records vendor, architecture, description and the limits that bound tensor sizes', () => {
    const described = describeAdapter(
      fakeAdapter({ vendor: 'nvidia', architecture: 'ada', device: '', description: 'NVIDIA GeForce RTX 4090' }),
    );
    expect(described).toEqual({
      vendor: 'nvidia',
      architecture: 'ada',
      device: '',
      description: 'NVIDIA GeForce RTX 4090',
      software: false,
      limits,
    });
    expect(adapterLabel(described)).toBe('NVIDIA GeForce RTX 4090, buffers up to 4096 MiB');
  });

  test('labels a software adapter as not a GPU', () => {
    const described = describeAdapter(fakeAdapter({ vendor: 'google', description: 'SwiftShader driver 5.0.0' }));
    expect(adapterLabel(described)).toBe('SwiftShader driver 5.0.0 (software adapter, not a GPU)');
  });
});

describe('activateWebGpu', () => {
  test('without navigator.gpu says so', async () => {
    await expect(activateWebGpu(undefined, false)).rejects.toThrow('navigator.gpu is missing');
  });

  test('with no adapter names what is missing', async () => {
    await expect(activateWebGpu(gpuWith(null), false)).rejects.toThrow(/no WebGPU adapter.*libvulkan/);
  });

  test('refuses a software adapter unless asked for, before it makes any device', async () => {
    const swiftshader = fakeAdapter({ vendor: 'google', architecture: 'swiftshader', description: 'SwiftShader' });
    const refused = activateWebGpu(gpuWith(swiftshader), false);
    await expect(refused).rejects.toBeInstanceOf(SoftwareAdapterRefused);
    await expect(activateWebGpu(gpuWith(swiftshader), false)).rejects.toThrow(/--backend webgpu/);
    // Asked for: it goes on to request a device (which this fake refuses).
    await expect(activateWebGpu(gpuWith(swiftshader), true)).rejects.toThrow('a fake adapter makes no device');
  });

  test('takes a hardware adapter without being asked', async () => {
    const gpu = gpuWith(fakeAdapter({ vendor: 'nvidia', description: 'NVIDIA GeForce RTX 4090' }));
    await expect(activateWebGpu(gpu, false)).rejects.toThrow('a fake adapter makes no device');
  });
});
