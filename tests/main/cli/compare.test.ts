// `diptych compare` and `diptych export` as a person runs them: a real CLI process against a
// workspace holding a run with two checkpoints and a sample set with a known ground truth.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCheckpointList } from '../../../src/main/cli/commands/compare.ts';
import { writeSamples } from '../../../src/main/samples.ts';
import { openRunStore } from '../../../src/main/store/open.ts';
import { createRun, runFolder } from '../../../src/main/store/runs.ts';
import { openWorkspace } from '../../../src/main/workspace.ts';
import { checkpointDir, writeLatest } from '../../../src/node/checkpoint/latest.ts';
import type { CompareResult } from '../../../src/shared/compare.ts';
import { BASELINE_NAMES, baselineLabel } from '../../../src/shared/truth.ts';
import { selectBackend } from '../../../src/training/backend/ladder.ts';
import { saveCheckpoint } from '../../../src/training/checkpoint/index.ts';
import { disposeNetworks, networksForConfig } from '../../../src/training/cyclegan/networks.ts';
import { tinyRunConfig } from '../../training/inference/helpers.ts';

const bin = fileURLToPath(new URL('../../../bin/diptych.mjs', import.meta.url));
let root: string;
let home: string;
let runId: string;
let data: { a: string; b: string };

function diptych(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [bin, ...args, '--home', home],
      { encoding: 'utf8', timeout: 90_000, env: { ...process.env, DIPTYCH_BACKEND: 'cpu' } },
      (error, stdout, stderr) =>
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr }),
    );
  });
}

beforeAll(async () => {
  await selectBackend('cpu');
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'diptych-cli-compare-'));
  home = path.join(root, 'home');
  data = await writeSamples({
    out: path.join(root, 'samples', 'A-to-negative'),
    kind: 'negative',
    count: 3,
    size: 16,
    seed: 2,
  });
  const workspace = openWorkspace(home);
  const { db } = openRunStore(workspace, () => false);
  const config = tinyRunConfig();
  runId = createRun(db, { name: 'cli', model: 'cyclegan', config });
  db.close();
  let seed = 50;
  for (const step of [5, 20]) {
    const nets = networksForConfig(config);
    for (const net of [nets.G_A, nets.G_B])
      for (const variable of net.params.variables.values())
        tf.tidy(() => variable.assign(tf.randomNormal(variable.shape, 0, 0.2, 'float32', seed++)));
    const runDir = runFolder(workspace, runId);
    const dir = checkpointDir(runDir, step);
    await saveCheckpoint(dir, {
      format: 1,
      model: 'cyclegan',
      step,
      epoch: 0,
      config,
      networks: { G_A: nets.G_A.params, G_B: nets.G_B.params },
      optimizers: {},
    });
    await writeLatest(runDir, { step, path: dir });
    disposeNetworks(nets);
  }
});
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

describe('parseCheckpointList', () => {
  it('reads RUN:STEP, RUN:latest and a bare RUN; refuses the rest', () => {
    expect(parseCheckpointList('r1:5, r1:latest,r2')).toEqual([
      { runId: 'r1', step: 5 },
      { runId: 'r1', step: 'latest' },
      { runId: 'r2', step: 'latest' },
    ]);
    expect(() => parseCheckpointList('r1:five')).toThrow(/whole number or "latest"/);
    expect(() => parseCheckpointList('a,b,c,d,e')).toThrow(/1 to 4/);
    expect(() => parseCheckpointList('../x:1')).toThrow(/not a run id/);
  });
});

