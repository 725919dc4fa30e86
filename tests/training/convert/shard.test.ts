// `diptych convert --shard I/N`: N workers on one folder write exactly the files one whole run
// writes (same names, same pixels), none twice; a shard removes only its own leftover temporaries.
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { inputsOfShard, parseShard } from '../../../src/node/convert/shard.ts';
import { type ConvertEngineEvent, ConvertOptions } from '../../../src/shared/convert.ts';
import { selectBackend } from '../../../src/training/backend/ladder.ts';
import { convertBatch } from '../../../src/training/convert/batch.ts';
import { offsetTranslator } from '../inference/toy-translators.ts';
import { listTree, planned, tempDir, writeFlat } from './fixtures.ts';

beforeAll(async () => {
  await selectBackend('cpu');
});

async function convert(inDir: string, outDir: string, shard?: { index: number; count: number }) {
  const events: ConvertEngineEvent[] = [];
  const options = await planned({
    ...ConvertOptions.parse({ direction: 'AtoB', inDir, outDir, ...(shard ? { shard } : {}) }),
    jobId: 'shard',
  });
  const result = await convertBatch(options, { translator: offsetTranslator(0.1), emit: (e) => events.push(e) });
  return { result, converted: events.flatMap((e) => (e.type === 'convert-file' ? [e.output] : [])) };
}

const contents = (dir: string) => listTree(dir).map((f) => [f, fs.readFileSync(path.join(dir, f)).toString('base64')]);

describe('--shard I/N', () => {
  it('reads I/N from 0 and refuses the rest in words', () => {
    expect(parseShard('0/3')).toEqual({ index: 0, count: 3 });
    expect(parseShard(' 2/3 ')).toEqual({ index: 2, count: 3 });
    expect(parseShard('3/3')).toMatch(/counts from 0, so it must be below 3/);
    expect(parseShard('1/0')).toMatch(/at least one worker/);
    expect(parseShard('one of three')).toMatch(/takes I\/N/);
  });

  it('splits the sorted list round-robin, each input in exactly one shard', () => {
    const inputs = ['d', 'a', 'c', 'b', 'e'].map((name) => ({ source: name, input: name, output: name }));
    const shards = [0, 1].map((index) => inputsOfShard(inputs, { index, count: 2 }).map((i) => i.input));
    expect(shards).toEqual(
      [
        ['a', 'c', 'e'],
        ['b', 'd'],
      ].map((names) => inputs.map((i) => i.input).filter((n) => names.includes(n))),
    );
  });

  it('three shards together write exactly what one run writes, colliding names included', async () => {
    const inDir = tempDir();
    const colours: [number, number, number][] = [
      [200, 10, 10],
      [10, 200, 10],
      [10, 10, 200],
      [90, 90, 90],
    ];
    for (const [i, colour] of colours.entries()) await writeFlat(path.join(inDir, `p${i}.png`), colour);
    await writeFlat(path.join(inDir, 'sub/deep.png'), [1, 2, 3]);
    await writeFlat(path.join(inDir, 'p0.jpg'), [50, 60, 70]);
    await writeFlat(path.join(inDir, 'P0.PNG'), [70, 60, 50]);
    const whole = path.join(tempDir(), 'whole');
    await convert(inDir, whole);

    const sharded = path.join(tempDir(), 'sharded');
    // A temporary another worker is writing at this moment: no shard may remove it.
    fs.mkdirSync(sharded, { recursive: true });
    const foreign = path.join(sharded, '.someone-else.png.0123456789ab.tmp');
    fs.writeFileSync(foreign, 'in progress');
    const written: string[] = [];
    for (let index = 0; index < 3; index++) {
      const { result, converted } = await convert(inDir, sharded, { index, count: 3 });
      expect(result.failed).toBe(0);
      written.push(...converted);
    }
    expect(fs.existsSync(foreign)).toBe(true);
    fs.rmSync(foreign);
    expect(written.sort()).toEqual(listTree(whole));
    expect(new Set(written).size).toBe(written.length);
    expect(contents(sharded)).toEqual(contents(whole));
  });
});
