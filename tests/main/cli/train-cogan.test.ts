// `diptych train --model cogan` as a person uses it: a real CLI process and engine process on the
// sample domains (whose relation it recognises, so the agreement is measured), then `runs show`.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { writeSamples } from '../../../src/main/samples.ts';

const bin = fileURLToPath(new URL('../../../bin/diptych.mjs', import.meta.url));
let root: string;
let home: string;
let data: { a: string; b: string };

beforeAll(async () => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'diptych-cli-cogan-'));
  home = path.join(root, 'home');
  data = await writeSamples({ out: path.join(root, 'negative'), kind: 'negative', count: 8, size: 32, seed: 3 });
});
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

function diptych(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [bin, ...args], { encoding: 'utf8', timeout: 120_000 }, (error, stdout, stderr) =>
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr }),
    );
  });
}

const events = (stdout: string) =>
  stdout
    .trim()
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as { type: string; [key: string]: unknown });

describe('diptych train --model cogan', () => {
  test('trains, measures the agreement of the sample domains, and shows in runs show', {
    timeout: 180_000,
  }, async () => {
    const run = await diptych([
      'train',
      '--model',
      'cogan',
      '--a',
      data.a,
      '--b',
      data.b,
      '--preset',
      'tiny',
      '--batch-size',
      '4',
      '--steps',
      '4',
      '--preview-every',
      '2',
      '--home',
      home,
      '--json',
    ]);
    expect(run.stderr).not.toMatch(/Error/);
    expect(run.code).toBe(0);
    const all = events(run.stdout);
    const finished = all.find((e) => e.type === 'finished');
    expect(finished).toMatchObject({ status: 'completed', step: 4 });
    const losses = all.filter((e) => e.type === 'metrics').map((e) => e.losses as Record<string, number>);
    expect(losses.filter((l) => 'D_A' in l)).toHaveLength(4);
    expect(Object.keys(losses.find((l) => 'D_A' in l) ?? {}).sort()).toEqual(['D_A', 'D_B', 'G_A', 'G_B']);
    // The folders are recognised as the negative sample domains: agreement at step 0 and at the end.
    const agreements = all.filter((e) => e.type === 'metrics' && 'agreement' in (e.losses as object));
    expect(agreements.map((e) => e.step)).toEqual([0, 4]);
    const previews = all.filter((e) => e.type === 'preview').map((e) => e.path as string);
    expect(previews).toHaveLength(3);
    for (const file of previews) expect(fs.existsSync(file)).toBe(true);

    const runId = finished?.runId as string;
    const config = JSON.parse(fs.readFileSync(path.join(home, 'runs', runId, 'config.json'), 'utf8')) as Record<
      string,
      unknown
    >;
    expect(config).toMatchObject({ model: 'cogan', relation: 'negative', batchSize: 4, cropSize: 32 });

    const shown = await diptych(['runs', 'show', runId, '--json', '--home', home]);
    const detail = JSON.parse(shown.stdout) as {
      model: string;
      status: string;
      checkpoints: { step: number; exists: boolean }[];
      lastStep: number;
      lastLosses: Record<string, number>;
    };
    expect(detail).toMatchObject({ model: 'cogan', status: 'completed', lastStep: 4 });
    expect(detail.checkpoints.at(-1)).toMatchObject({ step: 4, exists: true });
    expect(Object.keys(detail.lastLosses)).toEqual(expect.arrayContaining(['D_A', 'G_B', 'agreement']));
    const text = await diptych(['runs', 'show', runId, '--home', home]);
    expect(text.stdout).toMatch(/model cogan, status completed/);
  });

  test.each([
    [['--preset', 'paper'], /CoGAN's presets are tiny, quick, standard/],
    [['--preset', 'tiny', '--pool-size', '3'], /--pool-size is a CycleGAN option/],
    [['--preset', 'tiny', '--crop-size', '48'], /32, 64 or 128 px/],
  ])('refuses %j with a message', { timeout: 60_000 }, async (flags, message) => {
    const run = await diptych(['train', '--model', 'cogan', '--a', data.a, '--b', data.b, ...flags, '--home', home]);
    expect(run.code).not.toBe(0);
    expect(run.stderr).toMatch(message);
  });
});
