import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import packageJson from '../../package.json' with { type: 'json' };
import type { EngineHandle, EngineLauncher } from '../../src/main/engine/launcher.ts';
import { createHost, forcedBackendFromEnv, type Host } from '../../src/main/host.ts';
import { AppInfo, RunSummary } from '../../src/shared/contract.ts';

let home: string;
const hosts: Host[] = [];
beforeEach(() => {
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'diptych-home-'));
});
afterEach(() => {
  for (const host of hosts.splice(0)) host.close();
  fs.rmSync(home, { recursive: true, force: true });
});

function host(options: Partial<Parameters<typeof createHost>[0]> = {}): Host {
  const created = createHost({ kind: 'test', home, ...options });
  hosts.push(created);
  return created;
}

/** An engine that exits at once, as a crashing engine would. */
const dyingEngine: EngineLauncher = () => {
  let exitListener: ((code: number | null) => void) | undefined;
  const handle: EngineHandle = {
    pid: 1,
    send: () => {},
    onMessage: () => {},
    onExit: (listener) => {
      exitListener = listener;
      setTimeout(() => exitListener?.(3), 0);
    },
    kill: () => {},
  };
  return handle;
};

describe('createHost', () => {
  it('lays out the workspace in its home', () => {
    const created = host({ launchEngine: dyingEngine });
    expect(created.workspace).toEqual({
      root: home,
      databasePath: path.join(home, 'diptych.db'),
      runsDir: path.join(home, 'runs'),
    });
    expect(fs.statSync(path.join(home, 'runs')).isDirectory()).toBe(true);
    expect(fs.existsSync(path.join(home, 'diptych.db'))).toBe(true);
  });

  it('answers app:info through dispatch with the backend a real engine reports', async () => {
    const result = await host().dispatch('app:info', {});
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const info = AppInfo.parse(result.value);
    expect(info).toMatchObject({
      name: 'Diptych',
      version: packageJson.version,
      host: 'test',
      workspace: home,
      backendError: null,
    });
    expect(info.backend?.name).toBe('wasm');
  });

  it('answers app:info with a forced backend', async () => {
    const result = await host({ backend: 'cpu' }).dispatch('app:info', {});
    expect(result.ok && (result.value as AppInfo).backend?.name).toBe('cpu');
  });

  it('reports an engine that could not answer in app:info instead of failing the request', async () => {
    const result = await host({ launchEngine: dyingEngine }).dispatch('app:info', {});
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const info = AppInfo.parse(result.value);
    expect(info.backend).toBeNull();
    expect(info.backendError).toBe('The engine process exited (code 3) before reporting a backend.');
  });

  it('lists runs from its database, newest first', async () => {
    const created = host({ launchEngine: dyingEngine });
    expect(await created.dispatch('runs:list', {})).toEqual({ ok: true, value: [] });
    const insert = created.db.prepare(
      'INSERT INTO runs (id, name, model, status, config_json, backend, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    );
    insert.run('old', 'first', 'cyclegan', 'completed', '{}', 'wasm', '2025-01-01T00:00:00Z', '2025-01-01T00:00:00Z');
    insert.run('new', 'second', 'cogan', 'running', '{}', null, '2025-06-01T00:00:00Z', '2025-06-01T00:00:00Z');
    const result = await created.dispatch('runs:list', {});
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const runs = RunSummary.array().parse(result.value);
    expect(runs.map((run) => run.id)).toEqual(['new', 'old']);
    expect(runs[1]).toEqual({
      id: 'old',
      name: 'first',
      model: 'cyclegan',
      status: 'completed',
      createdAt: '2025-01-01T00:00:00Z',
      updatedAt: '2025-01-01T00:00:00Z',
      backend: 'wasm',
      lastStep: null,
      lastLosses: {},
      epoch: null,
      thumbnails: { A: [], B: [] },
    });
  });

  it('validates requests at the boundary', async () => {
    const created = host({ launchEngine: dyingEngine });
    expect(await created.dispatch('runs:list', { all: true })).toMatchObject({
      ok: false,
      error: { code: 'bad-request' },
    });
    expect(await created.dispatch('runs:drop', {})).toMatchObject({ ok: false, error: { code: 'unknown-channel' } });
  });

  it('reopens the same workspace with its runs', async () => {
    const first = createHost({ kind: 'test', home, launchEngine: dyingEngine });
    first.db
      .prepare(
        'INSERT INTO runs (id, name, model, status, config_json, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
      )
      .run('kept', 'kept', 'cyclegan', 'stopped', '{}', '2025-01-01', '2025-01-01');
    first.close();
    const result = await host({ launchEngine: dyingEngine }).dispatch('runs:list', {});
    expect(result.ok && (result.value as RunSummary[]).map((run) => run.id)).toEqual(['kept']);
  });

  it('refuses a home it cannot create, naming it', () => {
    const file = path.join(home, 'a-file');
    fs.writeFileSync(file, 'x');
    expect(() => createHost({ kind: 'test', home: path.join(file, 'below'), launchEngine: dyingEngine })).toThrow(
      `Cannot use ${path.join(file, 'below')} as the Diptych workspace`,
    );
  });
});

describe('forcedBackendFromEnv', () => {
  const saved = process.env.DIPTYCH_BACKEND;
  afterEach(() => {
    if (saved === undefined) delete process.env.DIPTYCH_BACKEND;
    else process.env.DIPTYCH_BACKEND = saved;
  });

  it('reads a backend name, nothing, or refuses a wrong one by name', () => {
    delete process.env.DIPTYCH_BACKEND;
    expect(forcedBackendFromEnv()).toBeUndefined();
    process.env.DIPTYCH_BACKEND = 'cpu';
    expect(forcedBackendFromEnv()).toBe('cpu');
    process.env.DIPTYCH_BACKEND = 'cuda';
    expect(() => forcedBackendFromEnv()).toThrow(
      'DIPTYCH_BACKEND=cuda is not a backend; use one of tensorflow-gpu, webgpu, tensorflow, wasm, cpu.',
    );
  });
});

describe('runs channels', () => {
  it('get, rename, tag, note, metrics and delete a run through dispatch, validating every request', async () => {
    const created = host({ launchEngine: dyingEngine });
    const { createRun } = await import('../../src/main/store/runs.ts');
    const id = createRun(created.db, { name: 'first', model: 'cyclegan', config: {} });
    for (let step = 0; step < 5000; step++) created.metrics.write({ runId: id, step, epoch: 0, losses: { G_A: step } });
    fs.mkdirSync(path.join(created.workspace.runsDir, id));

    const series = await created.dispatch('runs:metrics', { id, points: 100 });
    expect(series.ok).toBe(true);
    const [g] = (series.ok ? series.value : []) as { steps: number[]; values: number[]; total: number }[];
    expect(g?.total).toBe(5000);
    expect(g?.steps.length).toBeLessThanOrEqual(100);
    expect(g?.values.at(-1)).toBe(4999);

    expect(await created.dispatch('runs:rename', { id, name: 'better' })).toMatchObject({
      ok: true,
      value: { name: 'better', lastStep: 4999 },
    });
    expect(await created.dispatch('runs:tags', { id, tags: ['b', 'a'] })).toEqual({ ok: true, value: ['a', 'b'] });
    expect(await created.dispatch('runs:note', { id, body: 'hello' })).toMatchObject({
      ok: true,
      value: { body: 'hello' },
    });
    expect(await created.dispatch('runs:get', { id })).toMatchObject({ ok: true, value: { id, tags: ['a', 'b'] } });

    for (const [channel, request] of [
      ['runs:get', { id: '../etc' }],
      ['runs:rename', { id, name: '   ' }],
      ['runs:metrics', { id, points: 5000 }],
      ['runs:metrics', { id, fromStep: 10, toStep: 5 }],
      ['runs:delete', { id, force: true }],
    ] as const)
      expect(await created.dispatch(channel, request), channel).toMatchObject({
        ok: false,
        error: { code: 'bad-request' },
      });
    expect(await created.dispatch('runs:get', { id: 'nope' })).toMatchObject({
      ok: false,
      error: { code: 'failed', message: 'There is no run nope.' },
    });

    expect(await created.dispatch('runs:delete', { id })).toEqual({ ok: true, value: { id, folderRemoved: true } });
    expect(fs.existsSync(path.join(created.workspace.runsDir, id))).toBe(false);
    expect(await created.dispatch('runs:list', {})).toEqual({ ok: true, value: [] });
  });
});
