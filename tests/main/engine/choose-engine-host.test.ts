import { describe, expect, it } from 'vitest';
import { chooseEngineHost, type WebGpuProbe } from '../../../src/main/engine/choose-engine-host.ts';

const nvidia: WebGpuProbe = { adapter: { vendor: 'nvidia', architecture: 'ada', description: 'NVIDIA RTX 4070' } };
// What Debian's Chromium reports here without a GPU (tests/e2e/engine-window.spec.ts).
const swiftshader: WebGpuProbe = {
  adapter: { vendor: 'google', architecture: 'swiftshader', isFallbackAdapter: true },
};
const lavapipe: WebGpuProbe = { adapter: { vendor: 'mesa', description: 'llvmpipe (LLVM 15.0.6, 256 bits)' } };
const none: WebGpuProbe = { adapter: null, reason: 'requestAdapter gave null' };

describe('chooseEngineHost', () => {
  it('runs engines in engine windows on a hardware adapter, unless another backend is forced', () => {
    expect(chooseEngineHost(nvidia, undefined)).toEqual({
      host: 'engine-window',
      reason: "Chromium's WebGPU adapter NVIDIA RTX 4070: engines run in engine windows",
    });
    expect(chooseEngineHost(nvidia, 'webgpu').host).toBe('engine-window');
    for (const forced of ['wasm', 'cpu', 'tensorflow', 'tensorflow-gpu'] as const)
      expect(chooseEngineHost(nvidia, forced)).toEqual({
        host: 'utility-process',
        reason: `DIPTYCH_BACKEND=${forced}: engines run in utility processes`,
      });
  });

  it('keeps utility processes where Chromium has only a software adapter or none', () => {
    expect(chooseEngineHost(swiftshader, undefined)).toEqual({
      host: 'utility-process',
      reason: "Chromium's only WebGPU adapter is software (google swiftshader): utility processes",
    });
    expect(chooseEngineHost(lavapipe, undefined).host).toBe('utility-process');
    expect(chooseEngineHost(none, undefined)).toEqual({
      host: 'utility-process',
      reason: "Chromium's WebGPU has no adapter (requestAdapter gave null): engines run in utility processes",
    });
  });

  it('uses engine windows for DIPTYCH_BACKEND=webgpu even without a hardware adapter (WebGPU loads nowhere else)', () => {
    expect(chooseEngineHost(swiftshader, 'webgpu').host).toBe('engine-window');
    expect(chooseEngineHost(none, 'webgpu').host).toBe('engine-window');
  });
});
