// `diptych train` and `diptych resume`: CycleGAN or CoGAN training from two folders, headless.
import { type Command, InvalidArgumentError, Option } from 'commander';
import type { BackendName } from '../../../shared/basics.ts';
import type { RunDetail } from '../../../shared/contract.ts';
import { MODEL_NAMES, MODELS_IN_ORDER, type ModelName } from '../../../shared/models.ts';
import { rowsWithKey, widest } from '../../../shared/options/lookup.ts';
import {
  COGAN_PRESETS,
  CUT_PRESETS,
  type DomainRelation,
  PRESET_NAMES,
  PRESETS,
  type PresetName,
} from '../../../shared/run-config.ts';
import type { Host } from '../../host.ts';
import { call, trainOverApi, withCliHost } from '../api.ts';
import { followJob } from '../follow-job.ts';
import { addOptionFlags, overridesFromFlags } from '../option-flags.ts';
import { backendOption, numberOrNaN, wholeNumber } from '../options.ts';

function positiveNumber(name: string) {
  return (raw: string): number => {
    const value = numberOrNaN(raw);
    if (!Number.isFinite(value) || value < 0) throw new InvalidArgumentError(`${name} must be a number ≥ 0.`);
    return value;
  };
}

/** The flags train.ts reads itself; the option table's flags (option-flags.ts) are the rest. */
interface TrainFlags extends Record<string, unknown> {
  a: string;
  b: string;
  model: ModelName;
  preset: PresetName;
  epochs?: number;
  name?: string;
  home?: string;
  json: boolean;
  backend?: BackendName;
  cropSize?: number;
  loadSize?: number;
  relation?: DomainRelation;
}

const LARGEST_LOAD_SIZE = (widest(rowsWithKey('loadSize')) as { max: number }).max;

/**
 * The load size that goes with a --crop-size given alone: the reference loads 286 for a 256 crop
 * (×1.12), but never above the largest size allowed, which would blame --load-size for a --crop-size
 * the person chose.
 */
export function loadSizeFor(cropSize: number): number {
  return Math.min(LARGEST_LOAD_SIZE, Math.round(cropSize * 1.12));
}

export function registerTrain(program: Command): void {
  const train = program
    .command('train')
    .description('train a CycleGAN, a CUT or a CoGAN on two folders of images (domain A and domain B)')
    .requiredOption('--a <dir>', 'folder of domain A images')
    .requiredOption('--b <dir>', 'folder of domain B images')
    .addOption(
      new Option('--model <model>', MODELS_IN_ORDER.map((m) => `${m.name}: ${m.summary}`).join(' '))
        .choices(MODEL_NAMES)
        .default('cyclegan'),
    )
    .addOption(
      new Option(
        '--preset <preset>',
        [
          ['CycleGAN', PRESETS],
          ['CUT', CUT_PRESETS],
          ['CoGAN', COGAN_PRESETS],
        ]
          .map(
            ([model, presets]) =>
              `${model}: ${Object.entries(presets as Record<string, { summary: string }>)
                .map(([p, { summary }]) => `${p}: ${summary}`)
                .join('; ')}.`,
          )
          .join(' '),
      )
        .choices(PRESET_NAMES)
        .default('quick'),
    )
    .option(
      '--epochs <n>',
      'epochs in all: half at the full learning rate, half decaying to zero',
      wholeNumber('--epochs', 1, 100_000),
    )
    .option('--name <name>', 'a name for the run (default: the two folder names)')
    .option('--home <dir>', 'workspace folder (default ~/.diptych)')
    .option('--json', 'print the engine events as JSON lines instead of a progress line', false)
    .option('--backend <name>', 'force a TensorFlow.js backend', backendOption);
  // --crop-size, --gan-mode, --z-dim… come from the option table, which also refuses another model's.
  addOptionFlags(train).action(async (flags: TrainFlags) => {
    // --epochs is the whole run: CycleGAN halves it into full-rate and decaying epochs, CoGAN has no decay.
    const half = flags.epochs === undefined || flags.model === 'cogan' ? 0 : Math.floor(flags.epochs / 2);
    const epochs =
      flags.epochs === undefined
        ? {}
        : flags.model === 'cogan'
          ? { nEpochs: flags.epochs }
          : { nEpochs: flags.epochs - half, nEpochsDecay: half };
    const overrides = {
      ...overridesFromFlags(flags, flags.model),
      ...epochs,
      ...(flags.loadSize === undefined && flags.cropSize ? { loadSize: loadSizeFor(flags.cropSize) } : {}),
    };
    await followTraining(flags, (host) =>
      call(host, 'training:start', {
        model: flags.model,
        preset: flags.preset,
        dataA: flags.a,
        dataB: flags.b,
        ...(flags.name === undefined ? {} : { name: flags.name }),
        overrides,
      }),
    );
  });

  program
    .command('resume')
    .description('continue a stopped, failed or interrupted run exactly from its latest checkpoint')
    .argument('<run>', 'run id (see `diptych runs`)')
    .option('--home <dir>', 'workspace folder (default ~/.diptych)')
    .option('--json', 'print the engine events as JSON lines', false)
    .option('--backend <name>', 'force a TensorFlow.js backend', backendOption)
    .option(
      '--lr <rate>',
      'continue with this base learning rate (the advice after a NaN roll-back: a lower one)',
      positiveNumber('--lr'),
    )
    .action(async (runId: string, flags: { home?: string; json: boolean; backend?: BackendName; lr?: number }) => {
      await followTraining(flags, (host) =>
        call(host, 'runs:resume', { id: runId, ...(flags.lr === undefined ? {} : { lr: flags.lr }) }),
      );
    });
}

/** "Skipped 2 files of A: x.png: unreadable: …" — what the scan left out, so nobody wonders where it went. */
export function skippedFilesLines(datasets: RunDetail['datasets'], shown = 5): string[] {
  const lines: string[] = [];
  for (const role of ['A', 'B'] as const) {
    const problems = datasets[role]?.problems ?? [];
    if (problems.length === 0) continue;
    lines.push(`Skipped ${problems.length} file${problems.length === 1 ? '' : 's'} of ${role}:`);
    for (const problem of problems.slice(0, shown)) lines.push(`  ${problem}`);
    if (problems.length > shown)
      lines.push(`  … and ${problems.length - shown} more (all of them: diptych runs show RUN --json)`);
  }
  return lines;
}

/** Starts or continues a run through the host's dispatcher and follows it until its engine has exited. */
async function followTraining(
  flags: { home?: string | undefined; json: boolean; backend?: BackendName | undefined },
  start: (host: Host) => Promise<{ runId: string; runDir: string }>,
): Promise<void> {
  await withCliHost(flags, async (host) => {
    const handle = await trainOverApi(host, () => start(host));
    if (!flags.json) {
      const run = await call(host, 'runs:get', { id: handle.runId });
      process.stderr.write(
        `Run ${handle.runId} (${run.model}, ${(run.config as { preset?: string }).preset}) in ${handle.runDir}\n`,
      );
      for (const line of skippedFilesLines(run.datasets)) process.stderr.write(`${line}\n`);
    }
    process.exitCode = (await followJob(handle, flags.json)) === 'failed' ? 1 : 0;
  });
}
