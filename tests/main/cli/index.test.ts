// The `diptych` bin as a user starts it: with the machine's own, older Node, which must hand
// over to the project's Node 24 (the TypeScript CLI cannot run on Node 20 at all).
import { execFile, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const repo = fileURLToPath(new URL('../../../', import.meta.url));
const bin = path.join(repo, 'bin', 'diptych.mjs');
const OLD_NODE = '/usr/bin/node';

interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
}

function diptych(node: string, args: string[]): Promise<Outcome> {
  return new Promise((resolve) => {
    execFile(node, [bin, ...args], { cwd: repo, encoding: 'utf8', timeout: 50_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

/** The machine's own Node, when it is older than 24 (it is 20 on these build machines). */
function oldNode(): string | null {
  if (!fs.existsSync(OLD_NODE)) return null;
  const major = Number(
    execFileSync(OLD_NODE, ['-p', 'process.versions.node.split(".")[0]'], { encoding: 'utf8' }).trim(),
  );
  return major < 24 ? OLD_NODE : null;
}

let out: string;
beforeEach(() => {
  out = fs.mkdtempSync(path.join(os.tmpdir(), 'diptych-cli-'));
});
afterEach(() => fs.rmSync(out, { recursive: true, force: true }));

describe('diptych samples', () => {
  it("started by the machine's old Node, hands over to Node 24 and writes 8 files in each of A, B and truth", async (context) => {
    const node = oldNode();
    if (!node) {
      console.log(`skipped: no Node older than 24 at ${OLD_NODE} to prove the hand-over with`);
      context.skip();
      return;
    }
    const target = path.join(out, 's');
    const result = await diptych(node, ['samples', '--out', target, '--kind', 'stripes', '--count', '8']);
    expect(result.stderr).not.toMatch(/npm ci/);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('Wrote 8 stripes samples per domain (24 files new, 0 unchanged)');
    for (const folder of ['A', 'B', 'truth']) {
      const files = fs.readdirSync(path.join(target, folder)).sort();
      expect(files, folder).toHaveLength(8);
      expect(files.every((name) => /^stripes-\d{4}\.png$/.test(name))).toBe(true);
    }
    expect(fs.readdirSync(path.join(target, 'A')).sort()).toEqual(fs.readdirSync(path.join(target, 'truth')).sort());
  });

  it('refuses a bad --kind, naming the option, and writes nothing (under Node 24 and through the hand-over)', async () => {
    const target = path.join(out, 'bad');
    const nodes = [process.execPath, oldNode()].filter((node): node is string => node !== null);
    for (const node of nodes) {
      const result = await diptych(node, ['samples', '--out', target, '--kind', 'zebra']);
      expect(result.code, node).not.toBe(0);
      expect(result.stderr).toContain('--kind');
      expect(result.stderr).toContain('zebra');
      expect(result.stderr).toMatch(/palette, stripes, negative/);
      expect(fs.existsSync(target)).toBe(false);
    }
  });

  it('refuses a bad --count, naming the option and its range', async () => {
    const result = await diptych(process.execPath, ['samples', '--out', path.join(out, 'c'), '--count', '0']);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('--count must be a whole number from 1 to 100000.');
  });

  it('reports a generation error as one line and exit code 1', async () => {
    const target = path.join(out, 'clash');
    fs.mkdirSync(path.join(target, 'A'), { recursive: true });
    fs.writeFileSync(path.join(target, 'A', 'negative-0000.png'), 'mine');
    const result = await diptych(process.execPath, ['samples', '--out', target, '--kind', 'negative', '--count', '1']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^diptych: .*negative-0000\.png exists and differs .*--force/);
    expect(fs.readFileSync(path.join(target, 'A', 'negative-0000.png'), 'utf8')).toBe('mine');
  });

  it('prints JSON with --json', async () => {
    const target = path.join(out, 'json');
    const result = await diptych(process.execPath, [
      'samples',
      '--out',
      target,
      '--kind',
      'palette',
      '--count',
      '2',
      '--size',
      '16',
      '--json',
    ]);
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({
      a: path.join(target, 'A'),
      b: path.join(target, 'B'),
      truth: path.join(target, 'truth'),
      written: 6,
      unchanged: 0,
    });
  });
});
