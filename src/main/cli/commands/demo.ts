// The main job on the bundled sample data. Today: generate the stripes domains, scan them and
// report the backend the engine would train on. Issue 4 makes it train `quick` on them.
import path from 'node:path';
import type { Command } from 'commander';
import type { BackendName } from '../../../shared/contract.ts';
import { scanDataset } from '../../datasets/scan.ts';
import { forkEngine } from '../../engine/launcher.ts';
import { probeBackend } from '../../engine/probe.ts';
import { forcedBackendFromEnv } from '../../host.ts';
import { writeSamples } from '../../samples.ts';
import { openWorkspace, resolveWorkspaceRoot } from '../../workspace.ts';
import { backendOption } from '../options.ts';
import { createProgress } from '../progress.ts';

export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description('the main job on the bundled sample data (stripes: shapes → striped shapes)')
    .option('--home <dir>', 'workspace folder (default ~/.diptych)')
    .option('--backend <name>', 'force a TensorFlow.js backend', backendOption)
    .action(async (options: { home?: string; backend?: BackendName }) => {
      const workspace = openWorkspace(resolveWorkspaceRoot(options.home));
      const out = path.join(workspace.root, 'samples', 'stripes');
      const backend = probeBackend(forkEngine, options.backend ?? forcedBackendFromEnv());
      const folders = await writeSamples({
        out,
        kind: 'stripes',
        count: 64,
        size: 64,
        seed: 1,
        onProgress: createProgress('samples').update,
      });
      for (const [role, folder] of [
        ['A', folders.a],
        ['B', folders.b],
      ] as const) {
        const scan = await scanDataset(folder);
        const sizes = scan.sizeRange
          ? `${scan.sizeRange.min.join('×')} to ${scan.sizeRange.max.join('×')}`
          : 'no readable images';
        process.stdout.write(
          `Domain ${role}: ${scan.images.length} images in ${folder} (${sizes}, ${scan.problems.length} problems, fingerprint ${scan.fingerprint})\n`,
        );
      }
      const info = await backend;
      process.stdout.write(`Engine backend: ${info.name} ${info.version} on ${info.device}\n`);
      for (const fallback of info.fallbacks)
        process.stdout.write(`  (${fallback.name} not used: ${fallback.reason})\n`);
      process.stdout.write(
        'Training on these domains arrives with issue 4 (CycleGAN); the domains and their ground truth are ready.\n',
      );
    });
}
