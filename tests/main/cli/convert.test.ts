// `diptych convert` as a person uses it: a real CLI process and engine. A bad file among good ones
// is reported and the rest convert; an output folder that is the input is refused before any
// work; Ctrl-C cancels cleanly (no temporary file, only complete outputs) and --skip-existing
// finishes the batch.
import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createHost } from '../../../src/main/host.ts';
import { createRun, runFolder } from '../../../src/main/store/runs.ts';
import { selectBackend } from '../../../src/training/backend/ladder.ts';
import { disposeNetworks } from '../../../src/training/cyclegan/networks.ts';
import { listTree, writeFlat } from '../../training/convert/fixtures.ts';
import { savedTinyCheckpoint } from '../../training/inference/helpers.ts';

const bin = fileURLToPath(new URL('../../../bin/diptych.mjs', import.meta.url));
let root: string;
let home: string;
let runId: string;

beforeAll(async () => {
  await selectBackend('cpu');
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'diptych-cli-convert-'));
  home = path.join(root, 'home');
  const host = createHost({ kind: 'test', home, probeAtStart: false });
  try {
    runId = createRun(host.db, { name: 'cli convert', model: 'cyclegan', config: null });
    const saved = await savedTinyCheckpoint(runFolder(host.workspace, runId), 30);
    disposeNetworks(saved.nets);
  } finally {
    host.close();
  }
});
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

