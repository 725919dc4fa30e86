// `diptych runs`: the run history of a workspace, as a table or as JSON.
//   diptych runs [--json] [--home DIR]
//   diptych runs show RUN [--json] [--home DIR]
import type { Command } from 'commander';
import type { RunDetail, RunSummary } from '../../../shared/contract.ts';
import { call, withCliHost } from '../api.ts';

function losses(values: Record<string, number | null>): string {
  const parts = Object.entries(values).map(
    ([name, value]) => `${name} ${value === null ? 'NaN' : value.toPrecision(4)}`,
  );
  return parts.length ? parts.join('  ') : '—';
}

function printList(runs: RunSummary[]): void {
  if (runs.length === 0) {
    process.stdout.write('No runs yet.\n');
    return;
  }
  for (const run of runs) {
    process.stdout.write(
      `${run.id}  ${run.status.padEnd(11)}  ${run.model.padEnd(8)}  ${run.createdAt}  step ${run.lastStep ?? '—'}  ${run.name}\n` +
        `    ${losses(run.lastLosses)}\n`,
    );
  }
}

function printDetail(run: RunDetail): void {
  const out: string[] = [
    `${run.name} (${run.id})`,
    `  model ${run.model}, status ${run.status}${run.error ? ` — ${run.error}` : ''}`,
    `  backend ${run.backend ?? '—'} on ${run.device ?? '—'}`,
    `  created ${run.createdAt}, started ${run.startedAt ?? '—'}, finished ${run.finishedAt ?? '—'}`,
    `  folder ${run.folder}`,
  ];
  if (run.status === 'interrupted')
    out.push(run.resumeStep === null ? '  no checkpoint to resume from' : `  can resume from step ${run.resumeStep}`);
  for (const role of ['A', 'B'] as const) {
    const dataset = run.datasets[role];
    if (dataset)
      out.push(
        `  domain ${role}: ${dataset.path} (${dataset.fileCount} files, fingerprint ${dataset.fingerprint})${dataset.exists ? '' : ' — folder missing'}`,
      );
  }
  out.push(`  last step ${run.lastStep ?? '—'}: ${losses(run.lastLosses)}`);
  out.push(`  checkpoints: ${run.checkpoints.length === 0 ? 'none' : ''}`);
  for (const c of run.checkpoints)
    out.push(`    step ${c.step} (epoch ${c.epoch}) ${c.path} ${c.exists ? `${c.sizeBytes} bytes` : '— MISSING'}`);
  if (run.conversions.length) out.push(`  conversions: ${run.conversions.length}`);
  for (const c of run.conversions)
    out.push(
      `    ${c.direction} step ${c.checkpointStep}: ${c.inputPath} → ${c.outputPath}, ${c.converted}/${c.total}, ${c.failed} failed, ${c.status}`,
    );
  if (run.tags.length) out.push(`  tags: ${run.tags.join(', ')}`);
  for (const note of run.notes) out.push(`  note (${note.createdAt}): ${note.body}`);
  process.stdout.write(`${out.join('\n')}\n`);
}

export function registerRuns(program: Command): void {
  const runs = program
    .command('runs')
    .description('list the runs of a workspace, newest first, with their status and last losses')
    .option('--json', 'print JSON', false)
    .option('--home <dir>', 'workspace folder (default ~/.diptych)')
    .action(async (options: { json: boolean; home?: string }) => {
      const list = await withCliHost(options, (host) => call(host, 'runs:list', {}));
      if (options.json) process.stdout.write(`${JSON.stringify(list, null, 2)}\n`);
      else printList(list);
    });
  runs
    .command('show <run>')
    .description('one run with its checkpoints (and whether their files exist) and the last value of each loss')
    .option('--json', 'print JSON', false)
    .option('--home <dir>', 'workspace folder (default ~/.diptych)')
    .action(async (id: string, options: { json: boolean; home?: string }, command: Command) => {
      // --home/--json given before `show` belong to the parent command.
      const parent = command.parent?.opts<{ json: boolean; home?: string }>() ?? { json: false };
      const home = options.home ?? parent.home;
      const json = options.json || parent.json;
      const detail = await withCliHost({ home }, (host) => call(host, 'runs:get', { id }));
      if (json) process.stdout.write(`${JSON.stringify(detail, null, 2)}\n`);
      else printDetail(detail);
    });
}
