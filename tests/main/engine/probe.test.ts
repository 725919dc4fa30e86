import { afterEach, describe, expect, it, vi } from 'vitest';
import { type EngineLauncher, forkEngine } from '../../../src/main/engine/launcher.ts';
import { probeBackend } from '../../../src/main/engine/probe.ts';
import { BackendInfo } from '../../../src/shared/backend.ts';
import { fakeLauncher } from './fake-engine.ts';

const wasmInfo: BackendInfo = { name: 'wasm', version: '4.22.0', device: 'test CPU', fallbacks: [] };

afterEach(() => {
  vi.useRealTimers();
});

describe('probeBackend with a fake engine', () => {
  it('asks for a probe once the engine is ready, resolves with its answer, then tells it to exit and kills it later', async () => {
    vi.useFakeTimers();
    const { engine, launch } = fakeLauncher();
    const probing = probeBackend(launch, 'cpu');
    expect(engine.sent).toEqual([]);
    engine.say({ type: 'ready', pid: engine.pid });
    expect(engine.sent).toEqual([{ type: 'probe', backend: 'cpu' }]);
    engine.say({ type: 'log', level: 'info', message: 'loading' });
    engine.say({ type: 'backend', info: wasmInfo });
    await expect(probing).resolves.toEqual(wasmInfo);
    expect(engine.sent.at(-1)).toEqual({ type: 'exit' });
    expect(engine.killed).toBe(0);
    vi.advanceTimersByTime(2_000);
    expect(engine.killed).toBe(1);
  });

  it('reports an engine that dies before answering, with its exit code', async () => {
    const { engine, launch } = fakeLauncher();
    const probing = probeBackend(launch);
    engine.say({ type: 'ready', pid: engine.pid });
    engine.die(134);
    await expect(probing).rejects.toThrow('The engine process exited (code 134) before reporting a backend.');
  });

  it('reports an engine that dies before it is even ready', async () => {
    const { engine, launch } = fakeLauncher();
    const probing = probeBackend(launch);
    engine.die(null);
    await expect(probing).rejects.toThrow(/exited \(code null\) before reporting a backend/);
    expect(engine.sent).not.toContainEqual({ type: 'probe', backend: undefined });
  });

  it("passes on the engine's fatal message", async () => {
    const { engine, launch } = fakeLauncher();
    const probing = probeBackend(launch, 'tensorflow');
    engine.say({ type: 'ready', pid: engine.pid });
    engine.say({ type: 'fatal', message: 'The tensorflow backend was asked for but did not load: gone' });
    // An exit after the fatal message must not replace the first answer.
    engine.die(1);
    await expect(probing).rejects.toThrow('The tensorflow backend was asked for but did not load: gone');
  });

  it('gives up on a silent engine after the timeout', async () => {
    vi.useFakeTimers();
    const { engine, launch } = fakeLauncher();
    const probing = probeBackend(launch, undefined, 5_000);
    const outcome = expect(probing).rejects.toThrow('The engine did not report a backend within 5 s.');
    vi.advanceTimersByTime(5_000);
    await outcome;
    expect(engine.sent).toEqual([{ type: 'exit' }]);
  });

  it('rejects, not throws, when the launcher itself fails', async () => {
    const launch: EngineLauncher = () => {
      throw new Error('spawn ENOENT');
    };
    await expect(probeBackend(launch)).rejects.toThrow('spawn ENOENT');
  });
});

describe('probeBackend through a forked engine', () => {
  it('reports the best backend this machine loads, with the reasons for the ones above it', async () => {
    const info = BackendInfo.parse(await probeBackend(forkEngine));
    // On these build machines libtensorflow is never downloaded: the ladder lands on wasm.
    expect(info.name).toBe('wasm');
    expect(info.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(info.device).toMatch(/wasm (SIMD|no SIMD)/);
    expect(info.fallbacks.map((fallback) => fallback.name)).toEqual(['tensorflow-gpu', 'webgpu', 'tensorflow']);
    for (const fallback of info.fallbacks)
      expect(fallback.reason).toMatch(
        fallback.name === 'webgpu' ? /software adapter|no WebGPU adapter/ : /not installed/,
      );
  });

  it('uses a forced cpu backend, with no fallbacks', async () => {
    const info = await probeBackend(forkEngine, 'cpu');
    expect(info.name).toBe('cpu');
    expect(info.device).toMatch(/plain JavaScript/);
    expect(info.fallbacks).toEqual([]);
  });

  it('fails, rather than falls back, when a forced backend cannot load', async () => {
    await expect(probeBackend(forkEngine, 'tensorflow-gpu')).rejects.toThrow(
      /^The tensorflow-gpu backend was asked for but did not load: not installed/,
    );
  });
});
