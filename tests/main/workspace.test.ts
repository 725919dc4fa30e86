// The workspace folder: made as needed, and a place where it cannot be made is a clear error at once.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { openWorkspace } from '../../src/main/workspace.ts';

describe('openWorkspace', () => {
  test('makes the missing folders, however deep', () => {
    const base = fs.mkdtempSync(path.join(os.tmpdir(), 'diptych-ws-'));
    try {
      const workspace = openWorkspace(path.join(base, 'a', 'b', 'home'));
      expect(fs.statSync(workspace.runsDir).isDirectory()).toBe(true);
    } finally {
      fs.rmSync(base, { recursive: true, force: true });
    }
  });

  // Node's recursive mkdir loops forever on this path (100 % CPU); the test would time out, not fail.
  test.skipIf(!fs.existsSync('/proc/self'))('a folder under /proc/self is refused with the reason, at once', () => {
    expect(() => openWorkspace('/proc/self/x')).toThrow(/Cannot use \/proc\/self\/x as the Diptych workspace: ENOENT/);
  });

  test('a file where a folder should be is refused with the reason', () => {
    const base = fs.mkdtempSync(path.join(os.tmpdir(), 'diptych-ws-'));
    try {
      fs.writeFileSync(path.join(base, 'file'), 'x');
      expect(() => openWorkspace(path.join(base, 'file', 'home'))).toThrow(/Cannot use .* ENOTDIR/);
    } finally {
      fs.rmSync(base, { recursive: true, force: true });
    }
  });
});
