// The `diptych` command line (bin/diptych.mjs starts it under Node 24).
import { Command, CommanderError } from 'commander';
import packageJson from '../../../package.json' with { type: 'json' };
import { registerCompare } from './commands/compare.ts';
import { registerConvert } from './commands/convert.ts';
import { registerDemo } from './commands/demo.ts';
import { registerExport } from './commands/export.ts';
import { registerRuns } from './commands/runs.ts';
import { registerSamples } from './commands/samples.ts';
import { registerServe } from './commands/serve.ts';
import { registerTrain } from './commands/train.ts';

const program = new Command()
  .name('diptych')
  .description('Diptych: unpaired image-to-image translation (CycleGAN, CoGAN) on your own folders of images')
  .version(packageJson.version)
  .exitOverride();

registerSamples(program);
registerServe(program);
registerTrain(program);
registerDemo(program);
registerRuns(program);
registerCompare(program);
registerConvert(program);
registerExport(program);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) process.exit(error.exitCode);
  process.stderr.write(`diptych: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
