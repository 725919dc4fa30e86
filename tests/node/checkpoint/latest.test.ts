// The run's checkpoint folders and its `latest` pointer.
import nodeFs from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkpointDir, readLatest, writeLatest } from '../../../src/node/checkpoint/latest.ts';
import { failingFs, temporaryDir } from './helpers.ts';

describe('checkpointDir', () => {
  it('is runDir/checkpoints/<step padded to 9 digits>, so folders sort by step', () => {
    expect(checkpointDir('/runs/r1', 0)).toBe(path.join('/runs/r1', 'checkpoints', '000000000'));
    expect(checkpointDir('/runs/r1', 1234)).toBe(path.join('/runs/r1', 'checkpoints', '000001234'));
    expect(() => checkpointDir('/runs/r1', -1)).toThrow(/step -1/);
  });
});

describe('writeLatest / readLatest', () => {
  it('has no latest before the first checkpoint', async () => {
    expect(await readLatest(await temporaryDir())).toBeNull();
  });

  it('points at a checkpoint by a path relative to the run, so a moved run still resolves', async () => {
    const runDir = await temporaryDir();
    const dir = checkpointDir(runDir, 40);
    expect(await writeLatest(runDir, { step: 40, path: dir })).toEqual({ step: 40, path: dir });
    const file = path.join(runDir, 'checkpoints', 'latest');
    expect(JSON.parse(await nodeFs.readFile(file, 'utf8'))).toEqual({ step: 40, path: 'checkpoints/000000040' });
    await writeLatest(runDir, { step: 80, path: checkpointDir(runDir, 80) });
    expect(await readLatest(runDir)).toEqual({ step: 80, path: checkpointDir(runDir, 80) });
    expect((await nodeFs.readdir(path.join(runDir, 'checkpoints'))).sort()).toEqual(['latest']);

    const moved = `${runDir}-moved`;
    await nodeFs.rename(runDir, moved);
    expect(await readLatest(moved)).toEqual({ step: 80, path: checkpointDir(moved, 80) });
  });

  it('refuses a checkpoint outside the run and a pointer file that is not one', async () => {
    const runDir = await temporaryDir();
    await expect(writeLatest(runDir, { step: 1, path: path.join(runDir, '..', 'elsewhere') })).rejects.toThrow(
      /is not inside the run folder/,
    );
    await nodeFs.mkdir(path.join(runDir, 'checkpoints'));
    await nodeFs.writeFile(path.join(runDir, 'checkpoints', 'latest'), '{"step": "x"}');
    await expect(readLatest(runDir)).rejects.toThrow(/is not a checkpoint pointer/);
    await nodeFs.writeFile(path.join(runDir, 'checkpoints', 'latest'), 'garbage');
    await expect(readLatest(runDir)).rejects.toThrow(/is not valid JSON/);
  });

  it('keeps the previous pointer whole when writing the new one fails', async () => {
    const runDir = await temporaryDir();
    await writeLatest(runDir, { step: 5, path: checkpointDir(runDir, 5) });
    await expect(
      writeLatest(runDir, { step: 6, path: checkpointDir(runDir, 6) }, failingFs('ENOSPC', { call: 'write' })),
    ).rejects.toThrow(/ENOSPC/);
    expect(await readLatest(runDir)).toEqual({ step: 5, path: checkpointDir(runDir, 5) });
    expect(await nodeFs.readdir(path.join(runDir, 'checkpoints'))).toEqual(['latest']);
  });
});
