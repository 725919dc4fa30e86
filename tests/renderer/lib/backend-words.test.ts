// What the New run screen says trains a run: the GPU only where a GPU really does (a software WebGPU
// adapter is the CPU emulating one, and is called so).
import { describe, expect, test } from 'vitest';
import { backendLabel, backendWithAdapter, engineWords, trainsOn } from '../../../src/renderer/lib/format.ts';

describe('trainsOn / engineWords / backendLabel', () => {
  test('a hardware WebGPU adapter trains on the GPU, a software one says what it is', () => {
    expect(trainsOn({ name: 'webgpu', adapter: { software: false } })).toBe('the GPU');
    expect(trainsOn({ name: 'webgpu', adapter: { software: true } })).toBe('a software GPU (the CPU, slowly)');
    expect(trainsOn({ name: 'tensorflow-gpu' })).toBe('the GPU');
    expect(trainsOn({ name: 'wasm' })).toBe('the CPU');
  });

  test('names each engine', () => {
    expect(engineWords('webgpu')).toBe('WebGPU');
    expect(engineWords('wasm')).toBe('WebAssembly');
    expect(engineWords('cpu')).toBe('plain JavaScript');
    expect(engineWords('tensorflow-gpu')).toBe('TensorFlow');
    expect(backendLabel('webgpu')).toBe('WebGPU');
  });

  test('names the GPU that trains a webgpu run', () => {
    const gpu = { vendor: 'nvidia', architecture: 'ada', description: 'NVIDIA GeForce RTX 4090', software: false };
    expect(backendWithAdapter('webgpu', gpu)).toBe('WebGPU · NVIDIA GeForce RTX 4090');
    expect(backendWithAdapter('webgpu', { ...gpu, description: '', software: true })).toBe(
      'WebGPU · nvidia ada (software, not a GPU)',
    );
    expect(backendWithAdapter('wasm', null)).toBe('WebAssembly');
  });
});
