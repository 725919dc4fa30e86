// `diptych train` and `diptych resume`: CycleGAN or CoGAN training from two folders, headless.
import { type Command, InvalidArgumentError, Option } from 'commander';
import type { BackendName } from '../../../shared/basics.ts';
import type { RunDetail } from '../../../shared/contract.ts';
import {
  buildRunConfig,
  COGAN_PRESETS,
  type ConfigOverrides,
  DOMAIN_RELATIONS,
  type DomainRelation,
  PRESET_NAMES,
  PRESETS,
  type PresetName,
  type RunConfig,
} from '../../../shared/run-config.ts';
import { createHost, forcedBackendFromEnv } from '../../host.ts';
import { relationFor } from '../../jobs/sample-relation.ts';
import { resumeTraining, startTraining } from '../../jobs/training.ts';
import { getRun } from '../../store/runs.ts';
import { resolveWorkspaceRoot } from '../../workspace.ts';
import { followJob } from '../follow-job.ts';
import { backendOption, numberOrNaN, wholeNumber } from '../options.ts';

function positiveNumber(name: string) {
  return (raw: string): number => {
    const value = numberOrNaN(raw);
    if (!Number.isFinite(value) || value < 0) throw new InvalidArgumentError(`${name} must be a number ≥ 0.`);
    return value;
  };
}

interface TrainFlags {
  a: string;
  b: string;
  model: 'cyclegan' | 'cogan';
  preset: PresetName;
  steps?: number;
  epochs?: number;
  name?: string;
  home?: string;
  json: boolean;
  backend?: BackendName;
  ngf?: number;
  ndf?: number;
  lr?: number;
  ganMode?: ConfigOverrides['ganMode'];
  lambdaIdentity?: number;
  poolSize?: number;
  cropSize?: number;
  loadSize?: number;
  flip: boolean;
  seed?: number;
  previewEvery?: number;
  batchSize?: number;
  zDim?: number;
  sharedG?: number;
  sharedD?: number;
  weightDecay?: number;
  relation?: DomainRelation;
}

/**
 * The load size that goes with a --crop-size given alone: the reference loads 286 for a 256 crop
 * (×1.12), but never above the largest size allowed, which would blame --load-size for a --crop-size
 * the person chose.
 */
export function loadSizeFor(cropSize: number): number {
  return Math.min(4096, Math.round(cropSize * 1.12));
}

const COGAN_ONLY: readonly [keyof TrainFlags, string][] = [
  ['batchSize', '--batch-size'],
  ['zDim', '--z-dim'],
  ['sharedG', '--shared-g'],
  ['sharedD', '--shared-d'],
  ['weightDecay', '--weight-decay'],
  ['relation', '--relation'],
];

/** A CoGAN option on a CycleGAN run would be ignored without a word: refuse it with the reason. */
function refuseFlagsOfTheOtherModel(flags: TrainFlags): void {
  if (flags.model !== 'cyclegan') return;
  const given = COGAN_ONLY.filter(([key]) => flags[key] !== undefined).map(([, flag]) => flag);
  if (given.length > 0)
    throw new Error(
      `${given.join(', ')} ${given.length === 1 ? 'is a CoGAN option' : 'are CoGAN options'}; add --model cogan, or leave ${given.length === 1 ? 'it' : 'them'} out for a CycleGAN run.`,
    );
}

