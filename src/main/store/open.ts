// Opening a workspace's run store as a host does at start: the database brought up to date,
// a moved workspace noticed, and runs whose engine died with the last host marked interrupted.
import type { Workspace } from '../workspace.ts';
import { type Db, openDatabase } from './database.ts';
import { checkWorkspaceLocation, type WorkspaceMove } from './paths.ts';
import { type Interrupted, markInterruptedRuns, processAlive } from './runs.ts';

export interface StoreReport {
  moved: WorkspaceMove | null;
  interrupted: Interrupted[];
}

export function openRunStore(
  workspace: Workspace,
  isAlive: (pid: number) => boolean = processAlive,
): { db: Db; report: StoreReport } {
  const db = openDatabase(workspace.databasePath);
  try {
    const moved = checkWorkspaceLocation(db, workspace.root);
    const interrupted = markInterruptedRuns(db, isAlive, workspace);
    return { db, report: { moved, interrupted } };
  } catch (error) {
    db.close();
    throw error;
  }
}

/** One line per thing a person should know about, for a log or a CLI's stderr. */
export function describeReport(report: StoreReport): string[] {
  const lines: string[] = [];
  if (report.moved) {
    lines.push(
      `The workspace moved from ${report.moved.from} to ${report.moved.to}; files inside it are found at the new place` +
        (report.moved.stalePaths > 0
          ? `, but ${report.moved.stalePaths} recorded path(s) still point into the old location.`
          : '.'),
    );
  }
  for (const run of report.interrupted) {
    lines.push(
      `Run ${run.name} (${run.id}) was interrupted` +
        (run.resumeStep === null
          ? '; it has no checkpoint to resume from.'
          : `; it can resume from step ${run.resumeStep}.`),
    );
  }
  return lines;
}