describe('diptych compare', () => {
  it('prints JSON, then the same numbers from the cache as a table', { timeout: 120_000 }, async () => {
    const out = path.join(root, 'grids');
    const args = ['compare', '--checkpoints', `${runId}:5,${runId}:latest`, '--a', data.a, '--b', data.b];
    const first = await diptych([...args, '--count', '2', '--out', out, '--json']);
    expect(first.code).toBe(0);
    const result = JSON.parse(first.stdout) as CompareResult;
    expect(result.checkpoints.map((c) => [c.step, c.cached])).toEqual([
      [5, false],
      [20, false],
    ]);
    expect(result.gridsDir).toBe(out);
    expect(fs.readdirSync(out).filter((f) => f.endsWith('.png'))).toHaveLength(4);
    // The sample set is `negative`: both directions have a ground truth.
    const truth = result.checkpoints[1]?.scores.BtoA?.truth;
    expect(truth).not.toBeNull();

    const table = await diptych([...args, '--count', '2', '--out', out]);
    expect(table.code).toBe(0);
    const lines = table.stdout.split('\n');
    const row = lines.find((line) => line.startsWith(`${runId}:20 (cached)`));
    expect(row).toBeDefined();
    const second = lines[lines.indexOf(row as string) + 1] as string;
    expect(second).toContain('B→A→B');
    // The table shows the JSON's B→A ground-truth L1 to 4 places.
    expect(second).toContain(Number(truth?.l1).toFixed(4));
    expect(table.stdout).toContain(
      `grids (input, ground truth, then each checkpoint's translation and reconstruction): ${out}`,
    );
    // The baselines of both directions under the checkpoints, in words, with the JSON's numbers;
    // the best of a direction marked, and each checkpoint's margin over it.
    const heading = lines.findIndex((line) => line.startsWith('baselines: trivial answers'));
    expect(heading).toBeGreaterThan(lines.indexOf(second));
    for (const [direction, pass] of [
      ['AtoB', 'A→B'],
      ['BtoA', 'B→A'],
    ] as const) {
      const scores = result.baselines[direction];
      expect(scores).not.toBeNull();
      const best = BASELINE_NAMES.reduce((x, y) => ((scores?.[y].psnr ?? 0) > (scores?.[x].psnr ?? 0) ? y : x));
      for (const name of BASELINE_NAMES) {
        const found = lines.filter(
          (line) => line.startsWith(baselineLabel(name, direction)) && line.includes(` ${pass} `),
        );
        expect(found).toHaveLength(1);
        const cells = (found[0] as string).split(/\s+/);
        expect(cells).toContain(Number(scores?.[name].l1).toFixed(4));
        expect(cells).toContain(Number(scores?.[name].psnr).toFixed(2));
        expect((found[0] as string).endsWith('to beat')).toBe(name === best);
      }
      const gain = (truth?.psnr ?? 0) - (scores?.[best].psnr ?? 0);
      if (direction === 'BtoA')
        expect(second.split(/\s+/).at(-1)).toBe(`${gain > 0 ? '+' : '-'}${Math.abs(gain).toFixed(2)}`);
    }
  });

  it('says what is wrong with a bad checkpoint list or a missing step', async () => {
    const bad = await diptych(['compare', '--checkpoints', `${runId}:x`, '--a', data.a, '--b', data.b]);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/whole number or "latest"/);
    const missing = await diptych(['compare', '--checkpoints', `${runId}:7`, '--a', data.a, '--b', data.b]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/no checkpoint at step 7 \(it has 5, 20\)/);
  });
});

describe('diptych export', () => {
  it('writes model.json, the weights and a README for the chosen step and direction', { timeout: 60_000 }, async () => {
    const out = path.join(root, 'web');
    const done = await diptych(['export', '--run', runId, '--checkpoint', '5', '--direction', 'BtoA', '--out', out]);
    expect(done.code).toBe(0);
    expect(done.stdout).toContain(`Exported G_B (B → A) of ${runId} step 5 to ${out}`);
    expect(fs.readdirSync(out).sort()).toEqual(['README.md', 'generator.weights.bin', 'model.json']);
    const json = JSON.parse(fs.readFileSync(path.join(out, 'model.json'), 'utf8'));
    expect(json.userDefinedMetadata.diptych).toMatchObject({ step: 5, direction: 'BtoA' });
    const refused = await diptych(['export', '--run', runId, '--direction', 'sideways', '--out', out]);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/AtoB, BtoA/);
  });

  it('--format onnx writes model.onnx and a README', { timeout: 60_000 }, async () => {
    const out = path.join(root, 'onnx');
    const args = ['export', '--run', runId, '--checkpoint', '5', '--direction', 'AtoB', '--out', out];
    const done = await diptych([...args, '--format', 'onnx']);
    expect(done.code).toBe(0);
    expect(done.stdout).toContain('[1, 3, H, W] (NCHW)');
    expect(fs.readdirSync(out).sort()).toEqual(['README.md', 'model.onnx']);
    const refused = await diptych([...args, '--format', 'keras']);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/tfjs, onnx/);
  });
});