export function registerTrain(program: Command): void {
  program
    .command('train')
    .description('train a CycleGAN or a CoGAN on two folders of images (domain A and domain B)')
    .requiredOption('--a <dir>', 'folder of domain A images')
    .requiredOption('--b <dir>', 'folder of domain B images')
    .addOption(
      new Option(
        '--model <model>',
        'cyclegan (translation networks) or cogan (coupled GANs, translation by latent inversion)',
      )
        .choices(['cyclegan', 'cogan'])
        .default('cyclegan'),
    )
    .addOption(
      new Option(
        '--preset <preset>',
        `CycleGAN: ${PRESET_NAMES.map((p) => `${p}: ${PRESETS[p].summary}`).join('; ')}. CoGAN: ${Object.entries(
          COGAN_PRESETS,
        )
          .map(([p, { summary }]) => `${p}: ${summary}`)
          .join('; ')}`,
      )
        .choices(PRESET_NAMES)
        .default('quick'),
    )
    .option('--steps <n>', 'stop after this many steps', wholeNumber('--steps', 1, 100_000_000))
    .option(
      '--epochs <n>',
      'epochs in all: half at the full learning rate, half decaying to zero',
      wholeNumber('--epochs', 1, 100_000),
    )
    .option('--name <name>', 'a name for the run (default: the two folder names)')
    .option('--home <dir>', 'workspace folder (default ~/.diptych)')
    .option('--json', 'print the engine events as JSON lines instead of a progress line', false)
    .option('--backend <name>', 'force a TensorFlow.js backend', backendOption)
    .option('--ngf <n>', 'generator width', wholeNumber('--ngf', 1, 256))
    .option('--ndf <n>', 'discriminator width', wholeNumber('--ndf', 1, 256))
    .option('--lr <rate>', 'Adam learning rate (default 0.0002)', positiveNumber('--lr'))
    .addOption(new Option('--gan-mode <mode>', 'GAN objective').choices(['lsgan', 'vanilla', 'wgangp', 'bgan']))
    .option(
      '--lambda-identity <w>',
      'identity loss weight as a fraction of the cycle weight (default 0.5)',
      positiveNumber('--lambda-identity'),
    )
    .option(
      '--pool-size <n>',
      'fake-image pool for the discriminators (0 disables)',
      wholeNumber('--pool-size', 0, 1000),
    )
    .option('--crop-size <px>', 'training image size', wholeNumber('--crop-size', 8, 4096))
    .option('--load-size <px>', 'size images are loaded at before the random crop', wholeNumber('--load-size', 8, 4096))
    .option('--no-flip', 'no random horizontal flips')
    .option('--seed <s>', 'random seed', wholeNumber('--seed', 0, 2 ** 32 - 1))
    .option(
      '--preview-every <steps>',
      'write a preview grid every N steps',
      wholeNumber('--preview-every', 1, 1_000_000),
    )
    .option('--batch-size <n>', 'CoGAN: images of each domain per step', wholeNumber('--batch-size', 1, 256))
    .option('--z-dim <n>', 'CoGAN: dimensions of the latent code (default 100)', wholeNumber('--z-dim', 1, 1024))
    .option(
      '--shared-g <n>',
      "CoGAN: generator layers shared by both domains (default: all but the last, the paper's)",
      wholeNumber('--shared-g', 0, 5),
    )
    .option(
      '--shared-d <n>',
      "CoGAN: discriminator layers shared by both domains (default: all but the first, the paper's)",
      wholeNumber('--shared-d', 0, 5),
    )
    .option('--weight-decay <w>', 'CoGAN: L2 weight decay (default 0)', positiveNumber('--weight-decay'))
    .addOption(
      new Option(
        '--relation <relation>',
        'CoGAN: the known relation B = T(A) whose pixel agreement is measured (default: recognised for the sample domains, else none)',
      ).choices(DOMAIN_RELATIONS),
    )
    .action(async (flags: TrainFlags) => {
      refuseFlagsOfTheOtherModel(flags);
      if (flags.model === 'cogan') {
        await trainCoGanFromFlags(flags);
        return;
      }
      const half = flags.epochs === undefined ? undefined : Math.floor(flags.epochs / 2);
      const config = buildRunConfig('cyclegan', flags.preset, {
        dataA: flags.a,
        dataB: flags.b,
        maxSteps: flags.steps ?? null,
        nEpochs: flags.epochs === undefined ? undefined : flags.epochs - (half ?? 0),
        nEpochsDecay: half,
        ngf: flags.ngf,
        ndf: flags.ndf,
        lr: flags.lr,
        ganMode: flags.ganMode,
        lambdaIdentity: flags.lambdaIdentity,
        poolSize: flags.poolSize,
        cropSize: flags.cropSize,
        loadSize: flags.loadSize ?? (flags.cropSize ? loadSizeFor(flags.cropSize) : undefined),
        flip: flags.flip,
        seed: flags.seed,
        previewEvery: flags.previewEvery,
      });
      await runTraining(flags, config);
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
      const host = createHost({
        kind: 'cli',
        home: resolveWorkspaceRoot(flags.home),
        backend: flags.backend ?? forcedBackendFromEnv(),
        probeAtStart: false,
      });
      try {
        const handle = await resumeTraining(host, host.launchEngine, runId, { lr: flags.lr });
        process.exitCode = (await followJob(handle, flags.json)) === 'failed' ? 1 : 0;
      } finally {
        host.close();
      }
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

async function runTraining(flags: TrainFlags, config: RunConfig): Promise<void> {
  const host = createHost({
    kind: 'cli',
    home: resolveWorkspaceRoot(flags.home),
    backend: flags.backend ?? forcedBackendFromEnv(),
    probeAtStart: false,
  });
  try {
    const handle = await startTraining({ host, launch: host.launchEngine, config, name: flags.name });
    if (!flags.json) {
      process.stderr.write(`Run ${handle.runId} (${config.model}, ${flags.preset}) in ${handle.runDir}\n`);
      for (const line of skippedFilesLines(getRun(host.db, host.workspace, handle.runId).datasets))
        process.stderr.write(`${line}\n`);
    }
    process.exitCode = (await followJob(handle, flags.json)) === 'failed' ? 1 : 0;
  } finally {
    host.close();
  }
}

/** CoGAN's options: CycleGAN-only flags (--lambda-identity, --pool-size) are refused by the config. */
async function trainCoGanFromFlags(flags: TrainFlags): Promise<void> {
  const config = buildRunConfig('cogan', flags.preset, {
    dataA: flags.a,
    dataB: flags.b,
    maxSteps: flags.steps ?? null,
    nEpochs: flags.epochs,
    ngf: flags.ngf,
    ndf: flags.ndf,
    lr: flags.lr,
    ganMode: flags.ganMode,
    lambdaIdentity: flags.lambdaIdentity,
    poolSize: flags.poolSize,
    cropSize: flags.cropSize,
    loadSize: flags.loadSize ?? (flags.cropSize ? loadSizeFor(flags.cropSize) : undefined),
    flip: flags.flip,
    seed: flags.seed,
    previewEvery: flags.previewEvery,
    batchSize: flags.batchSize,
    zDim: flags.zDim,
    sharedGeneratorLayers: flags.sharedG,
    sharedDiscriminatorLayers: flags.sharedD,
    weightDecay: flags.weightDecay,
    relation: await relationFor(flags.a, flags.b, flags.relation),
  });
  await runTraining(flags, config);
}
