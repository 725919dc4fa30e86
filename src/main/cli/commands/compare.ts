// `diptych compare`: score checkpoints on held-out images of both domains and print a table of
// the numbers per checkpoint, the trivial baselines under them where the ground truth is known,
// and where the grid images are (docs/COMPARE.md).
//   diptych compare --checkpoints RUN:STEP,RUN:latest --a DIR --b DIR [--count N] [--size PX]
//                   [--relation negative|palette] [--truth-a DIR] [--out DIR] [--json] [--home DIR]
import { type Command, InvalidArgumentError, Option } from 'commander';
import type { BackendName } from '../../../shared/basics.ts';
import {
  type BaselineScores,
  type CompareResult,
  type DirectionScores,
  type ImageScores,
  KnownRelation,
} from '../../../shared/compare.ts';
import { directionProblem, MODELS } from '../../../shared/models.ts';
import { BASELINE_NAMES, type BaselineName, baselineLabel } from '../../../shared/truth.ts';
import { DEFAULT_COUNT, MAX_COMPARED } from '../../jobs/compare.ts';
import { compareOverApi, withCliHost } from '../api.ts';
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
const arrow = (direction: 'AtoB' | 'BtoA') => (direction === 'AtoB' ? 'A → B' : 'B → A');

/** Wide enough for "a global colour transfer" and a RUN:STEP label. */
const LABEL = 26;

interface Line {
  label: string;
  pass: string;
  /** Null: blank (a baseline, or a one-way checkpoint's missing round trip). */
  cycle: ImageScores | null;
  /** Undefined: blank (a baseline); null: not measured (—). */
  identityL1: number | null | undefined;
  truth: ImageScores | null;
  /** A checkpoint's margin over the best baseline, or a baseline's mark. */
  last: string;
}

function line(l: Line): string {
  const dash = (present: boolean, text: () => string) => (present ? text() : '—');
  return [
    l.label.padEnd(LABEL),
    l.pass.padEnd(7),
    (l.cycle ? number(l.cycle.l1, 4) : '').padStart(7),
    (l.cycle ? number(l.cycle.psnr, 2) : '').padStart(7),
    (l.cycle ? number(l.cycle.ssim, 3) : '').padStart(6),
    (l.identityL1 === undefined ? '' : dash(l.identityL1 !== null, () => number(l.identityL1 as number, 4))).padStart(
      9,
    ),
    dash(l.truth !== null, () => number((l.truth as ImageScores).l1, 4)).padStart(9),
    dash(l.truth !== null, () => number((l.truth as ImageScores).psnr, 2)).padStart(7),
    dash(l.truth !== null, () => number((l.truth as ImageScores).ssim, 3)).padStart(6),
    l.last.padStart(9),
  ]
    .join(' ')
    .trimEnd();
}

/** The baseline with the highest PSNR: the trivial answer a checkpoint must beat. */
function bestBaseline(scores: BaselineScores): BaselineName {
  return BASELINE_NAMES.reduce((a, b) => (scores[b].psnr > scores[a].psnr ? b : a));
}

function margin(d: DirectionScores, baselines: BaselineScores | null): string {
  if (!d.truth || !baselines) return '';
  const value = d.truth.psnr - baselines[bestBaseline(baselines)].psnr;
  return `${value > 0 ? '+' : value < 0 ? '-' : '±'}${number(Math.abs(value), 2)}`;
}

