// `diptych demo --model cogan`'s body, end to end through a host and a real engine process, cut to
// a few steps (whether it couples is tests/training/cogan/demo-learning.test.ts's question): it
// writes the negative samples into the workspace, trains the tiny preset, and leaves the last pair
// preview, enlarged, and the κ it measured.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, expect, test } from 'vitest';
import { runCoganDemo } from '../../../src/main/cli/commands/demo-cogan.ts';
import { createHost } from '../../../src/main/host.ts';
import { getRun } from '../../../src/main/store/runs.ts';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'diptych-demo-cogan-'));
const host = createHost({ kind: 'test', home: path.join(root, 'home'), probeAtStart: false });
afterAll(() => {
  host.close();
  fs.rmSync(root, { recursive: true, force: true });
});

test('samples, a tiny CoGAN run, the enlarged pair preview and κ', { timeout: 180_000 }, async () => {
  const result = await runCoganDemo(host, { minutes: 3, json: true, steps: 16 });
  const negatives = path.join(host.workspace.root, 'samples', 'negative');
  for (const side of ['A', 'B', 'truth']) expect(fs.readdirSync(path.join(negatives, side))).toHaveLength(256);

  expect(getRun(host.db, host.workspace, result.runId)).toMatchObject({ model: 'cogan', status: 'completed' });
  expect(typeof result.kappa).toBe('number');
  expect(result.previewFile).toBe(path.join(host.workspace.root, 'demo', 'cogan-previews.png'));
  // Eight 32 px pairs, four to a row, at 4×.
  expect(await sharp(result.previewFile as string).metadata()).toMatchObject({ width: 1024, height: 256 });
});
