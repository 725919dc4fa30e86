// Resume continues exactly: a CoGAN run stopped at step 3 (mid-epoch) and resumed to step 6 ends
// with the same weights, bit for bit, and the same losses at steps 4–6 as a run that never
// stopped; for WGAN-GP too, whose critic steps and penalty draw more random numbers.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, expect, test } from 'vitest';
import type { EngineToHost } from '../../../src/shared/engine-protocol.ts';
import { coganStores, disposeCoGanNetworks } from '../../../src/training/cogan/networks.ts';
import { sampleDomains, tempDir } from '../cyclegan/helpers.ts';
import { lastCheckpoint, loadCoGanNetworks, runCoGan, tinyCoGan } from './helpers.ts';

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

const losses = (events: EngineToHost[]) =>
  events.flatMap((e) =>
    e.type === 'metrics' && !e.replayed && 'D_A' in e.losses ? [{ step: e.step, ...e.losses }] : [],
  );

test.each(['vanilla', 'wgangp'] as const)(
  '%s: a stopped and resumed run equals an uninterrupted one',
  { timeout: 120_000 },
  async (ganMode) => {
    const samples = await sampleDomains('negative', 6, 32);
    dirs.push(path.dirname(samples.a));
    // Batches of 4 from 6 images: an epoch is 2 steps, so step 3 is the middle of one.
    const base = {
      ngf: 4,
      ndf: 4,
      batchSize: 4,
      ganMode,
      nCritic: 2,
      previewEvery: 1000,
      relation: 'negative' as const,
    };
    const straightDir = tempDir('diptych-cogan-straight-');
    const resumedDir = tempDir('diptych-cogan-resumed-');
    dirs.push(straightDir, resumedDir);

    const config = tinyCoGan(samples.a, samples.b, { ...base, maxSteps: 6 });
    const straight = await runCoGan(config, straightDir, { backend: 'wasm' });
    const firstHalf = await runCoGan(tinyCoGan(samples.a, samples.b, { ...base, maxSteps: 3 }), resumedDir, {
      backend: 'wasm',
    });
    const secondHalf = await runCoGan(config, resumedDir, { resumeFrom: lastCheckpoint(firstHalf), backend: 'wasm' });

    expect(secondHalf.find((e) => e.type === 'started')).toMatchObject({ startStep: 3, totalSteps: 6 });
    expect(losses(straight)).toHaveLength(6);
    expect(losses(secondHalf)).toEqual(losses(straight).filter((l) => l.step > 3));
    expect(losses(firstHalf)).toEqual(losses(straight).filter((l) => l.step <= 3));

    const a = await loadCoGanNetworks(config, lastCheckpoint(straight));
    const b = await loadCoGanNetworks(config, lastCheckpoint(secondHalf));
    const half = await loadCoGanNetworks(config, lastCheckpoint(firstHalf));
    const storesA = coganStores(a);
    const storesB = coganStores(b);
    expect(Object.keys(storesA)).toEqual(['G_shared', 'G_A', 'G_B', 'D_A', 'D_B', 'D_shared']);
    for (const [name, store] of Object.entries(storesA)) {
      const left = [...store.variables.values()];
      const right = [...(storesB[name]?.variables.values() ?? [])];
      expect(right.length).toBe(left.length);
      for (const [i, variable] of left.entries()) {
        expect(Array.from(right[i]?.dataSync() ?? [])).toEqual(Array.from(variable.dataSync()));
      }
    }
    // The same comparison tells training states apart: step 3's weights are not step 6's.
    const at3 = [...half.G.stores.G_shared.variables.values()][0]?.dataSync();
    const at6 = [...a.G.stores.G_shared.variables.values()][0]?.dataSync();
    expect(Array.from(at3 ?? [])).not.toEqual(Array.from(at6 ?? []));
    for (const nets of [a, b, half]) disposeCoGanNetworks(nets);
  },
);
