// Run ids: short, URL-safe, safe as folder names, and sortable by creation time. Nine base-36
// digits of milliseconds since 1970 (fixed width, so string order is time order until the year
// 5188) and five random base-36 digits, e.g. `0m8k2x1qz7fj3a`. Within one process ids are also
// strictly increasing: a second id in the same millisecond borrows the next millisecond.
import { randomInt } from 'node:crypto';

let last = 0;

export function newRunId(now: number = Date.now()): string {
  const time = Math.max(now, last + 1);
  last = time;
  let random = '';
  for (let i = 0; i < 5; i++) random += randomInt(36).toString(36);
  return time.toString(36).padStart(9, '0') + random;
}
