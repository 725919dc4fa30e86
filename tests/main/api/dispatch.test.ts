import { describe, expect, it, vi } from 'vitest';
import { createDispatch, type Handlers } from '../../../src/main/api/dispatch.ts';
import type { AppInfo, RunSummary } from '../../../src/shared/contract.ts';
import { buildRunConfig } from '../../../src/shared/run-config.ts';
import { unusedHandlers } from './handler-stubs.ts';

const info: AppInfo = {
  name: 'Diptych',
  version: '9.9.9',
  host: 'test',
  workspace: '/w',
  backend: null,
  backendError: null,
};
const run: RunSummary = {
  id: 'r1',
  name: 'one',
  model: 'cyclegan',
  status: 'queued',
  createdAt: '2025-01-01T00:00:00Z',
  updatedAt: '2025-01-01T00:00:00Z',
  backend: null,
  lastStep: null,
  lastLosses: {},
  epoch: null,
  thumbnails: { A: [], B: [] },
};

function handlers(overrides: Partial<Handlers> = {}): Handlers {
  return { ...unusedHandlers(), 'app:info': () => info, 'runs:list': async () => [run], ...overrides };
}

describe('createDispatch', () => {
  it('passes a valid request to its handler and wraps the value', async () => {
    const dispatch = createDispatch(handlers());
    expect(await dispatch('app:info', {})).toEqual({ ok: true, value: info });
    expect(await dispatch('runs:list', {})).toEqual({ ok: true, value: [run] });
  });

  it('treats a missing request as an empty one', async () => {
    const dispatch = createDispatch(handlers());
    expect(await dispatch('app:info', undefined)).toEqual({ ok: true, value: info });
    expect(await dispatch('app:info', null)).toEqual({ ok: true, value: info });
  });

  it.each([
    ['no:such'],
    [42],
    [null],
    [undefined],
    ['__proto__'],
    ['toString'],
    ['constructor'],
    [{ channel: 'app:info' }],
  ])('answers unknown-channel for %j without calling any handler', async (channel) => {
    const appInfo = vi.fn(() => info);
    const runsList = vi.fn(() => []);
    const dispatch = createDispatch({ ...unusedHandlers(), 'app:info': appInfo, 'runs:list': runsList });
    const result = await dispatch(channel, {});
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('unknown-channel');
    expect(result.error.message).toContain('There is no API channel called');
    expect(appInfo).not.toHaveBeenCalled();
    expect(runsList).not.toHaveBeenCalled();
  });

  it.each([[{ extra: 1 }], [5], ['text'], [[1, 2]], [true]])(
    'answers bad-request for the request %j',
    async (request) => {
      const appInfo = vi.fn(() => info);
      const dispatch = createDispatch(handlers({ 'app:info': appInfo }));
      const result = await dispatch('app:info', request);
      expect(result.ok).toBe(false);
      if (result.ok) return;
      expect(result.error.code).toBe('bad-request');
      expect(result.error.message).toMatch(/^Invalid request for app:info: /);
      expect(appInfo).not.toHaveBeenCalled();
    },
  );

  it('names the offending key of a bad request', async () => {
    const result = await createDispatch(handlers())('runs:list', { limit: 3 });
    expect(result).toMatchObject({ ok: false, error: { code: 'bad-request' } });
    expect(!result.ok && result.error.message).toContain('limit');
  });

  it('turns a throwing handler into a failed result and reports the error', async () => {
    const onError = vi.fn();
    const boom = new Error('disk on fire');
    const dispatch = createDispatch(
      handlers({
        'app:info': () => {
          throw boom;
        },
      }),
      onError,
    );
    expect(await dispatch('app:info', {})).toEqual({ ok: false, error: { code: 'failed', message: 'disk on fire' } });
    expect(onError).toHaveBeenCalledWith(boom);
  });

  it('turns a rejecting handler and a thrown non-Error into failed results', async () => {
    const dispatch = createDispatch(
      handlers({
        'app:info': async () => Promise.reject(new Error('async failure')),
        'runs:list': () => {
          throw 'plain string';
        },
      }),
    );
    expect(await dispatch('app:info', {})).toEqual({ ok: false, error: { code: 'failed', message: 'async failure' } });
    expect(await dispatch('runs:list', {})).toEqual({ ok: false, error: { code: 'failed', message: 'plain string' } });
  });

  it('hands the handler the parsed request', async () => {
    const appInfo = vi.fn((_request: Record<string, never>) => info);
    const request = {};
    await createDispatch(handlers({ 'app:info': appInfo }))('app:info', request);
    expect(appInfo).toHaveBeenCalledTimes(1);
    expect(appInfo.mock.calls[0]?.[0]).toEqual({});
  });

  describe('a bad training:start', () => {
    const request = { dataA: '/a', dataB: '/b', preset: 'tiny' };
    // The host's own handler builds the run config from the preset and the overrides, as here.
    const startTraining = vi.fn(({ dataA, dataB, preset, overrides, model }) => {
      buildRunConfig(model ?? 'cyclegan', preset, { ...overrides, dataA, dataB });
      return { runId: 'r1', runDir: '/w/runs/r1' };
    });
    const dispatch = createDispatch(handlers({ 'training:start': startTraining as never }));

    it('answers options that do not fit together with one issue per problem, by field', async () => {
      const result = await dispatch('training:start', { ...request, overrides: { loadSize: 18, netG: 'unet_64' } });
      expect(result).toEqual({
        ok: false,
        error: {
          code: 'failed',
          message:
            'Invalid training options: loadSize: loadSize (18) must be at least cropSize (32); cropSize: unet_64 needs images whose side is a multiple of 64 (cropSize 32)',
          issues: [
            { path: 'loadSize', message: 'loadSize (18) must be at least cropSize (32)' },
            { path: 'cropSize', message: 'unet_64 needs images whose side is a multiple of 64 (cropSize 32)' },
          ],
        },
      });
    });

    it("answers a CoGAN's own bounds, and another model's option, with their issues", async () => {
      const result = await dispatch('training:start', {
        ...request,
        model: 'cogan',
        overrides: { cropSize: 16, loadSize: 18 },
      });
      expect(!result.ok && result.error.issues).toEqual([
        { path: 'cropSize', message: 'Too small: expected number to be >=32' },
        { path: 'cropSize', message: "CoGAN's networks are built for 32, 64 or 128 px images (got cropSize 16)" },
      ]);
      const other = await dispatch('training:start', { ...request, model: 'cogan', overrides: { poolSize: 3 } });
      expect(!other.ok && other.error.issues).toEqual([{ path: '', message: 'Unrecognized key: "poolSize"' }]);
    });

    it('answers a request out of every bound with bad-request issues under overrides', async () => {
      startTraining.mockClear();
      const result = await dispatch('training:start', { ...request, overrides: { cropSize: 4, seed: -1 } });
      expect(result).toMatchObject({
        ok: false,
        error: {
          code: 'bad-request',
          issues: [
            { path: 'overrides.cropSize', message: 'Too small: expected number to be >=8' },
            { path: 'overrides.seed', message: 'Too small: expected number to be >=0' },
          ],
        },
      });
      expect(!result.ok && result.error.message).toMatch(/^Invalid request for training:start: overrides\.cropSize: /);
      expect(startTraining).not.toHaveBeenCalled();
    });

    it('keeps a failure that is not about options a plain message', async () => {
      const failing = createDispatch(
        handlers({
          'training:start': () => {
            throw new Error('The folder /a does not exist.');
          },
        }),
      );
      expect(await failing('training:start', request)).toEqual({
        ok: false,
        error: { code: 'failed', message: 'The folder /a does not exist.' },
      });
    });
  });
});
