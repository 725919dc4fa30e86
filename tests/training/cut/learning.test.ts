// CUT learns on a sample pair with a known ground truth (issue 16: "CUT beats identity, as CycleGAN's
// test does"): the palette domains (B is A with its colours remapped, (R,G,B) → (1−B, R, G)), 32
// images a side, the tiny preset widened to ngf/ndf 16 with the paper's 70 px PatchGAN (netD basic),
// lr 0.0005, 4 + 4 epochs (256 steps, the rate decayed to 0 at the end), through the real trainer
// skeleton, scored by the engine's own truth reports. Measured (wasm, one thread, about 3 minutes):
// seed 0 9.71 → 15.06 dB, seed 1 9.69 → 13.30 dB, against the input's 8.52, B's mean colour's 14.66
// and the colour transfer's 14.22 dB. So it asserts what holds on both seeds, with slack: G gains
// ≥ 2.5 dB on its start (3.6 / 5.4 measured), beats the untouched input by ≥ 3.5 dB (4.8 / 6.5) and
// stays within 2.5 dB of the best trivial answer (−1.4 / +0.4). Beating every trivial answer by a
// clear margin is not claimed: no setting tried did so on more than one seed (docs/TRAINING.md, CUT).
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { findTruthFiles } from '../../../src/main/datasets/truth-folder.ts';
import { writeSamples } from '../../../src/main/samples.ts';
import type { EngineToHost, TrainJob } from '../../../src/shared/engine-protocol.ts';
import { buildCutConfig } from '../../../src/shared/run-config.ts';
import type { TruthReport } from '../../../src/shared/truth.ts';
import { selectBackend } from '../../../src/training/backend/ladder.ts';
import { createJobControl } from '../../../src/training/control.ts';
import { cutModel } from '../../../src/training/cut/definition.ts';
import { runTraining } from '../../../src/training/trainer/run-training.ts';
import { tempDir } from '../cyclegan/helpers.ts';

const STEPS = 256;
const GAIN_OVER_START_DB = 2.5;
const GAIN_OVER_INPUT_DB = 3.5;
const BEHIND_BEST_BASELINE_DB = 2.5;

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

const list = (folder: string) =>
  fs
    .readdirSync(folder)
    .sort()
    .map((f) => path.join(folder, f));

test(`CUT moves towards the ground truth, beats the untouched input by ≥ ${GAIN_OVER_INPUT_DB} dB and comes within ${BEHIND_BEST_BASELINE_DB} dB of the best trivial answer in ${STEPS} steps`, {
  timeout: 600_000,
}, async () => {
  const root = tempDir('diptych-cut-learn-');
  dirs.push(root);
  const samples = await writeSamples({
    out: path.join(root, 'samples'),
    kind: 'palette',
    count: 32,
    size: 32,
    seed: 1,
  });
  const config = buildCutConfig('tiny', {
    dataA: samples.a,
    dataB: samples.b,
    ngf: 16,
    ndf: 16,
    netD: 'basic',
    lr: 0.0005,
    // The paper's objective: the tiny preset's identity-preservation term off (demo-learning.test.ts has it on).
    identityPreservation: 0,
    nEpochs: 4,
    nEpochsDecay: 4,
    maxSteps: STEPS,
    checkpointEveryEpochs: 1,
  });
  const filesA = list(samples.a);
  const truth = await findTruthFiles(filesA);
  if (!truth) throw new Error('the sample folders have their truth beside them');
  const job: TrainJob = {
    runId: 'cut',
    runDir: path.join(root, 'run'),
    config,
    filesA,
    filesB: list(samples.b),
    truth,
  };
  const events: EngineToHost[] = [];
  const backend = await selectBackend('wasm');
  await runTraining(cutModel, job, { emit: (event) => events.push(event), control: createJobControl(), backend });

  const reports = events.flatMap((e): TruthReport[] => (e.type === 'truth' ? [e.report] : []));
  const before = reports.find((r) => r.step === 0);
  const after = reports.find((r) => r.step === STEPS);
  if (!before || !after) throw new Error(`truth reports at steps ${reports.map((r) => r.step)}`);
  console.log(
    `CUT, palette, ${STEPS} steps: ${before.model.psnr.toFixed(2)} → ${after.model.psnr.toFixed(2)} dB; input itself ${after.baselines.input.psnr.toFixed(2)}, B's mean colour ${after.baselines.targetMean.psnr.toFixed(2)}, colour transfer ${after.baselines.colourTransfer.psnr.toFixed(2)} dB`,
  );
  const { input, targetMean, colourTransfer } = after.baselines;
  expect(after.model.psnr).toBeGreaterThanOrEqual(before.model.psnr + GAIN_OVER_START_DB);
  expect(after.model.psnr).toBeGreaterThanOrEqual(input.psnr + GAIN_OVER_INPUT_DB);
  const best = Math.max(input.psnr, targetMean.psnr, colourTransfer.psnr);
  expect(after.model.psnr).toBeGreaterThanOrEqual(best - BEHIND_BEST_BASELINE_DB);
  // The losses it reports are CUT's, and FastCUT's identity term is among them only for CUT.
  const metrics = events.find((e) => e.type === 'metrics');
  expect(Object.keys(metrics?.type === 'metrics' ? metrics.losses : {}).sort()).toEqual(
    ['D_fake', 'D_real', 'G', 'G_GAN', 'NCE', 'NCE_Y'].sort(),
  );
});
