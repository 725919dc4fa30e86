// configureWasmThreads: the threaded SIMD build of tfjs-backend-wasm starts under Node with the asked-for
// XNNPACK pool, and computes the same as the single-threaded build. Each start runs in a child process
// (a backend starts once per process).

import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { relErr } from './helpers.ts';

const child = fileURLToPath(new URL('./fixtures/threads-child.ts', import.meta.url));

type ChildReport = {
  backend: string;
  threads: number;
  running: number;
  y: number[];
  blobRestored: boolean;
  detached: number;
  pid: number;
};

// execFileSync throws if the child is still alive at the timeout, so a child that never exits fails.
function start(threads: number, natural = false): ChildReport {
  const args = natural ? [child, String(threads), 'natural'] : [child, String(threads)];
  const out = execFileSync(process.execPath, args, { encoding: 'utf8', timeout: 60_000, killSignal: 'SIGKILL' });
  const line = out.trim().split('\n').pop() ?? '';
  return JSON.parse(line) as ChildReport;
}

describe('configureWasmThreads', () => {
  it('starts the threaded build with 2 threads, same results as 1 thread', () => {
    const one = start(1);
    const two = start(2);
    expect(one.backend).toBe('wasm');
    expect(one.threads).toBe(1);
    expect(two.backend).toBe('wasm');
    expect(two.threads).toBe(2);
    expect(two.running).toBeGreaterThanOrEqual(1);
    expect(two.blobRestored).toBe(true);
    expect(relErr(two.y, one.y)).toBeLessThan(1e-5);
  });

  // Emscripten ref()s each running pthread's Node Worker, and XNNPACK's pool threads never end: without
  // letWasmThreadsExit() this child would print its line and then stay alive forever.
  it('lets a threaded process end on its own once its work is done', () => {
    const two = start(2, true);
    expect(two.threads).toBe(2);
    expect(two.running).toBeGreaterThanOrEqual(1);
    expect(two.detached).toBeGreaterThanOrEqual(1);
  });

  // Threads are on by default, so every engine process writes worker scripts to the temp folder.
  it('removes its worker scripts from the temp folder when the process ends', () => {
    for (const natural of [false, true]) {
      const two = start(2, natural);
      expect(two.threads).toBe(2);
      expect(fs.existsSync(path.join(os.tmpdir(), `diptych-wasm-threads-${two.pid}`))).toBe(false);
    }
  });
});
