// `diptych train` and `diptych resume`: CycleGAN training from two folders, headless.
import { type Command, InvalidArgumentError, Option } from 'commander';
import type { BackendName } from '../../../shared/contract.ts';
import {
  buildCycleGanConfig,
  type ConfigOverrides,
  PRESET_NAMES,
  PRESETS,
  type PresetName,
} from '../../../shared/run-config.ts';
import { createHost, forcedBackendFromEnv } from '../../host.ts';
import { resumeTraining, startTraining } from '../../jobs/training.ts';
import { resolveWorkspaceRoot } from '../../workspace.ts';
import { followJob } from '../follow-job.ts';
import { backendOption, wholeNumber } from '../options.ts';

function positiveNumber(name: string) {
  return (raw: string): number => {
    const value = Number(raw);
    if (!Number.isFinite(value) || value < 0) throw new InvalidArgumentError(`${name} must be a number ≥ 0.`);
    return value;
  };
}

interface TrainFlags {
  a: string;
  b: string;
  model: 'cyclegan';
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
}

export function registerTrain(program: Command): void {
  program
    .command('train')
    .description('train a CycleGAN on two folders of images (domain A and domain B)')
    .requiredOption('--a <dir>', 'folder of domain A images')
    .requiredOption('--b <dir>', 'folder of domain B images')
    .addOption(
      new Option('--model <model>', 'the model (CoGAN arrives with its own issue)')
        .choices(['cyclegan'])
        .default('cyclegan'),
    )
    .addOption(
      new Option('--preset <preset>', PRESET_NAMES.map((p) => `${p}: ${PRESETS[p].summary}`).join('; '))
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
    .action(async (flags: TrainFlags) => {
      const half = flags.epochs === undefined ? undefined : Math.floor(flags.epochs / 2);
      const config = buildCycleGanConfig(flags.preset, {
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
        loadSize: flags.loadSize ?? (flags.cropSize ? Math.round(flags.cropSize * 1.12) : undefined),
        flip: flags.flip,
        seed: flags.seed,
        previewEvery: flags.previewEvery,
      });
      const host = createHost({
        kind: 'cli',
        home: resolveWorkspaceRoot(flags.home),
        backend: flags.backend ?? forcedBackendFromEnv(),
        probeAtStart: false,
      });
      try {
        const handle = await startTraining({ host, launch: host.launchEngine, config, name: flags.name });
        if (!flags.json) process.stderr.write(`Run ${handle.runId} (${flags.preset}) in ${handle.runDir}\n`);
        process.exitCode = (await followJob(handle, flags.json)) === 'failed' ? 1 : 0;
      } finally {
        host.close();
      }
    });

  program
    .command('resume')
    .description('continue a stopped, failed or interrupted run exactly from its latest checkpoint')
    .argument('<run>', 'run id (see `diptych runs`)')
    .option('--home <dir>', 'workspace folder (default ~/.diptych)')
    .option('--json', 'print the engine events as JSON lines', false)
    .option('--backend <name>', 'force a TensorFlow.js backend', backendOption)
    .action(async (runId: string, flags: { home?: string; json: boolean; backend?: BackendName }) => {
      const host = createHost({
        kind: 'cli',
        home: resolveWorkspaceRoot(flags.home),
        backend: flags.backend ?? forcedBackendFromEnv(),
        probeAtStart: false,
      });
      try {
        const handle = await resumeTraining(host, host.launchEngine, runId);
        process.exitCode = (await followJob(handle, flags.json)) === 'failed' ? 1 : 0;
      } finally {
        host.close();
      }
    });
}
