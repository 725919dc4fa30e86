// CoGAN must couple, not just run: on the `negative` sample domains (B = 1 − A), a short tiny run
// must make T(G_A(z)) and G_B(z) agree far more than images of the two domains agree by chance,
// with the paper's objective (non-saturating) and with the reference code's (least squares).
//
// The raw agreement ratio alone cannot show that here: an untrained pair draws near-grey images,
// and grey is its own negative, so it starts at 0.93 "agreement". What training adds is agreement
// of the pair beyond what unpaired images share (chance, measured with the codes shifted by one),
// and κ = (agreement − chance) / (1 − chance). The control, run by hand: the same runs with no
// shared layers (two independent GANs) leave grey as well but pair no better than chance (κ 0.004
// non-saturating, 0.015 LSGAN), so these tests fail without the coupling.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, expect, test } from 'vitest';
import type { EngineToHost } from '../../../src/shared/engine-protocol.ts';
import type { CoGanConfig } from '../../../src/shared/run-config.ts';
import { sampleDomains, tempDir } from '../cyclegan/helpers.ts';
import { runCoGan, tinyCoGan } from './helpers.ts';

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

function agreementAt(events: EngineToHost[], step: number) {
  const event = events.find((e) => e.type === 'metrics' && e.step === step && 'agreement' in e.losses);
  if (event?.type !== 'metrics') throw new Error(`no agreement at step ${step}`);
  const { agreement, agreement_chance: chance, agreement_kappa: kappa } = event.losses as Record<string, number>;
  return { agreement: agreement as number, chance: chance as number, kappa: kappa as number };
}

/** Trains tiny on 64 negative sample pairs for `steps`; the agreement untrained and at the end. */
async function trainOnNegative(ganMode: CoGanConfig['ganMode'], steps: number) {
  const samples = await sampleDomains('negative', 64, 32);
  dirs.push(path.dirname(samples.a));
  const runDir = tempDir('diptych-cogan-learn-');
  dirs.push(runDir);
  const config = tinyCoGan(samples.a, samples.b, {
    ganMode,
    maxSteps: steps,
    relation: 'negative',
    previewEvery: 1000,
    checkpointEveryEpochs: 1000,
  });
  const events = await runCoGan(config, runDir, { backend: 'wasm' });
  expect(events.find((e) => e.type === 'finished')).toMatchObject({ status: 'completed', step: steps });
  const untrained = agreementAt(events, 0);
  const trained = agreementAt(events, steps);
  console.log(
    `${ganMode} on negative: untrained ${JSON.stringify(untrained)}, after ${steps} steps ${JSON.stringify(trained)}`,
  );
  // The grey start: nearly everything agrees, paired or not.
  expect(untrained.agreement).toBeGreaterThan(0.85);
  expect(untrained.agreement - untrained.chance).toBeLessThan(0.05);
  return { untrained, trained };
}

// Measured on wasm: excess 0.01 → 0.45, κ 0.17 → 0.80 (0.39 before the batch norm's ε was the reference's).
test('non-saturating, 160 steps: the pair agrees beyond chance (measured κ 0.17 → 0.80)', {
  timeout: 240_000,
}, async () => {
  const { untrained, trained } = await trainOnNegative('vanilla', 160);
  // Trained: the images have left grey (chance fell) and the pair agrees well beyond it.
  expect(trained.chance).toBeLessThan(untrained.chance - 0.2);
  expect(trained.agreement - trained.chance).toBeGreaterThan(0.15);
  expect(trained.agreement - trained.chance).toBeGreaterThan(5 * (untrained.agreement - untrained.chance));
  expect(trained.kappa).toBeGreaterThan(untrained.kappa + 0.3);
});

// LSGAN never coupled before the discriminators' batch norm took the reference's ε (0.8, see
// coupled-discriminator.ts): κ 0.00–0.03 at steps 80–320, the previews colour noise. Measured since,
// on wasm, this run: κ 0.56 at step 144 (seeds 1 and 2 of the same run: 0.64, 0.55).
test('least squares, 144 steps: the pair couples (measured κ 0.17 → 0.56)', { timeout: 240_000 }, async () => {
  const { untrained, trained } = await trainOnNegative('lsgan', 144);
  expect(trained.chance).toBeLessThan(untrained.chance - 0.2);
  expect(trained.kappa).toBeGreaterThan(0.35);
});
