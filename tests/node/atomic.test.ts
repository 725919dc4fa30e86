import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeFileAtomic } from '../../src/node/atomic.ts';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'diptych-atomic-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('writeFileAtomic', () => {
  it('writes the data under the target name and leaves no temporary file', async () => {
    const target = path.join(dir, 'config.json');
    await writeFileAtomic(target, '{"a":1}');
    expect(fs.readFileSync(target, 'utf8')).toBe('{"a":1}');
    expect(fs.readdirSync(dir)).toEqual(['config.json']);
  });

  it('writes binary data byte for byte', async () => {
    const target = path.join(dir, 'weights.bin');
    const bytes = new Uint8Array([0, 255, 1, 128, 7]);
    await writeFileAtomic(target, bytes);
    expect(new Uint8Array(fs.readFileSync(target))).toEqual(bytes);
  });

  it('replaces an existing file whole', async () => {
    const target = path.join(dir, 'state.json');
    fs.writeFileSync(target, 'a much longer old content that must not survive');
    await writeFileAtomic(target, 'new');
    expect(fs.readFileSync(target, 'utf8')).toBe('new');
    expect(fs.readdirSync(dir)).toEqual(['state.json']);
  });

  it('fails when the folder is missing, creating nothing', async () => {
    const target = path.join(dir, 'missing', 'file.txt');
    await expect(writeFileAtomic(target, 'x')).rejects.toMatchObject({ code: 'ENOENT' });
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  it('removes its temporary file when the rename fails, and keeps what was there', async () => {
    const target = path.join(dir, 'taken');
    fs.mkdirSync(target);
    fs.writeFileSync(path.join(target, 'inside'), 'keep');
    await expect(writeFileAtomic(target, 'x')).rejects.toThrow();
    expect(fs.readdirSync(dir)).toEqual(['taken']);
    expect(fs.readFileSync(path.join(target, 'inside'), 'utf8')).toBe('keep');
  });

  it('keeps concurrent writers of the same target from corrupting it', async () => {
    const target = path.join(dir, 'race.txt');
    const contents = Array.from({ length: 20 }, (_, i) => `writer ${i} `.repeat(500));
    await Promise.all(contents.map((content) => writeFileAtomic(target, content)));
    expect(contents).toContain(fs.readFileSync(target, 'utf8'));
    expect(fs.readdirSync(dir)).toEqual(['race.txt']);
  });
});
