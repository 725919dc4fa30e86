// Converting through the host API: a refused request writes nothing and records nothing; a real
// batch runs in an engine process, pushes its events, and leaves a complete record (converted,
// failed with reasons, the checkpoint's step) whose outputs are what the checkpoint computes.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { createHost } from '../../src/main/host.ts';
import { createRun, runFolder } from '../../src/main/store/runs.ts';
import type { HostEvent } from '../../src/shared/contract.ts';
import { selectBackend } from '../../src/training/backend/ladder.ts';
import { decodeForConversion, encodeImage } from '../../src/training/convert/image-io.ts';
import { disposeNetworks } from '../../src/training/cyclegan/networks.ts';
import { loadTranslator, translateImage } from '../../src/training/inference/index.ts';
import { writeFlat } from '../training/convert/fixtures.ts';
import { savedTinyCheckpoint } from '../training/inference/helpers.ts';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'diptych-host-convert-'));
const host = createHost({ kind: 'test', home: path.join(root, 'home'), probeAtStart: false, backend: 'cpu' });
let runId: string;
let checkpointDir: string;

beforeAll(async () => {
  await selectBackend('cpu');
  runId = createRun(host.db, { name: 'convert test', model: 'cyclegan', config: null });
  const saved = await savedTinyCheckpoint(runFolder(host.workspace, runId), 42);
  disposeNetworks(saved.nets);
  checkpointDir = saved.dir;
});

afterAll(() => {
  host.close();
  fs.rmSync(root, { recursive: true, force: true });
});

async function call(channel: string, request: unknown) {
  const result = await host.dispatch(channel, request);
  if (!result.ok) throw new Error(result.error.message);
  return result.value as Record<string, unknown>;
}

test('a refused request writes nothing and records nothing', async () => {
  const inDir = path.join(root, 'refused');
  await writeFlat(path.join(inDir, 'a.png'), [1, 2, 3]);
  await expect(
    call('convert:start', { runId, step: 'latest', direction: 'AtoB', inDir, outDir: inDir }),
  ).rejects.toThrow(/is the input folder/);
  await expect(
    call('convert:start', { runId, step: 7, direction: 'AtoB', inDir, outDir: path.join(root, 'x') }),
  ).rejects.toThrow(/no checkpoint at step 7/);
  const bad = await host.dispatch('convert:start', {
    runId,
    step: 'latest',
    direction: 'sideways',
    inDir,
    outDir: 'y',
  });
  expect(bad.ok).toBe(false);
  // Loose files are checked like the folder: each must exist and be an image; their folder is no output.
  const file = path.join(inDir, 'a.png');
  const loose = { runId, step: 'latest', direction: 'AtoB' };
  await expect(call('convert:start', { ...loose, files: [file], outDir: inDir })).rejects.toThrow(
    /is the folder of the input/,
  );
  await expect(
    call('convert:start', { ...loose, files: [file, path.join(inDir, 'gone.png')], outDir: path.join(root, 'z') }),
  ).rejects.toThrow(/does not exist/);
  await expect(call('convert:start', { ...loose, inDir, files: [file], outDir: path.join(root, 'z') })).rejects.toThrow(
    /not both/,
  );
  expect((await host.dispatch('convert:start', { ...loose, files: [], outDir: path.join(root, 'z') })).ok).toBe(false);
  expect(fs.existsSync(path.join(root, 'z'))).toBe(false);
  expect(await call('convert:list', { runId })).toEqual([]);
  expect(fs.readdirSync(inDir)).toEqual(['a.png']);
  expect(await call('convert:cancel', { conversionId: 999 })).toEqual({ conversionId: 999, cancelled: false });
});

test('a batch runs in an engine, pushes events and is recorded', { timeout: 120_000 }, async () => {
  const inDir = path.join(root, 'photos');
  await writeFlat(path.join(inDir, 'one.png'), [200, 40, 40], 24, 16);
  await writeFlat(path.join(inDir, 'nested/two.png'), [40, 200, 40], 13, 9);
  fs.writeFileSync(path.join(inDir, 'broken.png'), 'not a png');
  const outDir = path.join(root, 'converted');
  const events: HostEvent[] = [];
  const finished = new Promise<void>((resolve) =>
    host.events.subscribe((event) => {
      events.push(event);
      if (
        event.type === 'convert' &&
        (event.event.type === 'convert-finished' || event.event.type === 'convert-failed')
      )
        resolve();
    }),
  );
  const started = await call('convert:start', {
    runId,
    step: 'latest',
    direction: 'BtoA',
    inDir,
    outDir,
    format: 'png',
  });
  expect(started).toMatchObject({ step: 42, total: 3 });
  await finished;
  // The UI's gallery shows outputs as they land: the new output folder was registered for the media route.
  expect(host.media.resolve(path.join(outDir, 'one.png'))).toBe(fs.realpathSync(path.join(outDir, 'one.png')));
  expect(host.media.resolve(path.join(inDir, '..', 'elsewhere.png'))).toBeNull();
  const kinds = events.flatMap((e) => (e.type === 'convert' ? [e.event.type] : []));
  expect(kinds[0]).toBe('convert-started');
  expect(kinds.filter((k) => k === 'convert-file')).toHaveLength(3);
  expect(kinds.at(-1)).toBe('convert-finished');

  await new Promise((resolve) => setTimeout(resolve, 300));
  const [record] = (await call('convert:list', { runId })) as unknown as Record<string, unknown>[];
  expect(record).toMatchObject({
    id: started.conversionId,
    checkpointStep: 42,
    direction: 'BtoA',
    total: 3,
    converted: 2,
    failed: 1,
    status: 'completed',
    failures: [{ file: 'broken.png', reason: expect.stringMatching(/cannot be read/) }],
  });
  expect(((await call('runs:get', { id: runId })).conversions as unknown[]).length).toBe(1);

  // The engine's output is the checkpoint's G_B on the image, as computed here.
  const translator = await loadTranslator(checkpointDir);
  const input = await decodeForConversion(path.join(inDir, 'nested/two.png'));
  const expected = await encodeImage((await translateImage(translator, input, { direction: 'BtoA' })).image, 'png');
  translator.dispose();
  const ours = await sharp(expected).raw().toBuffer();
  const theirs = await sharp(path.join(outDir, 'nested/two.png')).raw().toBuffer();
  expect(theirs.length).toBe(13 * 9 * 3);
  let worst = 0;
  for (let i = 0; i < ours.length; i++) worst = Math.max(worst, Math.abs((ours[i] as number) - (theirs[i] as number)));
  expect(worst).toBeLessThanOrEqual(1);
});
