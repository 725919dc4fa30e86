// Composes the services one host (Electron main, web host, CLI, a test) needs and the API
// handlers over them. Everything the UI can reach goes through `dispatch`.
import packageJson from '../../package.json' with { type: 'json' };
import { type AppInfo, type BackendInfo, BackendName } from '../shared/contract.ts';
import { createDispatch, type Dispatch, type Handlers } from './api/dispatch.ts';
import { type EngineLauncher, forkEngine } from './engine/launcher.ts';
import { probeBackend } from './engine/probe.ts';
import type { Db } from './store/database.ts';
import { createMetricsWriter, type MetricsWriter, readSeries } from './store/metrics.ts';
import { describeReport, openRunStore, type StoreReport } from './store/open.ts';
import { addNote, deleteRun, getRun, listRuns, processAlive, renameRun, requireRun, setTags } from './store/runs.ts';
import { openWorkspace, type Workspace } from './workspace.ts';

export interface HostOptions {
  kind: AppInfo['host'];
  home: string;
  launchEngine?: EngineLauncher;
  /** A forced backend (--backend, DIPTYCH_BACKEND); otherwise the ladder decides. */
  backend?: BackendName;
  /** Ask an engine for the backend at start (the UI shows it); a CLI job that trains skips it. */
  probeAtStart?: boolean;
  /** Whether an engine process is alive (tests inject one); defaults to signal 0. */
  isAlive?: (pid: number) => boolean;
}

export interface Host {
  workspace: Workspace;
  db: Db;
  /** What opening the store found: a moved workspace, runs interrupted by the last crash. */
  storeReport: StoreReport;
  /** The one writer of training metrics; the job manager feeds it the engine's events. */
  metrics: MetricsWriter;
  /** How this host starts engine processes (fork, or Electron's utilityProcess). */
  launchEngine: EngineLauncher;
  /** The backend the person asked for, if any; otherwise each engine walks the ladder. */
  forcedBackend: BackendName | undefined;
  dispatch: Dispatch;
  close(): void;
}

export function forcedBackendFromEnv(): BackendName | undefined {
  const raw = process.env.DIPTYCH_BACKEND;
  if (!raw) return undefined;
  const parsed = BackendName.safeParse(raw);
  if (!parsed.success)
    throw new Error(`DIPTYCH_BACKEND=${raw} is not a backend; use one of ${BackendName.options.join(', ')}.`);
  return parsed.data;
}

export function createHost(options: HostOptions): Host {
  const workspace = openWorkspace(options.home);
  const isAlive = options.isAlive ?? processAlive;
  const { db, report: storeReport } = openRunStore(workspace, isAlive);
  for (const line of describeReport(storeReport)) console.warn(`[diptych] ${line}`);
  const metrics = createMetricsWriter(db);
  const launch = options.launchEngine ?? forkEngine;

  // One probe per host, started at once so the answer is usually ready when the UI asks.
  let backend: BackendInfo | null = null;
  let backendError: string | null = null;
  let probing: Promise<void> | null = null;
  const probe = () =>
    (probing ??= probeBackend(launch, options.backend).then(
      (info) => {
        backend = info;
      },
      (error: unknown) => {
        backendError = error instanceof Error ? error.message : String(error);
      },
    ));
  if (options.probeAtStart !== false) void probe();

  const handlers: Handlers = {
    'app:info': async () => {
      await probe();
      return {
        name: 'Diptych',
        version: packageJson.version,
        host: options.kind,
        workspace: workspace.root,
        backend,
        backendError,
      };
    },
    'runs:list': () => listRuns(db),
    'runs:get': ({ id }) => getRun(db, workspace, id),
    'runs:rename': ({ id, name }) => renameRun(db, id, name),
    'runs:delete': ({ id }) => {
      metrics.flush();
      return deleteRun(db, workspace, id, isAlive);
    },
    'runs:metrics': ({ id, ...query }) => {
      requireRun(db, id);
      metrics.flush();
      return readSeries(db, id, query);
    },
    'runs:note': ({ id, body }) => addNote(db, id, body),
    'runs:tags': ({ id, tags }) => setTags(db, id, tags),
  };

  return {
    workspace,
    db,
    storeReport,
    metrics,
    launchEngine: launch,
    forcedBackend: options.backend,
    dispatch: createDispatch(handlers, (error) => console.error('[diptych] request failed:', error)),
    close: () => {
      metrics.close();
      db.close();
    },
  };
}
