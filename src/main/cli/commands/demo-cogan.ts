// The CoGAN demo (`diptych demo --model cogan`): generate the `negative` sample domains (B = 1 − A),
// train the tiny CoGAN on them for its fixed number of steps (or its minutes, if they end first)
// exactly as a person's run would (same preset, same engine process, same losses), and leave the
// last pair preview in the workspace with the pixel agreement κ it reached: each B of a coupled pair
// is the negative of its A, which κ measures (src/training/cogan/agreement.ts) and the preview shows.
import fs from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import type { EngineToHost } from '../../../shared/engine-protocol.ts';
import { buildCoGanConfig, type CoGanConfig } from '../../../shared/run-config.ts';
import { samplesRoot } from '../../demo-samples.ts';
import type { Host } from '../../host.ts';
import { type SampleFolders, writeSamples } from '../../samples.ts';
import { listPreviews } from '../../store/artifacts.ts';
import { call, trainOverApi } from '../api.ts';
import { followJob } from '../follow-job.ts';

/** The demo's sample pair: the tiny preset's 32 px images, enough scenes that an epoch is 16 steps. */
export const COGAN_DEMO_SAMPLES = { kind: 'negative', count: 256, size: 32, seed: 1 } as const;

/**
 * Steps the demo trains, unless its minutes run out first. A CoGAN couples early and then drifts:
 * each domain's last layer keeps learning its own colours, and κ (which asks every channel of every
 * pixel to match) falls as they part. Measured on these samples (docs/TRAINING.md, five seeds): κ
 * 0.61–0.81 at step 144 in every one, and under 0.3 again within the next 200 steps in three of them.
 * So the demo stops where the coupling is, well inside its default three minutes on two cores.
 */
export const COGAN_DEMO_STEPS = 144;

/** The preview grid is 32 px pairs: enlarged (nearest neighbour) so a person can see each pair. */
const PREVIEW_SCALE = 4;

/**
 * The demo's run: the tiny preset as it is, measuring the agreement of the negative relation. Only
 * its length and the rhythm of previews and checkpoints are the demo's own; the tests train this config.
 */
/** What the CoGAN demo sets on the tiny preset, as a window would send it (training:start's overrides). */
export function coganDemoOverrides(steps = COGAN_DEMO_STEPS) {
  return {
    // What `diptych train` and the app set themselves for these folders (jobs/sample-relation.ts).
    relation: 'negative' as const,
    maxSteps: steps,
    previewEvery: 16,
    // A numbered checkpoint, with its agreement, every epoch (16 steps): the printed κ climbing.
    checkpointEveryEpochs: 1,
  };
}

export const COGAN_DEMO_PRESET = 'tiny';

/** The demo run's config, as the host builds it from the overrides (the learning test trains it in-process). */
export function coganDemoConfig(samples: Pick<SampleFolders, 'a' | 'b'>, steps = COGAN_DEMO_STEPS): CoGanConfig {
  return buildCoGanConfig(COGAN_DEMO_PRESET, { dataA: samples.a, dataB: samples.b, ...coganDemoOverrides(steps) });
}

export interface CoganDemoResult {
  /** κ at the last agreement evaluation (the stop's checkpoint), null if none was reported. */
  kappa: number | null;
  previewFile: string | null;
  runId: string;
}

interface Measure {
  step: number;
  kappa: number;
}

function agreementOf(event: EngineToHost): Measure | null {
  if (event.type !== 'metrics' || event.replayed) return null;
  const kappa = event.losses.agreement_kappa;
  return kappa === undefined ? null : { step: event.step, kappa };
}

/** `steps` shortens the run for tests; a person's demo trains COGAN_DEMO_STEPS. */
export async function runCoganDemo(
  host: Host,
  options: { minutes: number; json: boolean; steps?: number },
): Promise<CoganDemoResult> {
  const samples = await writeSamples({
    out: path.join(samplesRoot(host.workspace.root), COGAN_DEMO_SAMPLES.kind),
    ...COGAN_DEMO_SAMPLES,
    // The folder belongs to the app (as the CycleGAN demo's): an older generator's files are replaced.
    force: true,
  });
  process.stderr.write(
    `Sample domains: A ${samples.a}, B ${samples.b} (B = 1 − A: each B is a photographic negative)\n`,
  );
  const config = coganDemoConfig(samples, options.steps);
  const handle = await trainOverApi(host, () =>
    call(host, 'training:start', {
      model: 'cogan',
      preset: COGAN_DEMO_PRESET,
      dataA: samples.a,
      dataB: samples.b,
      overrides: coganDemoOverrides(options.steps),
      name: 'Demo: CoGAN on shapes ↔ negatives',
    }),
  );
  process.stderr.write(
    `Training the ${config.preset} CoGAN for ${config.maxSteps} steps or ${options.minutes} minutes, whichever ends first (run ${handle.runId}); Ctrl-C stops early.\n`,
  );
  const measures: Measure[] = [];
  handle.onEvent((event) => {
    const measured = agreementOf(event);
    if (!measured) return;
    measures.push(measured);
    if (!options.json)
      process.stderr.write(`\npixel agreement at step ${measured.step}: κ ${measured.kappa.toFixed(2)}\n`);
  });
  const timer = setTimeout(() => handle.stop(), options.minutes * 60_000);
  const outcome = await followJob(handle, options.json);
  clearTimeout(timer);
  if (outcome === 'failed') {
    process.exitCode = 1;
    return { kappa: null, previewFile: null, runId: handle.runId };
  }

  const outDir = path.join(host.workspace.root, 'demo');
  await fs.mkdir(outDir, { recursive: true });
  const preview = listPreviews(host.db, host.workspace, handle.runId).at(-1);
  let previewFile: string | null = null;
  if (preview?.exists) {
    previewFile = path.join(outDir, 'cogan-previews.png');
    const { width = 0, height = 0 } = await sharp(preview.path).metadata();
    await sharp(preview.path)
      .resize(width * PREVIEW_SCALE, height * PREVIEW_SCALE, { kernel: 'nearest' })
      .png()
      .toFile(previewFile);
  }
  const start = measures[0];
  const end = measures.at(-1);
  process.stdout.write(
    [
      end
        ? `Pixel agreement κ (0: the pair is unrelated, 1: every B is exactly its A's negative): ${start && start !== end ? `${start.kappa.toFixed(2)} untrained → ` : ''}${end.kappa.toFixed(2)} at step ${end.step}`
        : 'Pixel agreement κ: not measured (the run stopped before its first checkpoint).',
      previewFile
        ? `Pair previews (each pair: G_A(z) | G_B(z), for ${config.previewSamples} fixed codes z) at step ${preview?.step}: ${previewFile}`
        : 'Pair previews: none written.',
      `Every preview and checkpoint: ${handle.runDir}`,
      '',
    ].join('\n'),
  );
  return { kappa: end?.kappa ?? null, previewFile, runId: handle.runId };
}
