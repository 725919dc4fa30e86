// runs:list carries what the runs list shows besides the run's own row: a couple of images of
// each domain folder (servable by the media route) and the epoch of the last recorded step.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EngineLauncher } from '../../src/main/engine/launcher.ts';
import { createHost, type Host } from '../../src/main/host.ts';
import { recordDataset } from '../../src/main/store/artifacts.ts';
import { createRun } from '../../src/main/store/runs.ts';
import { RunSummary } from '../../src/shared/contract.ts';

let home: string;
let data: string;
let host: Host;
const noEngine: EngineLauncher = () => {
  throw new Error('no engine in this test');
};

beforeEach(() => {
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'diptych-home-'));
  data = fs.mkdtempSync(path.join(os.tmpdir(), 'diptych-data-'));
  host = createHost({ kind: 'test', home, launchEngine: noEngine, probeAtStart: false });
});
afterEach(() => {
  host.close();
  fs.rmSync(home, { recursive: true, force: true });
  fs.rmSync(data, { recursive: true, force: true });
});

/** A folder holding the given files (contents do not matter: nothing decodes them here). */
function folder(name: string, files: string[]): string {
  const dir = path.join(data, name);
  for (const file of files) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), 'x');
  }
  return dir;
}

function runOn(id: string, a: string, b: string): void {
  const dataset = (folderPath: string, role: 'A' | 'B') =>
    recordDataset(host.db, { path: folderPath, role, fileCount: 3, fingerprint: 'f', problems: [] });
  createRun(host.db, {
    id,
    name: id,
    model: 'cyclegan',
    config: {},
    datasetA: dataset(a, 'A'),
    datasetB: dataset(b, 'B'),
  });
}

async function list(): Promise<RunSummary[]> {
  const result = await host.dispatch('runs:list', {});
  if (!result.ok) throw new Error(result.error.message);
  return RunSummary.array().parse(result.value);
}

describe('runs:list', () => {
  it('gives the first two showable images of each domain folder, each servable by the media route', async () => {
    const a = folder('horses', ['notes.txt', '.hidden.png', 'c.jpg', 'b.png', 'a.tif', 'd.webp']);
    const b = folder('zebras', ['z9.jpeg']);
    runOn('r1', a, b);
    const [run] = await list();
    expect(run?.thumbnails).toEqual({
      A: [path.join(a, 'b.png'), path.join(a, 'c.jpg')],
      B: [path.join(b, 'z9.jpeg')],
    });
    for (const file of [...(run?.thumbnails.A ?? []), ...(run?.thumbnails.B ?? [])])
      expect(host.media.resolve(file)).toBe(fs.realpathSync(file));
  });

  it('looks into subfolders when the folder holds no images itself', async () => {
    const a = folder('classes', ['cats/2.png', 'cats/1.png', 'dogs/0.png']);
    runOn('r1', a, a);
    expect((await list())[0]?.thumbnails.A).toEqual([path.join(a, 'cats', '1.png'), path.join(a, 'cats', '2.png')]);
  });

  it('follows a folder that changed, and gives none for a folder that vanished', async () => {
    const a = folder('a', ['5.png', '6.png']);
    const b = folder('b', ['1.png']);
    runOn('r1', a, b);
    expect((await list())[0]?.thumbnails.A).toEqual([path.join(a, '5.png'), path.join(a, '6.png')]);
    fs.writeFileSync(path.join(a, '0.png'), 'x');
    fs.rmSync(b, { recursive: true });
    expect((await list())[0]?.thumbnails).toEqual({ A: [path.join(a, '0.png'), path.join(a, '5.png')], B: [] });
  });

  it('gives none for a run whose dataset folders were never there or never recorded', async () => {
    runOn('moved', path.join(data, 'gone-a'), path.join(data, 'gone-b'));
    createRun(host.db, { id: 'bare', name: 'bare', model: 'cogan', config: {} });
    const runs = await list();
    expect(Object.fromEntries(runs.map((run) => [run.id, run.thumbnails]))).toEqual({
      moved: { A: [], B: [] },
      bare: { A: [], B: [] },
    });
  });

  it('reports the epoch of the last recorded step (null before any)', async () => {
    createRun(host.db, { id: 'r1', name: 'r1', model: 'cyclegan', config: {} });
    expect((await list())[0]).toMatchObject({ lastStep: null, epoch: null });
    host.metrics.write({ runId: 'r1', step: 10, epoch: 0, losses: { G_A: 1 } });
    host.metrics.write({ runId: 'r1', step: 25, epoch: 2, losses: { G_A: 0.5, D_A: 0.3 } });
    host.metrics.write({ runId: 'r1', step: 30, epoch: 3, losses: { D_A: 0.2 } });
    host.metrics.flush();
    expect((await list())[0]).toMatchObject({ lastStep: 30, epoch: 3 });
  });
});
