// The main job on the bundled sample data. CycleGAN (the default): writes the `stripes` sample
// folders (flat shapes → the same shapes with stripes along their outlines) into the workspace,
// trains the `demo` preset on them for a few minutes, leaves a preview grid and the loss curves as
// PNGs, and prints how close the translations came to the known truth, before and after, beside
// the trivial answers. `--model cut` trains CUT's `demo` preset on the same folders (A → B only);
// `--model cogan` runs CoGAN's demo on the `negative` pair instead.
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import sharp from 'sharp';
import { writeFileAtomic } from '../../../node/atomic.ts';
import type { BackendName } from '../../../shared/basics.ts';
import { DEMO_PRESET } from '../../../shared/demo.ts';
import { describeTruthChange } from '../../../shared/truth-text.ts';
import { writeDemoSamples } from '../../demo-samples.ts';
import type { Host } from '../../host.ts';
import { renderLossChartPng } from '../../reports/loss-chart.ts';
import { listPreviews } from '../../store/artifacts.ts';
import { readSeries } from '../../store/metrics.ts';
import { getRun } from '../../store/runs.ts';
import { call, trainOverApi, withCliHost } from '../api.ts';
import { followJob } from '../follow-job.ts';
import { backendOption, wholeNumber } from '../options.ts';
import { runCoganDemo } from './demo-cogan.ts';

/** Minutes the demo trains by default: what the `demo` preset was measured to need on a 2-core CPU, with margin. */
export const DEMO_MINUTES = 4;

/**
 * The models the stripes demo trains, each with its `demo` preset. CUT's runs to the end of its
 * schedule (512 steps, under two minutes on one wasm thread: docs/TRAINING.md), so its minutes are
 * only a bound for a slow machine.
 */
const STRIPES_DEMOS = {
  cyclegan: {
    label: 'CycleGAN',
    minutes: DEMO_MINUTES,
    columns: 'real_A, fake_B, rec_A, real_B, fake_A, rec_B',
    files: { previews: 'previews.png', losses: 'losses.png' },
  },
  cut: {
    label: 'CUT',
    minutes: 6,
    columns: 'real_A, fake_B, real_B, idt_B',
    files: { previews: 'cut-previews.png', losses: 'cut-losses.png' },
  },
} as const;
type StripesDemoModel = keyof typeof STRIPES_DEMOS;
const DEMO_MODELS = ['cyclegan', 'cut', 'cogan'] as const;

/** The grid at 32 px a tile is too small to see stripes on: 4× larger, pixels kept sharp. */
const PREVIEW_ENLARGEMENT = 4;

async function writeEnlargedPreview(from: string, to: string): Promise<void> {
  const image = sharp(from);
  const { width, height } = await image.metadata();
  const png = await image
    .resize(width * PREVIEW_ENLARGEMENT, height * PREVIEW_ENLARGEMENT, { kernel: 'nearest' })
    .png()
    .toBuffer();
  await writeFileAtomic(to, png);
}

interface DemoOptions {
  home?: string;
  minutes?: number;
  model: (typeof DEMO_MODELS)[number];
  backend?: BackendName;
  json: boolean;
}

/**
 * The stripes demo of CycleGAN (the default) or CUT: samples, the model's demo preset, previews,
 * curves, truth. `steps` cuts the run short (the command's test); the files it leaves are returned.
 */
export async function runStripesDemo(
  host: Host,
  model: StripesDemoModel,
  options: { minutes: number; json: boolean; steps?: number },
): Promise<{ runId: string; previewFile: string | null; lossFile: string } | null> {
  const demo = STRIPES_DEMOS[model];
  const samples = await writeDemoSamples(host.workspace.root);
  process.stderr.write(`Sample folders: A ${samples.a}, B ${samples.b} (ground truth ${samples.truth})\n`);
  const handle = await trainOverApi(host, () =>
    call(host, 'training:start', {
      model,
      preset: DEMO_PRESET,
      dataA: samples.a,
      dataB: samples.b,
      name: `Demo: shapes → striped shapes${model === 'cyclegan' ? '' : ` (${demo.label})`}`,
      ...(options.steps === undefined ? {} : { overrides: { maxSteps: options.steps } }),
    }),
  );
  process.stderr.write(
    `Training the ${DEMO_PRESET} ${demo.label} for up to ${options.minutes} minutes (run ${handle.runId}); Ctrl-C stops early.\n`,
  );
  const timer = setTimeout(() => handle.stop(), options.minutes * 60_000);
  const outcome = await followJob(handle, options.json);
  clearTimeout(timer);
  if (outcome === 'failed') {
    process.exitCode = 1;
    return null;
  }
  const outDir = path.join(host.workspace.root, 'demo');
  await fs.mkdir(outDir, { recursive: true });
  const last = listPreviews(host.db, host.workspace, handle.runId).at(-1);
  const previewFile = path.join(outDir, demo.files.previews);
  if (last) await writeEnlargedPreview(last.path, previewFile);
  host.metrics.flush();
  const lossFile = path.join(outDir, demo.files.losses);
  await renderLossChartPng(
    readSeries(host.db, handle.runId),
    `${demo.label} on shapes → striped shapes (run ${handle.runId})`,
    lossFile,
  );
  const truth = getRun(host.db, host.workspace, handle.runId).truth;
  const before = truth[0];
  const after = truth.at(-1);
  process.stdout.write(
    [
      `Preview grid (columns: ${demo.columns}) at step ${last?.step ?? '—'}: ${previewFile}`,
      `Loss curves: ${lossFile}`,
      `Every preview and checkpoint: ${handle.runDir}`,
      ...(before && after
        ? describeTruthChange(before, after)
        : ['No ground-truth report was made (the run ended before its first).']),
      '',
    ].join('\n'),
  );
  return { runId: handle.runId, previewFile: last ? previewFile : null, lossFile };
}

export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description(
      'the main job on the bundled sample data: CycleGAN learns shapes → striped shapes (or CUT, the same one way; or CoGAN, images and their negatives)',
    )
    .option('--home <dir>', 'workspace folder (default ~/.diptych)')
    .option(
      '--minutes <m>',
      `how long to train at most (default ${DEMO_MINUTES}, CUT ${STRIPES_DEMOS.cut.minutes})`,
      wholeNumber('--minutes', 1, 600),
    )
    .option(
      '--model <name>',
      'cyclegan (shapes → striped shapes), cut (the same, A → B only) or cogan (images and their negatives)',
      (value) => {
        if (!(DEMO_MODELS as readonly string[]).includes(value))
          throw new Error(`--model is ${DEMO_MODELS.join(', ')} (got ${value})`);
        return value;
      },
    )
    .option('--backend <name>', 'force a TensorFlow.js backend', backendOption)
    .option('--json', 'print the engine events as JSON lines', false)
    .action(async (options: Omit<DemoOptions, 'model'> & { model?: DemoOptions['model'] }) => {
      await withCliHost({ home: options.home, backend: options.backend }, async (host) => {
        const model = options.model ?? 'cyclegan';
        if (model === 'cogan')
          await runCoganDemo(host, { minutes: options.minutes ?? DEMO_MINUTES, json: options.json });
        else
          await runStripesDemo(host, model, {
            minutes: options.minutes ?? STRIPES_DEMOS[model].minutes,
            json: options.json,
          });
      });
    });
}
