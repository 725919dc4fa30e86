// `diptych convert`: a folder of photos, or loose image files, through one checkpoint of a run,
// headless.

import fs from 'node:fs';
import { type Command, InvalidArgumentError, Option } from 'commander';
import { parseShard } from '../../../node/convert/shard.ts';
import { type BackendName, DIRECTIONS, type Direction } from '../../../shared/basics.ts';
import {
  CONVERSION_ENGINES,
  CONVERT_FORMATS,
  type ConversionEngine,
  type ConvertShard,
  type ConvertSize,
  MAX_FIT_SIDE,
} from '../../../shared/convert.ts';
import { convertOverApi, withCliHost } from '../api.ts';
import { exitCodeOf, followConvert } from '../follow-convert.ts';
import { backendOption, wholeNumber } from '../options.ts';

export function sizeOption(raw: string): ConvertSize {
  if (raw === 'full' || raw === 'tiled') return raw;
  const px = Number(raw);
  if (!Number.isInteger(px) || px < 8 || px > MAX_FIT_SIDE)
    throw new InvalidArgumentError(`use full, tiled, or a long side in px from 8 to ${MAX_FIT_SIDE}.`);
  return px;
}

export function checkpointOption(raw: string): number | 'latest' {
  if (raw === 'latest') return raw;
  const step = Number(raw);
  if (!Number.isInteger(step) || step < 0) throw new InvalidArgumentError('use a step number or latest.');
  return step;
}

/** `--in` given once or more: one folder, or image files (any number); never a mix. */
export function convertInputs(given: readonly string[]): { inDir: string } | { files: string[] } {
  if (given.length === 0) throw new Error('give --in a folder or an image file.');
  const folders = given.filter((entry) => fs.statSync(entry, { throwIfNoEntry: false })?.isDirectory() === true);
  if (folders.length === 0) return { files: [...given] };
  if (given.length === 1) return { inDir: given[0] as string };
  throw new Error(
    `--in takes one folder, or any number of image files, not ${folders.length === given.length ? 'several folders' : 'folders and files together'} (${folders.join(', ')}).`,
  );
}

const collect = (value: string, previous: string[]) => [...previous, value];

interface ConvertFlags {
  run: string;
  checkpoint: number | 'latest';
  direction: Direction;
  in: string[];
  out: string;
  size: ConvertSize;
  format: (typeof CONVERT_FORMATS)[number];
  quality: number;
  skipExisting: boolean;
  engine: ConversionEngine;
  shard?: ConvertShard;
  inversionSteps?: number;
  memoryBudget?: number;
  json: boolean;
  home?: string;
  backend?: BackendName;
}

function shardOption(raw: string): ConvertShard {
  const shard = parseShard(raw);
  if (typeof shard === 'string') throw new InvalidArgumentError(shard);
  return shard;
}

export function registerConvert(program: Command): void {
  program
    .command('convert')
    .description('translate a folder of images (subfolders kept), or image files, with a checkpoint of a run')
    .requiredOption('--run <run>', 'run id (see `diptych runs`)')
    .option('--checkpoint <step>', 'checkpoint step, or latest', checkpointOption, 'latest' as const)
    .addOption(
      new Option('--direction <direction>', 'AtoB (domain A made to look like B) or BtoA')
        .choices(DIRECTIONS)
        .makeOptionMandatory(),
    )
    .requiredOption(
      '--in <path>',
      'folder of images to convert, or an image file (repeat for more files; outputs go flat into --out); never written to',
      collect,
      [] as string[],
    )
    .requiredOption('--out <dir>', 'folder for the results: not the input folder, not inside it, not around it')
    .option(
      '--size <size>',
      'full (own resolution, tiled when too big for memory), tiled (always), or PX (long side)',
      sizeOption,
      'full' as const,
    )
    .addOption(new Option('--format <format>', 'output format').choices(CONVERT_FORMATS).default('png'))
    .option('--quality <q>', 'jpg/webp quality, 1–100', wholeNumber('--quality', 1, 100), 90)
    .option('--skip-existing', 'leave outputs that exist (resumes a cancelled batch)', false)
    .addOption(
      new Option(
        '--engine <engine>',
        'what runs the network: auto (ONNX Runtime where it can run this checkpoint, else TensorFlow.js), onnx or tfjs',
      )
        .choices(CONVERSION_ENGINES)
        .default('auto'),
    )
    .option(
      '--shard <I/N>',
      "convert only this worker's part of the folder: worker I (from 0) of N, a stable split of the sorted inputs (docs/CONVERT.md, At scale)",
      shardOption,
    )
    .option(
      '--inversion-steps <n>',
      'CoGAN checkpoints: latent inversion steps per image (default 200; more fit closer, slower)',
      wholeNumber('--inversion-steps', 1, 10_000),
    )
    .option(
      '--memory-budget <mb>',
      'MB one translation may use before tiling (default: by backend)',
      wholeNumber('--memory-budget', 1, 1_000_000),
    )
    .option('--json', 'print the events and a summary as JSON lines', false)
    .option('--home <dir>', 'workspace folder (default ~/.diptych)')
    .option('--backend <name>', 'force a TensorFlow.js backend (the tfjs engine, and a CoGAN)', backendOption)
    .action(async (flags: ConvertFlags) => {
      await withCliHost(flags, async (host) => {
        const handle = await convertOverApi(host, {
          runId: flags.run,
          step: flags.checkpoint,
          direction: flags.direction,
          ...convertInputs(flags.in),
          outDir: flags.out,
          size: flags.size,
          format: flags.format,
          quality: flags.quality,
          skipExisting: flags.skipExisting,
          engine: flags.engine,
          ...(flags.shard ? { shard: flags.shard } : {}),
          inversionSteps: flags.inversionSteps,
          memoryBudgetMb: flags.memoryBudget,
        });
        process.exitCode = exitCodeOf(await followConvert(handle, flags.json));
      });
    });
}
