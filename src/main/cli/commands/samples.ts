import { type Command, Option } from 'commander';
import { SAMPLE_KIND_HELP, SAMPLE_KINDS, type SampleKind } from '../../../../resources/samples/kinds.ts';
import { writeSamples } from '../../samples.ts';
import { wholeNumber } from '../options.ts';
import { createProgress } from '../progress.ts';

export function registerSamples(program: Command): void {
  program
    .command('samples')
    .description('write a pair of sample domains with a known ground truth: DIR/A, DIR/B and DIR/truth')
    .requiredOption('--out <dir>', 'folder to write into')
    .addOption(
      new Option(
        '--kind <kind>',
        Object.entries(SAMPLE_KIND_HELP)
          .map(([k, v]) => `${k}: ${v}`)
          .join('; '),
      )
        .choices(SAMPLE_KINDS)
        .default('stripes'),
    )
    .option('--count <n>', 'images per domain', wholeNumber('--count', 1, 100_000), 64)
    .option('--size <px>', 'image side in pixels', wholeNumber('--size', 8, 4096), 64)
    .option('--seed <s>', 'random seed: the same seed writes the same files', wholeNumber('--seed', 0, 2 ** 32 - 1), 1)
    .option('--force', 'replace existing files that differ', false)
    .option('--json', 'print the result as JSON', false)
    .action(
      async (options: {
        out: string;
        kind: SampleKind;
        count: number;
        size: number;
        seed: number;
        force: boolean;
        json: boolean;
      }) => {
        const progress = createProgress(`samples ${options.kind}`, !options.json && process.stderr.isTTY === true);
        const result = await writeSamples({ ...options, onProgress: progress.update });
        if (options.json) process.stdout.write(`${JSON.stringify(result)}\n`);
        else {
          process.stdout.write(
            `Wrote ${options.count} ${options.kind} samples per domain (${result.written} files new, ${result.unchanged} unchanged):\n`,
          );
          process.stdout.write(`  A:     ${result.a}\n  B:     ${result.b}\n  truth: ${result.truth}\n`);
        }
      },
    );
}
