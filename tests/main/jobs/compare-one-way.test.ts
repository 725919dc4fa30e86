// A one-way checkpoint (CUT: A → B only) compared beside a CycleGAN through the host (issue 16):
// A → B rows for both, B → A for the CycleGAN only, blank grid cells where the CUT has no tile,
// the cache read back, and the CLI table saying "one way" instead of numbers. The engine is a fake
// in this process, as tests/main/jobs/compare.test.ts fakes a failing one: it runs the real compare
// job (src/training/compare/engine-job.ts) with checkpoints opened as known translators (a perfect
// `negative` map), so every number is known and no model code is needed to translate.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { formatCompareTable } from '../../../src/main/cli/commands/compare.ts';
import type { EngineLauncher } from '../../../src/main/engine/launcher.ts';
import { createHost, type Host } from '../../../src/main/host.ts';
import { startCompare } from '../../../src/main/jobs/compare.ts';
import { writeSamples } from '../../../src/main/samples.ts';
import { createRun, runFolder } from '../../../src/main/store/runs.ts';
import { checkpointDir, writeLatest } from '../../../src/node/checkpoint/latest.ts';
import type { CompareEvent, CompareJob } from '../../../src/shared/compare.ts';
import type { EngineToHost } from '../../../src/shared/engine-protocol.ts';
import type { ModelName } from '../../../src/shared/models.ts';
import { selectBackend } from '../../../src/training/backend/ladder.ts';
import { runCompareJob } from '../../../src/training/compare/engine-job.ts';

// Every checkpoint opens as the perfect `negative` translator of its model: a CUT one refuses B → A
// as a one-way generator would (there is none to run).
vi.mock('../../../src/training/inference/load.ts', async () => {
  const tf = await import('@tensorflow/tfjs-core');
  const { readCheckpointManifest } = await import('../../../src/node/checkpoint/manifest.ts');
  return {
    loadTranslator: async (dir: string) => {
      const manifest = await readCheckpointManifest(dir);
      return {
        model: manifest.model,
        step: manifest.step,
        config: manifest.config,
        sizeMultiple: 4,
        tileable: true,
        translate: async (image: import('@tensorflow/tfjs-core').Tensor4D, direction: string) => {
          if (manifest.model === 'cut' && direction !== 'AtoB') throw new Error('a CUT checkpoint has no B → A');
          return tf.tidy(() => tf.neg(image));
        },
        dispose: () => {},
      };
    },
  };
});

let root: string;
let host: Host;
let data: { a: string; b: string; truth: string };
let cycleRun: string;
let cutRun: string;
const jobs: CompareJob[] = [];

/** A checkpoint folder holding a manifest and no weights: the fake engine needs no more. */
async function fakeCheckpoint(runDir: string, model: ModelName, step: number) {
  const dir = checkpointDir(runDir, step);
  fs.mkdirSync(dir, { recursive: true });
  const manifest = {
    format: 1,
    model,
    step,
    epoch: 0,
    config: { model, netG: 'resnet_6blocks', cropSize: 16 },
    savedAt: new Date(2025, 0, 1, 0, 0, step).toISOString(),
    byteOrder: 'little',
    weightsBytes: 0,
    tensors: {},
    networks: {},
    optimizers: {},
    pools: {},
    extra: {},
  };
  fs.writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify(manifest));
  fs.writeFileSync(path.join(dir, 'weights.bin'), '');
  await writeLatest(runDir, { step, path: dir });
}

