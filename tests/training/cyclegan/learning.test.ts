// Training must learn, not just run: on the palette domains (B = a fixed colour remapping of A,
// with the truth of every A image on disk), a short tiny run's G_A must come much closer to the
// ground truth than the identity baseline does.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import {
  disposeNetworks,
  groundTruthError,
  loadNetworks,
  runTrainer,
  sampleDomains,
  tempDir,
  tinyConfig,
} from './helpers.ts';

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

describe('CycleGAN learns the palette mapping', () => {
  test('G_A beats the identity baseline against the ground truth', { timeout: 240_000 }, async () => {
    const samples = await sampleDomains('palette', 24, 32);
    dirs.push(path.dirname(samples.a));
    const runDir = tempDir('diptych-learn-');
    dirs.push(runDir);
    // No identity loss: for a colour remapping, "leave B images alone" contradicts the mapping itself.
    const config = tinyConfig(samples.a, samples.b, { maxSteps: 150, lambdaIdentity: 0, previewEvery: 1000 });
    const events = await runTrainer(config, runDir);
    const finished = events.find((e) => e.type === 'finished');
    expect(finished).toMatchObject({ status: 'completed', step: 150 });
    const checkpoint = events.filter((e) => e.type === 'checkpoint').at(-1);
    if (checkpoint?.type !== 'checkpoint') throw new Error('no checkpoint event');

    const identity = await groundTruthError(null, samples, 32);
    const nets = await loadNetworks(config, checkpoint.path);
    const learnt = await groundTruthError(nets, samples, 32);
    disposeNetworks(nets);
    console.log(`palette ground-truth L1: identity ${identity.toFixed(3)}, after 150 steps ${learnt.toFixed(3)}`);
    expect(identity).toBeGreaterThan(0.3);
    // Deterministic for a seed on one backend: 0.378 vs 0.554 on wasm here (−32 %).
    expect(learnt).toBeLessThan(identity * 0.75);
  });
});
