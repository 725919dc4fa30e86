// `diptych export`: one generator of a CycleGAN or CUT checkpoint as a TensorFlow.js graph model for
// the web (--format tfjs, the default) or as an ONNX model (--format onnx).
//   diptych export --run RUN [--checkpoint STEP|latest] --direction AtoB|BtoA --out DIR [--format tfjs|onnx] [--json] [--home DIR]
import { type Command, InvalidArgumentError, Option } from 'commander';
import { DIRECTIONS, type Direction, EXPORT_FORMATS, type ExportFormat } from '../../../shared/basics.ts';
import { call, withCliHost } from '../api.ts';

function checkpointOption(raw: string): number | 'latest' {
  if (raw === 'latest') return 'latest';
  const step = Number(raw);
  if (!/^\d+$/.test(raw) || !Number.isSafeInteger(step))
    throw new InvalidArgumentError('use a step (a whole number) or "latest".');
  return step;
}

interface ExportFlags {
  run: string;
  checkpoint: number | 'latest';
  direction: Direction;
  out: string;
  format: ExportFormat;
  json: boolean;
  home?: string;
}

export function registerExport(program: Command): void {
  program
    .command('export')
    .description(
      'export a generator as a TensorFlow.js graph model (model.json + weights + README) for a web page, or as ONNX (model.onnx + README)',
    )
    .requiredOption('--run <run>', 'run id (see `diptych runs`)')
    .option('--checkpoint <step>', 'checkpoint step, or "latest"', checkpointOption, 'latest' as const)
    .addOption(
      new Option('--direction <dir>', 'AtoB exports G_A (A → B), BtoA exports G_B')
        .choices(DIRECTIONS)
        .makeOptionMandatory(),
    )
    .requiredOption('--out <dir>', 'a new or empty folder (or an earlier export) to write into')
    .addOption(
      new Option('--format <format>', 'tfjs: a TensorFlow.js graph model; onnx: an ONNX model (NCHW)')
        .choices(EXPORT_FORMATS)
        .default('tfjs'),
    )
    .option('--json', 'print the result as JSON', false)
    .option('--home <dir>', 'workspace folder (default ~/.diptych)')
    .action(async (flags: ExportFlags) => {
      await withCliHost({ home: flags.home }, async (host) => {
        const result = await call(host, 'checkpoint:export', {
          runId: flags.run,
          step: flags.checkpoint,
          direction: flags.direction,
          out: flags.out,
          format: flags.format,
        });
        if (flags.json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
        else
          process.stdout.write(
            `Exported ${flags.direction === 'AtoB' ? 'G_A (A → B)' : 'G_B (B → A)'} of ${flags.run} step ${result.step} to ${result.folder}\n` +
              `  ${result.files.map((f) => f.slice(result.folder.length + 1)).join(', ')} (${(result.bytes / 1e6).toFixed(2)} MB)\n` +
              `  input ${flags.format === 'onnx' ? '[1, 3, H, W] (NCHW)' : '[1, H, W, 3]'} in [-1, 1], H and W multiples of ${result.sizeMultiple}; see README.md there.\n`,
          );
      });
    });
}
