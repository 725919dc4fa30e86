// A checkpoint is a plain record of float32 arrays, whatever backend wrote it: a run trained on webgpu
// resumes on wasm, and one trained on wasm resumes on webgpu (a user moves a run to the machine with
// the GPU, or back). The resumed steps' losses equal those of the run that never stopped, up to the
// two backends' rounding, and the resumed run starts at the checkpoint's step.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import type { BackendName } from '../../../src/shared/basics.ts';
import type { EngineToHost } from '../../../src/shared/engine-protocol.ts';
import { runTrainer, sampleDomains, tempDir, tinyConfig } from '../cyclegan/helpers.ts';
import { startWebGpuForTests } from './webgpu-available.ts';

const webgpu = await startWebGpuForTests();
const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

const losses = (events: EngineToHost[]) =>
  events.flatMap((e) => (e.type === 'metrics' && !e.replayed ? [{ step: e.step, ...e.losses }] : []));
const lastCheckpoint = (events: EngineToHost[]) => {
  const event = events.filter((e) => e.type === 'checkpoint').at(-1);
  if (event?.type !== 'checkpoint') throw new Error('no checkpoint');
  return event.path;
};

describe.skipIf(webgpu.reason !== null)('a checkpoint moves between webgpu and wasm', () => {
  test.each([
    ['webgpu', 'wasm'],
    ['wasm', 'webgpu'],
  ] as [BackendName, BackendName][])(
    'trained on %s, resumed on %s: the next steps are the uninterrupted run’s',
    { timeout: 300_000 },
    async (first, second) => {
      const samples = await sampleDomains('palette', 4, 16);
      dirs.push(path.dirname(samples.a));
      const base = { cropSize: 16, loadSize: 16, poolSize: 2, previewEvery: 1000, flip: false };
      const straightDir = tempDir('diptych-straight-');
      const resumedDir = tempDir('diptych-moved-');
      dirs.push(straightDir, resumedDir);
      const config = tinyConfig(samples.a, samples.b, { ...base, maxSteps: 4 });

      const straight = await runTrainer(config, straightDir, undefined, first);
      const firstHalf = await runTrainer(
        tinyConfig(samples.a, samples.b, { ...base, maxSteps: 2 }),
        resumedDir,
        undefined,
        first,
      );
      const secondHalf = await runTrainer(config, resumedDir, lastCheckpoint(firstHalf), second);

      expect(secondHalf.find((e) => e.type === 'started')).toMatchObject({
        startStep: 2,
        totalSteps: 4,
        backend: { name: second },
      });
      const expected = losses(straight).filter((l) => l.step > 2);
      const actual = losses(secondHalf);
      expect(actual.map((l) => l.step)).toEqual([3, 4]);
      for (const [i, row] of expected.entries()) {
        for (const [name, value] of Object.entries(row)) {
          const got = (actual[i] as Record<string, number>)[name] as number;
          expect(Math.abs(got - value), `step ${row.step} ${name}`).toBeLessThan(1e-3 * Math.max(1, Math.abs(value)));
        }
      }
    },
  );
});
