// `diptych compare`: score checkpoints on held-out images of both domains and print a table of
// the numbers per checkpoint, with where the grid images are (docs/COMPARE.md).
//   diptych compare --checkpoints RUN:STEP,RUN:latest --a DIR --b DIR [--count N] [--size PX]
//                   [--relation negative|palette] [--truth-a DIR] [--out DIR] [--json] [--home DIR]
import { type Command, InvalidArgumentError, Option } from 'commander';
import { type CompareResult, type DirectionScores, KnownRelation } from '../../../shared/compare.ts';
import type { BackendName } from '../../../shared/contract.ts';
import { createHost, forcedBackendFromEnv } from '../../host.ts';
import { DEFAULT_COUNT, MAX_COMPARED, startCompare } from '../../jobs/compare.ts';
import { resolveWorkspaceRoot } from '../../workspace.ts';
import { backendOption, wholeNumber } from '../options.ts';
import { createProgress } from '../progress.ts';

/** "RUN:STEP,RUN:latest" (a bare RUN means its latest checkpoint). */
export function parseCheckpointList(raw: string): { runId: string; step: number | 'latest' }[] {
  const items = raw
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
  if (items.length === 0 || items.length > MAX_COMPARED)
    throw new InvalidArgumentError(`name 1 to ${MAX_COMPARED} checkpoints as RUN:STEP, separated by commas.`);
  return items.map((item) => {
    const at = item.lastIndexOf(':');
    const runId = at < 0 ? item : item.slice(0, at);
    const stepText = at < 0 ? 'latest' : item.slice(at + 1);
    if (!/^[A-Za-z0-9_-]{1,64}$/.test(runId)) throw new InvalidArgumentError(`"${item}": ${runId} is not a run id.`);
    if (stepText === 'latest') return { runId, step: 'latest' as const };
    const step = Number(stepText);
    if (!/^\d+$/.test(stepText) || !Number.isSafeInteger(step))
      throw new InvalidArgumentError(`"${item}": the step must be a whole number or "latest".`);
    return { runId, step };
  });
}

const number = (value: number, digits: number) => value.toFixed(digits);

function rows(label: string, scores: DirectionScores[]): string[] {
  return scores.map((d, i) =>
    [
      (i === 0 ? label : '').padEnd(22),
      (d.direction === 'AtoB' ? 'A→B→A' : 'B→A→B').padEnd(7),
      number(d.cycle.l1, 4).padStart(7),
      number(d.cycle.psnr, 2).padStart(7),
      number(d.cycle.ssim, 3).padStart(6),
      (d.identityL1 === null ? '—' : number(d.identityL1, 4)).padStart(9),
      (d.truth ? number(d.truth.l1, 4) : '—').padStart(9),
      (d.truth ? number(d.truth.psnr, 2) : '—').padStart(7),
      (d.truth ? number(d.truth.ssim, 3) : '—').padStart(6),
    ].join(' '),
  );
}

/** The numbers of a comparison as a plain-text table. */
export function formatCompareTable(result: CompareResult): string {
  const head = [
    `${''.padEnd(22)} ${''.padEnd(7)} ${'cycle reconstruction'.padEnd(22)} ${'identity'.padStart(9)} ${'to ground truth'.padStart(24)}`,
    `${'checkpoint'.padEnd(22)} ${'pass'.padEnd(7)} ${'L1'.padStart(7)} ${'PSNR'.padStart(7)} ${'SSIM'.padStart(6)} ${'L1'.padStart(9)} ${'L1'.padStart(9)} ${'PSNR'.padStart(7)} ${'SSIM'.padStart(6)}`,
  ];
  const body = result.checkpoints.flatMap((c) => {
    const lines = rows(`${c.label}${c.cached ? ' (cached)' : ''}`, [c.scores.AtoB, c.scores.BtoA]);
    if (c.scores.agreement)
      lines.push(
        `${''.padEnd(22)} pixel agreement ${number(c.scores.agreement.agreement, 3)} (chance ${number(c.scores.agreement.chance, 3)}, κ ${number(c.scores.agreement.kappa, 3)})`,
      );
    return lines;
  });
  const counts = `${result.images.A.length} A and ${result.images.B.length} B images at ${result.size}×${result.size} px (image set ${result.imageSet})`;
  return [
    ...head,
    ...body,
    '',
    counts,
    'L1 and PSNR/SSIM on [0, 1] pixels; PSNR in dB, capped at 100 for identical images; — where not measured.',
    `grids (input, ${result.truth.A ? 'ground truth, ' : ''}then each checkpoint's translation and reconstruction): ${result.gridsDir}`,
  ].join('\n');
}

interface CompareFlags {
  checkpoints: { runId: string; step: number | 'latest' }[];
  a: string;
  b: string;
  count: number;
  size?: number;
  relation?: KnownRelation;
  truthA?: string;
  out?: string;
  json: boolean;
  home?: string;
  backend?: BackendName;
}

export function registerCompare(program: Command): void {
  program
    .command('compare')
    .description('score checkpoints on held-out images of both domains: cycle L1/PSNR/SSIM, identity, ground truth')
    .requiredOption('--checkpoints <list>', 'RUN:STEP,RUN:STEP (1 to 4; STEP may be "latest")', parseCheckpointList)
    .requiredOption('--a <dir>', 'held-out images of domain A')
    .requiredOption('--b <dir>', 'held-out images of domain B')
    .option(
      '--count <n>',
      `images sampled from each folder, evenly spread`,
      wholeNumber('--count', 1, 64),
      DEFAULT_COUNT,
    )
    .option(
      '--size <px>',
      'side the images are compared at (default: the training size)',
      wholeNumber('--size', 16, 1024),
    )
    .addOption(
      new Option('--relation <kind>', 'the known per-pixel relation B = f(A), for the ground truth').choices(
        KnownRelation.options,
      ),
    )
    .option('--truth-a <dir>', "a folder of domain A's ground truth (same file names)")
    .option('--out <dir>', 'where the grid images and compare.json go (default: in the workspace)')
    .option('--json', 'print the result as JSON', false)
    .option('--home <dir>', 'workspace folder (default ~/.diptych)')
    .option('--backend <name>', 'force a TensorFlow.js backend', backendOption)
    .action(async (flags: CompareFlags) => {
      const host = createHost({
        kind: 'cli',
        home: resolveWorkspaceRoot(flags.home),
        backend: flags.backend ?? forcedBackendFromEnv(),
        probeAtStart: false,
      });
      try {
        const handle = await startCompare(host, host.launchEngine, {
          checkpoints: flags.checkpoints,
          a: flags.a,
          b: flags.b,
          count: flags.count,
          size: flags.size,
          relation: flags.relation,
          truthA: flags.truthA,
          out: flags.out,
        });
        const progress = createProgress('comparing', !flags.json && process.stderr.isTTY === true);
        handle.onEvent((event) => {
          if (event.type === 'progress') progress.update(event.done, event.total);
        });
        const result = await handle.done;
        process.stdout.write(flags.json ? `${JSON.stringify(result, null, 2)}\n` : `${formatCompareTable(result)}\n`);
      } finally {
        host.close();
      }
    });
}
