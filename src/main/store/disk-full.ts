// What a person reads when the disk under the database is full: which disk, how much is left, what
// was done (the run stopped with a checkpoint) and what to do (free space, then resume).
import fs from 'node:fs';
import path from 'node:path';

function gib(bytes: number): string {
  return bytes >= 2 ** 30 ? `${(bytes / 2 ** 30).toFixed(1)} GiB` : `${Math.round(bytes / 2 ** 20)} MiB`;
}

export function diskFullMessage(databasePath: string): string {
  let left = '';
  try {
    const stats = fs.statfsSync(path.dirname(databasePath));
    left = `, ${gib(stats.bavail * stats.bsize)} left`;
  } catch {
    // No free-space figure on this system: the message stands without it.
  }
  const runs = path.join(path.dirname(databasePath), 'runs');
  return (
    `The disk that holds Diptych's database (${databasePath}) is full${left}, so the run's history could not be saved: ` +
    'the run was stopped with a checkpoint. Free some space on that disk (old runs’ checkpoints under ' +
    `${runs} are the largest files), then resume the run.`
  );
}
