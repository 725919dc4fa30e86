// configureWasmThreads: the threaded SIMD build of tfjs-backend-wasm starts under Node with the asked-for
// XNNPACK pool, and computes the same as the single-threaded build. Each start runs in a child process
// (a backend starts once per process).

import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { relErr } from './helpers.ts';

const child = fileURLToPath(new URL('./fixtures/threads-child.ts', import.meta.url));

function start(threads: number) {
  const out = execFileSync(process.execPath, [child, String(threads)], { encoding: 'utf8', timeout: 60_000 });
  const line = out.trim().split('\n').pop() ?? '';
  return JSON.parse(line) as { backend: string; threads: number; running: number; y: number[]; blobRestored: boolean };
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
});
