// `diptych convert` with a CoGAN run and loose files, as a person uses it: a real CLI process and
// engine (so the CoGAN loader must be registered in the convert job). `--in` given twice takes
// two files from different folders; the outputs land flat at the model's size and each file's
// reconstruction error is in the JSON. Tiling a CoGAN, and a folder mixed with files, are refused.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createHost } from '../../../src/main/host.ts';
import { createRun, runFolder } from '../../../src/main/store/runs.ts';
import { checkpointDir } from '../../../src/node/checkpoint/latest.ts';
import { buildCoGanConfig } from '../../../src/shared/run-config.ts';
import { selectBackend } from '../../../src/training/backend/ladder.ts';
import { saveCheckpoint } from '../../../src/training/checkpoint/index.ts';
import { coganNetworksForConfig, coganStores } from '../../../src/training/cogan/networks.ts';
import { disposeParams } from '../../../src/training/nn/params.ts';
import { listTree, writeFlat } from '../../training/convert/fixtures.ts';

const bin = fileURLToPath(new URL('../../../bin/diptych.mjs', import.meta.url));
let root: string;
let home: string;
let runId: string;

beforeAll(async () => {
  await selectBackend('cpu');
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'diptych-cli-convert-cogan-'));
  home = path.join(root, 'home');
  const host = createHost({ kind: 'test', home, probeAtStart: false });
  const config = buildCoGanConfig('tiny', { dataA: '/a', dataB: '/b', ngf: 8, ndf: 8, zDim: 8 });
  const nets = coganNetworksForConfig(config);
  try {
    runId = createRun(host.db, { name: 'cli convert cogan', model: 'cogan', config: null });
    await saveCheckpoint(checkpointDir(runFolder(host.workspace, runId), 5), {
      format: 1,
      model: 'cogan',
      step: 5,
      epoch: 0,
      config,
      networks: coganStores(nets),
      optimizers: {},
    });
  } finally {
    for (const store of Object.values(coganStores(nets))) disposeParams(store);
    tf.disposeVariables();
    host.close();
  }
});
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

function diptych(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [bin, 'convert', '--run', runId, '--checkpoint', '5', '--direction', 'BtoA', '--home', home, ...args],
      { encoding: 'utf8', timeout: 120_000, env: { ...process.env, DIPTYCH_BACKEND: 'cpu' } },
      (error, stdout, stderr) =>
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr }),
    );
  });
}

const lines = (stdout: string) =>
  stdout
    .trim()
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as { type: string; [key: string]: unknown });

describe('diptych convert with a CoGAN run and loose files', () => {
  test('converts two files into one flat folder at the model’s size, with their errors', {
    timeout: 120_000,
  }, async () => {
    const first = path.join(root, 'x', 'photo.png');
    const second = path.join(root, 'y', 'photo.jpg');
    await writeFlat(first, [200, 40, 40], 50, 30);
    await writeFlat(second, [40, 40, 200], 24, 60);
    const outDir = path.join(root, 'out');
    const result = await diptych(['--in', first, '--in', second, '--out', outDir, '--inversion-steps', '10', '--json']);
    expect(result.stderr).not.toMatch(/failed/);
    expect(result.code).toBe(0);
    const events = lines(result.stdout);
    expect(events.at(-1)).toMatchObject({ type: 'summary', status: 'completed', converted: 2, failed: 0 });
    expect(listTree(outDir)).toEqual(['photo.jpg.png', 'photo.png.png']);
    for (const name of listTree(outDir)) {
      const meta = await sharp(path.join(outDir, name)).metadata();
      expect([meta.width, meta.height]).toEqual([32, 32]);
    }
    const files = events.filter((e) => e.type === 'convert-file');
    expect(files.map((e) => e.input)).toEqual([fs.realpathSync(first), fs.realpathSync(second)]);
    for (const file of files) {
      expect(typeof file.reconstructionError).toBe('number');
      expect(file.reconstructionError as number).toBeGreaterThan(0);
      expect(file.reconstructionError as number).toBeLessThan(1);
    }
    expect(events.some((e) => e.type === 'convert-tile' && e.unit === 'inversion steps')).toBe(true);
  });

  test('refuses to tile a CoGAN, and a folder given with a file, before any work', { timeout: 60_000 }, async () => {
    const file = path.join(root, 'z', 'a.png');
    await writeFlat(file, [1, 2, 3]);
    const tiled = await diptych(['--in', file, '--out', path.join(root, 'tiled'), '--size', 'tiled']);
    expect(tiled.code).toBe(1);
    expect(tiled.stderr).toMatch(/cannot tile/);
    expect(fs.existsSync(path.join(root, 'tiled'))).toBe(false);
    const mixed = await diptych(['--in', path.join(root, 'x'), '--in', file, '--out', path.join(root, 'mixed')]);
    expect(mixed.code).toBe(1);
    expect(mixed.stderr).toMatch(/folders and files together/);
  });
});
