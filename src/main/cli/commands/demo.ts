// The main job on the bundled sample data: generate the `stripes` domains (flat shapes → the
// same shapes with stripes), train the `quick` CycleGAN on them for a few minutes, and leave a
// preview grid (A → B → A, B → A → B) and the loss curves as PNGs in the workspace.
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import type { BackendName } from '../../../shared/contract.ts';
import { buildCycleGanConfig } from '../../../shared/run-config.ts';
import { createHost, forcedBackendFromEnv } from '../../host.ts';
import { startTraining } from '../../jobs/training.ts';
import { renderLossChartPng } from '../../reports/loss-chart.ts';
import { writeSamples } from '../../samples.ts';
import { listPreviews } from '../../store/artifacts.ts';
import { readSeries } from '../../store/metrics.ts';
import { resolveWorkspaceRoot } from '../../workspace.ts';
import { followJob } from '../follow-job.ts';
import { backendOption, wholeNumber } from '../options.ts';

export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description('the main job on the bundled sample data: train a quick CycleGAN on shapes → striped shapes')
    .option('--home <dir>', 'workspace folder (default ~/.diptych)')
    .option('--minutes <m>', 'how long to train', wholeNumber('--minutes', 1, 600), 3)
    .option('--backend <name>', 'force a TensorFlow.js backend', backendOption)
    .option('--json', 'print the engine events as JSON lines', false)
    .action(async (options: { home?: string; minutes: number; backend?: BackendName; json: boolean }) => {
      const host = createHost({
        kind: 'cli',
        home: resolveWorkspaceRoot(options.home),
        backend: options.backend ?? forcedBackendFromEnv(),
        probeAtStart: false,
      });
      try {
        const samples = await writeSamples({
          out: path.join(host.workspace.root, 'samples', 'stripes'),
          kind: 'stripes',
          count: 64,
          size: 64,
          seed: 1,
        });
        process.stderr.write(`Sample domains: A ${samples.a}, B ${samples.b} (ground truth ${samples.truth})\n`);
        const config = buildCycleGanConfig('quick', { dataA: samples.a, dataB: samples.b, previewEvery: 10 });
        const handle = await startTraining({
          host,
          launch: host.launchEngine,
          config,
          name: 'Demo: shapes ↔ striped shapes',
        });
        process.stderr.write(
          `Training the quick CycleGAN for ${options.minutes} minutes (run ${handle.runId}); Ctrl-C stops early.\n`,
        );
        const timer = setTimeout(() => handle.stop(), options.minutes * 60_000);
        const outcome = await followJob(handle, options.json);
        clearTimeout(timer);
        if (outcome === 'failed') {
          process.exitCode = 1;
          return;
        }
        const outDir = path.join(host.workspace.root, 'demo');
        await fs.mkdir(outDir, { recursive: true });
        const previews = listPreviews(host.db, host.workspace, handle.runId);
        const last = previews.at(-1);
        const previewFile = path.join(outDir, 'previews.png');
        if (last) await fs.copyFile(last.path, previewFile);
        host.metrics.flush();
        const lossFile = path.join(outDir, 'losses.png');
        await renderLossChartPng(
          readSeries(host.db, handle.runId),
          `CycleGAN on shapes ↔ striped shapes (run ${handle.runId})`,
          lossFile,
        );
        process.stdout.write(
          [
            `Preview grid (columns: real_A, fake_B, rec_A, real_B, fake_A, rec_B) at step ${last?.step ?? '—'}: ${previewFile}`,
            `Loss curves: ${lossFile}`,
            `Every preview and checkpoint: ${handle.runDir}`,
            '',
          ].join('\n'),
        );
      } finally {
        host.close();
      }
    });
}
