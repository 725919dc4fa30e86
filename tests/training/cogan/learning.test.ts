// CoGAN must couple, not just run: on the `negative` sample domains (B = 1 − A), a short tiny run
// must make T(G_A(z)) and G_B(z) agree far more than images of the two domains agree by chance.
//
// The raw agreement ratio alone cannot show that here: an untrained pair draws near-grey images,
// and grey is its own negative, so it starts at 0.93 "agreement". What training adds is agreement
// of the pair beyond what unpaired images share (chance, measured with the codes shifted by one),
// and κ = (agreement − chance) / (1 − chance). The control, run by hand: the same 160 steps with no
// shared layers (two independent GANs) leave grey as well (chance 0.344) but pair no better than
// chance (agreement 0.345, κ 0.001), so this test fails without the coupling.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, expect, test } from 'vitest';
import type { EngineToHost } from '../../../src/shared/engine-protocol.ts';
import { sampleDomains, tempDir } from '../cyclegan/helpers.ts';
import { runCoGan, tinyCoGan } from './helpers.ts';

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

const STEPS = 160;

function agreementAt(events: EngineToHost[], step: number) {
  const event = events.find((e) => e.type === 'metrics' && e.step === step && 'agreement' in e.losses);
  if (event?.type !== 'metrics') throw new Error(`no agreement at step ${step}`);
  const { agreement, agreement_chance: chance, agreement_kappa: kappa } = event.losses as Record<string, number>;
  return { agreement: agreement as number, chance: chance as number, kappa: kappa as number };
}

test(`tiny on negative: after ${STEPS} steps the pair agrees beyond chance (measured: excess 0.01 → 0.2+, κ 0.17 → 0.35+)`, {
  timeout: 240_000,
}, async () => {
  const samples = await sampleDomains('negative', 64, 32);
  dirs.push(path.dirname(samples.a));
  const runDir = tempDir('diptych-cogan-learn-');
  dirs.push(runDir);
  const config = tinyCoGan(samples.a, samples.b, {
    maxSteps: STEPS,
    relation: 'negative',
    previewEvery: 1000,
    checkpointEveryEpochs: 1000,
  });
  const events = await runCoGan(config, runDir, { backend: 'wasm' });
  expect(events.find((e) => e.type === 'finished')).toMatchObject({ status: 'completed', step: STEPS });

  const untrained = agreementAt(events, 0);
  const trained = agreementAt(events, STEPS);
  console.log(
    `negative agreement: untrained ${JSON.stringify(untrained)}, after ${STEPS} steps ${JSON.stringify(trained)}`,
  );
  // The grey start: nearly everything agrees, paired or not.
  expect(untrained.agreement).toBeGreaterThan(0.85);
  expect(untrained.agreement - untrained.chance).toBeLessThan(0.05);
  // Trained: the images have left grey (chance fell) and the pair agrees well beyond it.
  expect(trained.chance).toBeLessThan(untrained.chance - 0.2);
  expect(trained.agreement - trained.chance).toBeGreaterThan(0.15);
  expect(trained.agreement - trained.chance).toBeGreaterThan(5 * (untrained.agreement - untrained.chance));
  expect(trained.kappa).toBeGreaterThan(untrained.kappa + 0.1);
});
