// A process identity is its pid and its start time (Linux: /proc/<pid>/stat). A zombie (exited, never
// reaped: its parent does not wait, as PID 1 of many containers) and a pid the system has given to
// another process since are not the process that was recorded: neither keeps a run "running".
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { identify, isSameProcessAlive, parseProcStat } from '../../../src/main/store/process-identity.ts';
import { processAlive } from '../../../src/main/store/runs.ts';

const linux = process.platform === 'linux';
const parents: ChildProcess[] = [];
afterAll(() => {
  for (const parent of parents) parent.kill('SIGKILL');
});

/** The pids whose parent is `ppid`, read from /proc. */
function childrenOf(ppid: number): number[] {
  const found: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const text = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = text
        .slice(text.lastIndexOf(')') + 1)
        .trim()
        .split(/\s+/);
      if (Number(fields[1]) === ppid) found.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return found;
}

function stateOf(pid: number): string | null {
  try {
    return parseProcStat(fs.readFileSync(`/proc/${pid}/stat`, 'utf8'))?.state ?? null;
  } catch {
    return null;
  }
}

/**
 * A real zombie: `sh` starts `sleep 0` in the background and becomes `sleep 30` (exec, same pid),
 * which never waits for its child; the child exits and stays a zombie while its parent lives.
 */
async function zombie(): Promise<number> {
  const parent = spawn('sh', ['-c', 'sleep 0 & exec sleep 30'], { stdio: 'ignore' });
  parents.push(parent);
  const parentPid = parent.pid as number;
  for (let tries = 0; tries < 200; tries++) {
    const child = childrenOf(parentPid).find((pid) => stateOf(pid) === 'Z');
    if (child !== undefined) return child;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error('no zombie appeared');
}

describe('process identity', () => {
  it('reads the state and start time after the last parenthesis (a command name may hold both)', () => {
    const fields = ['S', ...Array.from({ length: 18 }, (_, i) => String(i + 4)), '987654', '42', '7'];
    expect(parseProcStat(`1234 (a) b (c)) ${fields.join(' ')}\n`)).toEqual({ state: 'S', startTicks: 987654 });
    expect(parseProcStat('garbage')).toBeNull();
    expect(parseProcStat('1 (x) S 1 2')).toBeNull();
  });

  it('knows this process, with its start time on Linux', () => {
    const self = identify(process.pid);
    expect(self?.pid).toBe(process.pid);
    if (linux) expect(self?.startTicks).toEqual(expect.any(Number));
    expect(isSameProcessAlive(process.pid, self?.startTicks ?? null)).toBe(true);
    expect(isSameProcessAlive(process.pid, null)).toBe(true);
    expect(processAlive(process.pid)).toBe(true);
  });

  it('does not know a pid no process has', () => {
    expect(identify(2 ** 22 + 12_345)).toBeNull();
    expect(processAlive(2 ** 22 + 12_345)).toBe(false);
    expect(identify(0)).toBeNull();
    expect(identify(-1)).toBeNull();
  });

  it.runIf(linux)('counts a pid now held by another process (another start time) as dead', () => {
    const self = identify(process.pid);
    const ticks = (self?.startTicks ?? 0) + 1;
    expect(isSameProcessAlive(process.pid, ticks)).toBe(false);
    expect(processAlive(process.pid, ticks)).toBe(false);
  });

  it.runIf(linux)('counts an unreaped zombie as dead', async () => {
    const pid = await zombie();
    // Signal 0 still reaches it: that is what kept runs "running" forever.
    expect(() => process.kill(pid, 0)).not.toThrow();
    expect(identify(pid)).toBeNull();
    expect(isSameProcessAlive(pid, null)).toBe(false);
    expect(processAlive(pid)).toBe(false);
  });
});