function diptych(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [bin, ...args],
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

describe('diptych convert', () => {
  test('converts the good files, reports the bad one, and exits 2', { timeout: 120_000 }, async () => {
    const inDir = path.join(root, 'mixed');
    await writeFlat(path.join(inDir, 'a.png'), [120, 30, 30], 30, 20);
    await writeFlat(path.join(inDir, 'sub/b.jpg'), [30, 120, 30], 17, 23);
    fs.writeFileSync(path.join(inDir, 'c.png'), 'garbage');
    const outDir = path.join(root, 'mixed-out');
    const result = await diptych([
      'convert',
      '--run',
      runId,
      '--checkpoint',
      '30',
      '--direction',
      'AtoB',
      '--in',
      inDir,
      '--out',
      outDir,
      '--format',
      'jpg',
      '--quality',
      '85',
      '--home',
      home,
      '--json',
    ]);
    expect(result.code).toBe(2);
    const events = lines(result.stdout);
    expect(events.at(-1)).toMatchObject({ type: 'summary', status: 'completed', converted: 2, skipped: 0, failed: 1 });
    expect(events.find((e) => e.type === 'convert-file' && e.status === 'failed')).toMatchObject({ input: 'c.png' });
    expect(listTree(outDir)).toEqual(['a.jpg', 'sub/b.jpg']);
    const meta = await sharp(path.join(outDir, 'sub/b.jpg')).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(['jpeg', 17, 23]);
  });

  test('--engine: ONNX Runtime by default, TensorFlow.js when asked, the same pixels within ±1, a bad name refused', {
    timeout: 120_000,
  }, async () => {
    const inDir = path.join(root, 'engines');
    // A picture with detail: on a flat one every instance norm divides ~0 by √ε, which amplifies
    // float rounding ~300× and no two implementations agree.
    fs.mkdirSync(inDir, { recursive: true });
    const detail = Buffer.alloc(36 * 28 * 3).map((_, i) => (i * 37 + (i % 7) * 19) % 256);
    await sharp(detail, { raw: { width: 36, height: 28, channels: 3 } }).toFile(path.join(inDir, 'a.png'));
    const runs: Record<string, { started: Record<string, unknown> | undefined; stderr: string; pixels: Buffer }> = {};
    for (const engine of ['default', 'tfjs'] as const) {
      const outDir = path.join(root, `engines-${engine}`);
      const result = await diptych([
        'convert',
        '--run',
        runId,
        '--direction',
        'AtoB',
        '--in',
        inDir,
        '--out',
        outDir,
        '--home',
        home,
        ...(engine === 'tfjs' ? ['--engine', 'tfjs'] : []),
      ]);
      expect(result.code, result.stderr).toBe(0);
      const json = await diptych([
        'convert',
        '--run',
        runId,
        '--direction',
        'AtoB',
        '--in',
        inDir,
        '--out',
        `${outDir}-json`,
        '--home',
        home,
        '--json',
        ...(engine === 'tfjs' ? ['--engine', 'tfjs'] : []),
      ]);
      runs[engine] = {
        started: lines(json.stdout).find((e) => e.type === 'convert-started'),
        stderr: result.stderr,
        pixels: await sharp(path.join(outDir, 'a.png')).raw().toBuffer(),
      };
    }
    expect(runs.default?.started).toMatchObject({ engine: 'onnx' });
    expect(runs.default?.stderr).toMatch(/Converting 1 images with step 30 on ONNX Runtime [\d.]+, CPU, \d+ threads?/);
    expect(runs.tfjs?.started).toMatchObject({ engine: 'tfjs' });
    expect(runs.tfjs?.stderr).toMatch(/on TensorFlow\.js \(cpu\)/);
    const [a, b] = [runs.default?.pixels, runs.tfjs?.pixels];
    if (!a || !b) throw new Error('both engines wrote the picture');
    expect(a.length).toBe(b.length);
    expect(Math.max(...a.map((v, i) => Math.abs(v - (b[i] as number))))).toBeLessThanOrEqual(1);
    const bad = await diptych([
      'convert',
      '--run',
      runId,
      '--direction',
      'AtoB',
      '--in',
      inDir,
      '--out',
      `${inDir}-bad`,
      '--home',
      home,
      '--engine',
      'torch',
    ]);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/--engine.*torch.*auto, onnx, tfjs/s);
  });

  test('refuses to write into the input folder, before any work', { timeout: 60_000 }, async () => {
    const inDir = path.join(root, 'same');
    await writeFlat(path.join(inDir, 'a.png'), [1, 2, 3]);
    const result = await diptych([
      'convert',
      '--run',
      runId,
      '--direction',
      'BtoA',
      '--in',
      inDir,
      '--out',
      inDir,
      '--home',
      home,
    ]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/is the input folder/);
    expect(listTree(inDir)).toEqual(['a.png']);
    const badSize = await diptych([
      'convert',
      '--run',
      runId,
      '--direction',
      'BtoA',
      '--in',
      inDir,
      '--out',
      `${inDir}-x`,
      '--size',
      '3',
      '--home',
      home,
    ]);
    expect(badSize.code).not.toBe(0);
    expect(badSize.stderr).toMatch(/full, tiled, or a long side/);
  });

  test('Ctrl-C cancels cleanly; --skip-existing converts the rest', { timeout: 180_000 }, async () => {
    const inDir = path.join(root, 'many');
    for (let i = 0; i < 6; i++) await writeFlat(path.join(inDir, `${i}.png`), [i * 40, 80, 160], 64, 64);
    const outDir = path.join(root, 'many-out');
    const args = [
      'convert',
      '--run',
      runId,
      '--direction',
      'AtoB',
      '--in',
      inDir,
      '--out',
      outDir,
      '--home',
      home,
      '--json',
    ];
    // A 1 MB budget tiles each image into 9 tiles: slow enough to interrupt mid-batch.
    const child = spawn(process.execPath, [bin, ...args, '--memory-budget', '1'], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, DIPTYCH_BACKEND: 'cpu' },
    });
    let stdout = '';
    let interrupted = false;
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (!interrupted && lines(stdout).some((e) => e.type === 'convert-file')) {
        interrupted = true;
        child.kill('SIGINT');
      }
    });
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).toBe(130);
    const summary = lines(stdout).at(-1) as unknown as { status: string; converted: number };
    expect(summary).toMatchObject({ type: 'summary', status: 'stopped' });
    expect(summary.converted).toBeGreaterThanOrEqual(1);
    expect(summary.converted).toBeLessThan(6);
    const written = listTree(outDir);
    expect(written).toHaveLength(summary.converted);
    for (const file of written) expect((await sharp(path.join(outDir, file)).metadata()).width).toBe(64);

    const rest = await diptych([...args, '--skip-existing']);
    expect(rest.code).toBe(0);
    expect(lines(rest.stdout).at(-1)).toMatchObject({
      status: 'completed',
      skipped: summary.converted,
      converted: 6 - summary.converted,
      failed: 0,
    });
    expect(listTree(outDir)).toEqual(['0.png', '1.png', '2.png', '3.png', '4.png', '5.png']);
  });
});
