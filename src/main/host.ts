// Composes the services one host (Electron main, web host, CLI, a test) needs and the API
// handlers over them (src/main/api/handlers, one file per channel group). Everything the UI and the
// command line ask goes through `dispatch`.
import type { BackendInfo } from '../shared/backend.ts';
import { BackendName } from '../shared/basics.ts';
import type { AppInfo } from '../shared/contract.ts';
import { createDispatch, type Dispatch } from './api/dispatch.ts';
import { createFolderAccess } from './api/folder-access.ts';
import { createHandlers } from './api/handlers/index.ts';
import type { HostServices } from './api/services.ts';
import { type EngineLauncher, forkEngine } from './engine/launcher.ts';
import { probeBackend } from './engine/probe.ts';
import { createEventBus } from './events.ts';
import { createCompareRegistry } from './jobs/compare-registry.ts';
import { createConvertRegistry } from './jobs/convert-registry.ts';
import { createJobRegistry } from './jobs/registry.ts';
import { createMediaAccess } from './media/access.ts';
import { diskFullMessage } from './store/disk-full.ts';
import { createMetricsWriter } from './store/metrics.ts';
import { describeReport, markStale, openRunStore, type StoreReport } from './store/open.ts';
import type { IsAlive } from './store/process-identity.ts';
import { processAlive } from './store/runs.ts';
import { openWorkspace } from './workspace.ts';

export interface HostOptions {
  kind: AppInfo['host'];
  home: string;
  launchEngine?: EngineLauncher;
  /** A forced backend (--backend, DIPTYCH_BACKEND); otherwise the ladder decides. */
  backend?: BackendName;
  /** Ask an engine for the backend at start (the UI shows it); a CLI job that trains skips it. */
  probeAtStart?: boolean;
  /**
   * Whether a recorded engine or owner process (pid, start time) is alive (tests inject one); defaults
   * to processAlive: /proc on Linux (a zombie or a reused pid is not), signal 0 elsewhere.
   */
  isAlive?: IsAlive;
}

export interface Host extends HostServices {
  /** What opening the store found: a moved workspace, runs interrupted by the last crash. */
  storeReport: StoreReport;
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
  // A full disk under the database: every run whose rows could not be written is stopped cleanly
  // (checkpoint kept) and marked failed with the path and what to do, instead of training on while its
  // history is dropped batch after batch.
  const metrics = createMetricsWriter(db, {
    onError: (error, runIds) => {
      console.error('[diptych] metrics:', error.message);
      if ((error as { code?: string }).code !== 'SQLITE_FULL' || !runIds) return;
      const reason = diskFullMessage(workspace.databasePath);
      for (const runId of runIds) jobs.get(runId)?.failWith(reason);
    },
  });
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

  const events = createEventBus();
  const jobs = createJobRegistry(events);
  const compares = createCompareRegistry(events);
  const conversions = createConvertRegistry(events);
  // Images the UI may show: the workspace (previews) and folders chosen as datasets.
  const media = createMediaAccess(() => [
    workspace.root,
    ...db.prepare<[], string>('SELECT DISTINCT path FROM datasets').pluck().all(),
  ]);

  const services: HostServices = {
    kind: options.kind,
    workspace,
    db,
    metrics,
    launch,
    forcedBackend: options.backend,
    isAlive,
    events,
    media,
    jobs,
    compares,
    conversions,
    folders: createFolderAccess(options.kind, workspace.root),
    // Before a listing: a run or conversion whose engine died since the start (killed, or orphaned by
    // another host that was killed) must not be listed as running. This host's own jobs record their end.
    refresh: () => {
      const stale = markStale(db, workspace, isAlive, {
        run: (id) => jobs.get(id) !== undefined,
        conversion: (id) => conversions.get(id) !== undefined,
      });
      for (const line of describeReport({ moved: null, ...stale })) console.warn(`[diptych] ${line}`);
    },
    backend: async () => {
      await probe();
      return { backend, backendError };
    },
  };

  return {
    ...services,
    storeReport,
    // A window shows a failed request's message and the log keeps the stack; the command line prints
    // the message itself (src/main/cli/api.ts), where a stack would only bury it.
    dispatch: createDispatch(
      createHandlers(services),
      options.kind === 'cli' ? undefined : (error) => console.error('[diptych] request failed:', error),
    ),
    close: () => {
      metrics.close();
      db.close();
    },
  };
}
