// Opening a workspace's run store as a host does at start: the database brought up to date,
// a moved workspace noticed, and runs and conversions whose engine died with the last host marked
// interrupted (markStale: hosts call it again before they list runs or conversions).
import type { Workspace } from '../workspace.ts';
import { type InterruptedConversion, markInterruptedConversions } from './artifacts.ts';
import { type Db, openDatabase } from './database.ts';
import { checkWorkspaceLocation, type WorkspaceMove } from './paths.ts';
import type { IsAlive } from './process-identity.ts';
import { type Interrupted, markInterruptedRuns, processAlive } from './runs.ts';

export interface StoreReport {
  moved: WorkspaceMove | null;
  interrupted: Interrupted[];
  interruptedConversions: InterruptedConversion[];
}

/** What this host follows itself and records the end of (left alone by markStale). */
export interface Followed {
  run?: (runId: string) => boolean;
  conversion?: (conversionId: number) => boolean;
}

/**
 * Runs and conversions whose engine (or owner) process is gone — dead, a zombie, or its pid given
 * to another process since — become interrupted: at host start, and before a listing, so that no
 * listing says running for a dead engine.
 */
export function markStale(
  db: Db,
  workspace: Workspace,
  isAlive: IsAlive = processAlive,
  followed: Followed = {},
): Pick<StoreReport, 'interrupted' | 'interruptedConversions'> {
  return {
    interrupted: markInterruptedRuns(db, isAlive, workspace, followed.run),
    interruptedConversions: markInterruptedConversions(db, isAlive, followed.conversion),
  };
}

export function openRunStore(workspace: Workspace, isAlive: IsAlive = processAlive): { db: Db; report: StoreReport } {
  const db = openDatabase(workspace.databasePath);
  try {
    const moved = checkWorkspaceLocation(db, workspace.root);
    return { db, report: { moved, ...markStale(db, workspace, isAlive) } };
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
  for (const conversion of report.interruptedConversions) {
    lines.push(
      `Conversion ${conversion.id} of run ${conversion.runId} was interrupted after ${conversion.converted} of ${conversion.total} image(s); ` +
        "run it again with 'skip existing' to finish.",
    );
  }
  return lines;
}
