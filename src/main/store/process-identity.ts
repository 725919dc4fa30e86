// Which process owns a run or a conversion: its pid and its start time. A pid alone is not enough:
// the system gives a dead process's pid to the next one it starts, and a process that has exited
// but was never reaped (a zombie: its parent is gone and PID 1 of a container does not reap) still
// answers signal 0. On Linux both are read from /proc/<pid>/stat: the state (field 3; Z zombie and
// X dead are not alive) and starttime (field 22, clock ticks since boot). Elsewhere (macOS,
// Windows: no /proc) only signal 0 is asked and the start time is null: there a reused pid still
// looks alive, and a zombie too (docs/STORAGE.md, Crashes).
import fs from 'node:fs';

export interface ProcessIdentity {
  pid: number;
  /** Clock ticks after boot when the process started (Linux); null where it cannot be read. */
  startTicks: number | null;
}

/** Whether a recorded process is alive: its pid and, when both are known, the same start time. */
export type IsAlive = (pid: number, startTicks: number | null) => boolean;

/** Signal 0: ESRCH means gone; EPERM means it exists but is not ours. */
function answersSignal(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * The fields of /proc/<pid>/stat that matter here, or null if the text is not one. The second field
 * (the command name, in parentheses) may hold spaces and parentheses itself: the rest is read after
 * the last ')'.
 */
export function parseProcStat(text: string): { state: string; startTicks: number } | null {
  const close = text.lastIndexOf(')');
  if (close < 0) return null;
  // Fields 3 onwards: state is field 3, starttime field 22.
  const fields = text
    .slice(close + 1)
    .trim()
    .split(/\s+/);
  const state = fields[0];
  const startTicks = Number(fields[19]);
  if (!state || !Number.isSafeInteger(startTicks) || startTicks < 0) return null;
  return { state, startTicks };
}

const hasProc = process.platform === 'linux' || process.platform === 'android';

/** A live process's identity, or null when there is none with that pid (gone, zombie, or dead). */
export function identify(pid: number): ProcessIdentity | null {
  if (!Number.isSafeInteger(pid) || pid <= 0) return null;
  if (hasProc) {
    let text: string | null = null;
    try {
      text = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    } catch {
      // Not there: gone, or hidden from this user (/proc mounted with hidepid); signal 0 tells which.
    }
    const stat = text === null ? null : parseProcStat(text);
    if (stat) return stat.state === 'Z' || stat.state === 'X' ? null : { pid, startTicks: stat.startTicks };
  }
  return answersSignal(pid) ? { pid, startTicks: null } : null;
}

/**
 * Whether the process recorded as (pid, startTicks) is still alive: a live, unreaped-zombie-free
 * process with that pid, started at that time. A null start time (recorded off Linux, or before
 * start times were recorded) matches any live process with the pid.
 */
export function isSameProcessAlive(pid: number, startTicks: number | null): boolean {
  const live = identify(pid);
  if (!live) return false;
  return startTicks === null || live.startTicks === null || live.startTicks === startTicks;
}

let own: ProcessIdentity | undefined;

/** This process's identity (read once). */
export function selfIdentity(): ProcessIdentity {
  own ??= identify(process.pid) ?? { pid: process.pid, startTicks: null };
  return own;
}

/** The start time to record for a process that should be alive now: null where it cannot be read. */
export function startTicksOf(pid: number): number | null {
  if (pid === process.pid) return selfIdentity().startTicks;
  return identify(pid)?.startTicks ?? null;
}
