// What a job needs from the host that runs it, and nothing more: the run store, the workspace's
// folders, the one metrics writer, how to start an engine and which backend was asked for. Jobs
// never see the whole Host (its handlers, windows or event bus), so the host can hold jobs without
// jobs importing the host back.
import type { BackendName } from '../../shared/basics.ts';
import type { EngineLauncher } from '../engine/launcher.ts';
import type { Db } from '../store/database.ts';
import type { MetricsWriter } from '../store/metrics.ts';
import type { IsAlive } from '../store/process-identity.ts';
import type { Workspace } from '../workspace.ts';

export interface JobContext {
  db: Db;
  workspace: Workspace;
  /** How this host starts engine processes (fork, or Electron's utilityProcess). */
  launch: EngineLauncher;
  /** The backend the person asked for, if any; otherwise each engine walks the ladder. */
  forcedBackend: BackendName | undefined;
}

/** A training job also records metrics and claims runs for resume (whose owner may be alive). */
export interface TrainingContext extends JobContext {
  metrics: MetricsWriter;
  isAlive: IsAlive;
}
