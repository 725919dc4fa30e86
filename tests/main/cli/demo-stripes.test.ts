// `diptych demo --model cut`'s body (the stripes demo, shared with CycleGAN's), end to end through a
// host and a real engine process, cut to a few steps (whether CUT's demo preset learns is
// tests/training/cut/demo-learning.test.ts's question): the stripes samples in the workspace, a CUT
// run on its demo preset, the enlarged preview grid with CUT's four columns, the loss curves, and the
// truth reports the before/after lines are made of.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, expect, test } from 'vitest';
import { runStripesDemo } from '../../../src/main/cli/commands/demo.ts';
import { createHost } from '../../../src/main/host.ts';
import { getRun } from '../../../src/main/store/runs.ts';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'diptych-demo-cut-'));
const host = createHost({ kind: 'test', home: path.join(root, 'home'), probeAtStart: false });
afterAll(() => {
  host.close();
  fs.rmSync(root, { recursive: true, force: true });
});

test("CUT's demo: the stripes samples, its demo preset, a four-column preview, curves and truth", {
  timeout: 180_000,
}, async () => {
  const result = await runStripesDemo(host, 'cut', { minutes: 3, json: true, steps: 8 });
  if (!result) throw new Error('the demo run failed');
  const stripes = path.join(host.workspace.root, 'samples', 'stripes');
  for (const side of ['A', 'B', 'truth']) expect(fs.readdirSync(path.join(stripes, side))).toHaveLength(64);

  const run = getRun(host.db, host.workspace, result.runId);
  expect(run).toMatchObject({ model: 'cut', status: 'completed', config: { preset: 'demo', netG: 'unet_32' } });
  expect(run.truth.length).toBeGreaterThanOrEqual(2);
  expect(result.previewFile).toBe(path.join(host.workspace.root, 'demo', 'cut-previews.png'));
  // Four 32 px samples down, CUT's four columns (real_A, fake_B, real_B, idt_B) across, at 4×.
  expect(await sharp(result.previewFile as string).metadata()).toMatchObject({ width: 512, height: 512 });
  expect((await sharp(result.lossFile).metadata()).format).toBe('png');
});
