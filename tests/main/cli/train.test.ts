// `diptych train` and `diptych resume` as a person uses them: a real CLI process, a real engine
// process, Ctrl-C (SIGINT) for a clean stop with a checkpoint, then an exact continuation.
import { execFile, spawn } from 'node:child_process';
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
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'diptych-cli-train-'));
  home = path.join(root, 'home');
  data = await writeSamples({ out: path.join(root, 'palette'), kind: 'palette', count: 8, size: 16, seed: 3 });
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

const tiny16 = ['--preset', 'tiny', '--crop-size', '16', '--load-size', '18', '--preview-every', '1000'];

describe('diptych train', () => {
  test('Ctrl-C stops after a step with a checkpoint; resume continues to the end', { timeout: 180_000 }, async () => {
    const child = spawn(
      process.execPath,
      [bin, 'train', '--a', data.a, '--b', data.b, ...tiny16, '--steps', '40', '--home', home, '--json'],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    let interrupted = false;
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      // Interrupt once the third step has been reported.
      if (!interrupted && events(stdout).filter((e) => e.type === 'metrics').length >= 3) {
        interrupted = true;
        child.kill('SIGINT');
      }
    });
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).toBe(0);
    const first = events(stdout);
    const finished = first.find((e) => e.type === 'finished');
    expect(finished).toMatchObject({ status: 'stopped' });
    const stoppedAt = finished?.step as number;
    expect(stoppedAt).toBeGreaterThanOrEqual(3);
    expect(stoppedAt).toBeLessThan(40);
    const runId = finished?.runId as string;
    expect(first.find((e) => e.type === 'checkpoint')).toMatchObject({ step: stoppedAt });

    const shown = await diptych(['runs', 'show', runId, '--json', '--home', home]);
    const detail = JSON.parse(shown.stdout) as {
      status: string;
      checkpoints: { step: number; exists: boolean }[];
      lastStep: number;
    };
    expect(detail.status).toBe('stopped');
    expect(detail.checkpoints.map((c) => c.step)).toContain(stoppedAt);
    expect(detail.lastStep).toBe(stoppedAt);

    const resumed = await diptych(['resume', runId, '--json', '--home', home]);
    expect(resumed.code).toBe(0);
    const second = events(resumed.stdout);
    expect(second.find((e) => e.type === 'started')).toMatchObject({ startStep: stoppedAt, totalSteps: 40 });
    // The checkpoint's own steps come first, replayed (nothing is lost if a host died before storing them).
    expect(second.filter((e) => e.type === 'metrics' && !e.replayed).map((e) => e.step)).toEqual(
      Array.from({ length: 40 - stoppedAt }, (_, i) => stoppedAt + i + 1),
    );
    const replayed = second.filter((e) => e.type === 'metrics' && e.replayed).map((e) => Number(e.step));
    expect(replayed.every((step) => step <= stoppedAt)).toBe(true);
    expect(second.find((e) => e.type === 'finished')).toMatchObject({ status: 'completed', step: 40 });
    const after = JSON.parse((await diptych(['runs', 'show', runId, '--json', '--home', home])).stdout) as {
      status: string;
      lastStep: number;
    };
    expect(after).toMatchObject({ status: 'completed', lastStep: 40 });
  });

  test('an empty or missing folder is a clear error before any engine starts', async () => {
    const empty = fs.mkdtempSync(path.join(root, 'empty-'));
    const result = await diptych(['train', '--a', empty, '--b', data.b, ...tiny16, '--steps', '2', '--home', home]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`Domain A (${empty}) cannot be trained on: it holds no images`);
    const missing = await diptych([
      'train',
      '--a',
      data.a,
      '--b',
      path.join(root, 'nope'),
      ...tiny16,
      '--steps',
      '2',
      '--home',
      home,
    ]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain(`The folder ${path.join(root, 'nope')} does not exist.`);
  });

  test('invalid options are refused with the reason', async () => {
    const result = await diptych([
      'train',
      '--a',
      data.a,
      '--b',
      data.b,
      '--preset',
      'tiny',
      '--crop-size',
      '30',
      '--home',
      home,
    ]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('cropSize must be a multiple of 4');
  });

  test('CoGAN options on a CycleGAN run, and empty numbers, are refused with the reason', async () => {
    const base = ['train', '--a', data.a, '--b', data.b, '--preset', 'tiny', '--home', home];
    const cogan = await diptych([...base, '--z-dim', '8', '--relation', 'negative']);
    expect(cogan.code).toBe(1);
    expect(cogan.stderr).toContain('--z-dim, --relation are CoGAN options; add --model cogan');
    for (const flag of ['--seed', '--pool-size', '--lambda-identity']) {
      const empty = await diptych([...base, flag, '']);
      expect(empty.code, flag).not.toBe(0);
      expect(empty.stderr, flag).toMatch(/must be a (whole )?number/);
    }
  });
});