/** An engine in this process: answers `ready`, runs the compare job, exits 0 (or 1 with `fatal`). */
const inProcess: EngineLauncher = () => {
  const listeners: { message: ((m: EngineToHost) => void)[]; exit: ((code: number | null) => void)[] } = {
    message: [],
    exit: [],
  };
  const post = (message: EngineToHost) => {
    for (const l of listeners.message) l(message);
  };
  const exit = (code: number) => {
    for (const l of listeners.exit) l(code);
  };
  setImmediate(() => post({ type: 'ready', pid: process.pid }));
  return {
    pid: process.pid,
    send: (message) => {
      if (message.type !== 'compare') return;
      jobs.push(message.job);
      runCompareJob(message.job, post).then(
        () => exit(0),
        (error: unknown) => {
          post({ type: 'fatal', message: error instanceof Error ? error.message : String(error) });
          exit(1);
        },
      );
    },
    onMessage: (l) => listeners.message.push(l),
    onExit: (l) => listeners.exit.push(l),
    kill: () => {},
  };
};

beforeAll(async () => {
  await selectBackend('cpu');
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'diptych-compare-one-way-'));
  host = createHost({ kind: 'test', home: path.join(root, 'home'), probeAtStart: false, backend: 'cpu' });
  data = await writeSamples({
    out: path.join(root, 'samples', 'negative'),
    kind: 'negative',
    count: 3,
    size: 16,
    seed: 3,
  });
  cycleRun = createRun(host.db, { name: 'both ways', model: 'cyclegan', config: { model: 'cyclegan' } });
  // Compare reads the model from the checkpoint's manifest, not the run's record (whose table does
  // not take 'cut' yet: src/main/store/migrations.ts).
  cutRun = createRun(host.db, { name: 'one way', model: 'cyclegan', config: { model: 'cut' } });
  await fakeCheckpoint(runFolder(host.workspace, cycleRun), 'cyclegan', 10);
  await fakeCheckpoint(runFolder(host.workspace, cutRun), 'cut', 20);
});
afterAll(() => {
  host.close();
  fs.rmSync(root, { recursive: true, force: true });
});

/** The RGB pixel at the centre of cell `cell` of a grid row of `size` px tiles, 2 px apart. */
async function cellCentre(file: string, cell: number, size: number): Promise<number[]> {
  const { data: pixels, info } = await sharp(file).raw().toBuffer({ resolveWithObject: true });
  const x = cell * (size + 2) + size / 2;
  const at = (size / 2) * info.width * info.channels + x * info.channels;
  return [...pixels.subarray(at, at + 3)];
}