/** The numbers of a comparison as a plain-text table, the baselines under the checkpoints. */
export function formatCompareTable(result: CompareResult): string {
  const head = [
    `${''.padEnd(LABEL)} ${''.padEnd(7)} ${'cycle reconstruction'.padEnd(22)} ${'identity'.padStart(9)} ${'to ground truth'.padStart(24)}`,
    `${'checkpoint'.padEnd(LABEL)} ${'pass'.padEnd(7)} ${'L1'.padStart(7)} ${'PSNR'.padStart(7)} ${'SSIM'.padStart(6)} ${'L1'.padStart(9)} ${'L1'.padStart(9)} ${'PSNR'.padStart(7)} ${'SSIM'.padStart(6)} ${'vs best'.padStart(9)}`,
  ];
  const body = result.checkpoints.flatMap((c) => {
    const lines = (['AtoB', 'BtoA'] as const).map((direction, i) => {
      const label = i === 0 ? `${c.label}${c.cached ? ' (cached)' : ''}` : '';
      const d = c.scores[direction];
      // A one-way checkpoint (CUT) has no B → A: the row says so instead of numbers.
      if (!d)
        return `${label.padEnd(LABEL)} ${(direction === 'AtoB' ? 'A→B' : 'B→A').padEnd(7)} — (one way: ${MODELS[c.scores.model].directions.map(arrow).join(', ')} only)`;
      return line({
        label,
        // Without a way back the pass is the translation alone, and the cycle columns are blank.
        pass: d.cycle ? (direction === 'AtoB' ? 'A→B→A' : 'B→A→B') : direction === 'AtoB' ? 'A→B' : 'B→A',
        cycle: d.cycle,
        identityL1: d.identityL1,
        truth: d.truth,
        last: margin(d, result.baselines[direction]),
      });
    });
    if (c.scores.agreement)
      lines.push(
        `${''.padEnd(LABEL)} pixel agreement ${number(c.scores.agreement.agreement, 3)} (chance ${number(c.scores.agreement.chance, 3)}, κ ${number(c.scores.agreement.kappa, 3)})`,
      );
    return lines;
  });
  const baselines = (['AtoB', 'BtoA'] as const).flatMap((direction) => {
    const scores = result.baselines[direction];
    if (!scores) return [];
    const best = bestBaseline(scores);
    return BASELINE_NAMES.map((name) =>
      line({
        label: baselineLabel(name, direction),
        pass: direction === 'AtoB' ? 'A→B' : 'B→A',
        cycle: null,
        identityL1: undefined,
        truth: scores[name],
        last: name === best ? 'to beat' : '',
      }),
    );
  });
  const counts = `${result.images.A.length} A and ${result.images.B.length} B images at ${result.size}×${result.size} px (image set ${result.imageSet})`;
  // Each one-way model in the comparison, in words, once.
  const oneWay = [...new Set(result.checkpoints.map((c) => c.scores.model))].flatMap((model) => {
    const problem = directionProblem(model, 'BtoA') ?? directionProblem(model, 'AtoB');
    return problem ? [`${problem} Its cycle columns are blank: there is no way back.`] : [];
  });
  return [
    ...head,
    ...body,
    ...(baselines.length > 0
      ? ['baselines: trivial answers, no model involved (a checkpoint should beat the best)', ...baselines]
      : []),
    '',
    counts,
    'L1 and PSNR/SSIM on [0, 1] pixels; PSNR in dB, capped at 100 for identical images; — where not measured.',
    ...oneWay,
    ...(baselines.length > 0
      ? [
          "vs best: a checkpoint's PSNR to the ground truth minus the best baseline's (dB); above 0 it beats every trivial answer.",
        ]
      : []),
    `grids (input, ${result.truth.A ? 'ground truth, ' : ''}then each checkpoint's translation and reconstruction${oneWay.length > 0 ? ', blank where a one-way checkpoint has none' : ''}): ${result.gridsDir}`,
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
      await withCliHost(flags, async (host) => {
        const progress = createProgress('comparing', !flags.json && process.stderr.isTTY === true);
        const result = await compareOverApi(
          host,
          {
            checkpoints: flags.checkpoints,
            a: flags.a,
            b: flags.b,
            count: flags.count,
            size: flags.size,
            relation: flags.relation,
            truthA: flags.truthA,
            out: flags.out,
          },
          (event) => progress.update(event.done, event.total),
        );
        process.stdout.write(flags.json ? `${JSON.stringify(result, null, 2)}\n` : `${formatCompareTable(result)}\n`);
      });
    });
}