describe('a CycleGAN beside a one-way CUT checkpoint', () => {
  it('gives both their A → B rows, B → A to the CycleGAN only, and blank cells for what CUT has not', {
    timeout: 120_000,
  }, async () => {
    const options = {
      checkpoints: [
        { runId: cycleRun, step: 10 },
        { runId: cutRun, step: 'latest' as const },
      ],
      a: data.a,
      b: data.b,
      count: 3,
    };
    const handle = await startCompare({ ...host, launch: inProcess }, options);
    const events: CompareEvent[] = [];
    handle.onEvent((event) => events.push(event));
    const result = await handle.done;
    expect(jobs).toHaveLength(1);
    expect(result.size).toBe(16);
    const [cycle, cut] = result.checkpoints;
    expect(cycle?.scores.model).toBe('cyclegan');
    expect(cut?.scores.model).toBe('cut');
    expect(cut?.label).toBe(`${cutRun}:20`);

    // A → B for both: the perfect negative scores 100 dB against the truth; CycleGAN round-trips too.
    expect(cycle?.scores.AtoB.truth?.psnr).toBe(100);
    expect(cut?.scores.AtoB.truth?.psnr).toBe(100);
    expect(cycle?.scores.AtoB.cycle).toEqual({ l1: 0, psnr: 100, ssim: 1 });
    expect(cut?.scores.AtoB.cycle).toBeNull();
    expect(cut?.scores.AtoB.reconstructed).toEqual([]);
    expect(cut?.scores.AtoB.translated).toHaveLength(3);
    // The identity pass is CUT's as well as CycleGAN's.
    expect(cut?.scores.AtoB.identityL1).toBeGreaterThan(0);
    expect(cut?.scores.AtoB.identityL1).toBeCloseTo(cycle?.scores.AtoB.identityL1 as number, 6);
    // B → A for the CycleGAN only.
    expect(cycle?.scores.BtoA?.truth?.psnr).toBe(100);
    expect(cycle?.scores.BtoA?.reconstructed).toHaveLength(3);
    expect(cut?.scores.BtoA).toBeNull();

    // Progress: CUT's total is its A images and its identity pass on the B images, and it ends there.
    const cutProgress = events.filter(
      (e): e is Extract<CompareEvent, { type: 'progress' }> => e.type === 'progress' && e.checkpoint === cut?.label,
    );
    expect(cutProgress.at(-1)).toMatchObject({ done: 6, total: 6 });
    const cycleProgress = events.filter((e) => e.type === 'progress' && e.checkpoint === cycle?.label);
    expect(cycleProgress.at(-1)).toMatchObject({ done: 12, total: 12 });

    // Grids: input, truth, then two cells per checkpoint on every row, CUT's blank where it has no tile.
    const white = [255, 255, 255];
    for (const domain of ['A', 'B'] as const) {
      expect(result.grids[domain]).toHaveLength(3);
      const meta = await sharp(result.grids[domain][0] as string).metadata();
      expect([meta.width, meta.height]).toEqual([6 * 16 + 5 * 2, 16]);
    }
    const rowA = result.grids.A[0] as string;
    // A → B: CUT's translation (cell 4) is a picture, its reconstruction (cell 5) blank.
    expect(await cellCentre(rowA, 4, 16)).not.toEqual(white);
    expect(await cellCentre(rowA, 5, 16)).toEqual(white);
    expect(await cellCentre(rowA, 3, 16)).toEqual(await cellCentre(rowA, 0, 16));
    const rowB = result.grids.B[0] as string;
    expect(await cellCentre(rowB, 2, 16)).not.toEqual(white);
    expect(await cellCentre(rowB, 4, 16)).toEqual(white);
    expect(await cellCentre(rowB, 5, 16)).toEqual(white);
    const saved = JSON.parse(fs.readFileSync(path.join(result.gridsDir, 'compare.json'), 'utf8'));
    expect(saved.checkpoints[1].scores.BtoA).toBeNull();

    // Again: both come from the cache (CUT's entry has no B → A tiles to miss), no engine started.
    const again = await (await startCompare({ ...host, launch: inProcess }, options)).done;
    expect(jobs).toHaveLength(1);
    expect(again.checkpoints.map((c) => c.cached)).toEqual([true, true]);
    expect(again.checkpoints[1]?.scores).toEqual(cut?.scores);

    // The CLI's table: CUT's A → B row without cycle numbers, its B → A row in words.
    const lines = formatCompareTable(again).split('\n');
    const cutRow = lines.findIndex((line) => line.startsWith(`${cutRun}:20 (cached)`));
    expect(cutRow).toBeGreaterThan(0);
    const cutAtoB = lines[cutRow] as string;
    expect(cutAtoB.slice(26).trimStart().startsWith('A→B ')).toBe(true);
    expect(cutAtoB).not.toContain('A→B→A');
    // Pass, blank cycle columns, identity, then the truth's L1 / PSNR / SSIM and the margin.
    expect(cutAtoB.split(/\s+/).slice(2)).toEqual([
      'A→B',
      Number(cut?.scores.AtoB.identityL1).toFixed(4),
      '0.0000',
      '100.00',
      '1.000',
      expect.stringMatching(/^\+/),
    ]);
    expect(lines[cutRow + 1]).toMatch(/^\s+B→A\s+— \(one way: A → B only\)$/);
    const cycleRow = lines.findIndex((line) => line.startsWith(`${cycleRun}:10 (cached)`));
    expect(lines[cycleRow]).toContain('A→B→A');
    expect(lines[cycleRow + 1]).toContain('B→A→B');
    expect(lines).toContain(
      'CUT translates one way only, A → B: it trains no B → A generator. Train a CycleGAN for both directions. Its cycle columns are blank: there is no way back.',
    );
    expect(lines.at(-1)).toContain('blank where a one-way checkpoint has none');
  });
});
