// Composes the services one host (Electron main, web host, CLI, a test) needs and the API
// handlers over them. Everything the UI can reach goes through `dispatch`.
import packageJson from '../../package.json' with { type: 'json' };
import { type AppInfo, type BackendInfo, BackendName } from '../shared/contract.ts';
import { createDispatch, type Dispatch, type Handlers } from './api/dispatch.ts';
import { type EngineLauncher, forkEngine } from './engine/launcher.ts';
import { probeBackend } from './engine/probe.ts';
import { type Db, openDatabase } from './store/database.ts';
import { listRuns } from './store/runs.ts';
import { openWorkspace, type Workspace } from './workspace.ts';

export interface HostOptions {
  kind: AppInfo['host'];
  home: string;
  launchEngine?: EngineLauncher;
  /** A forced backend (--backend, DIPTYCH_BACKEND); otherwise the ladder decides. */
  backend?: BackendName;
}

export interface Host {
  workspace: Workspace;
  db: Db;
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
  const db = openDatabase(workspace.databasePath);
  const launch = options.launchEngine ?? forkEngine;

  // One probe per host, started at once so the answer is usually ready when the UI asks.
  let backend: BackendInfo | null = null;
  let backendError: string | null = null;
  const probing = probeBackend(launch, options.backend).then(
    (info) => {
      backend = info;
    },
    (error: unknown) => {
      backendError = error instanceof Error ? error.message : String(error);
    },
  );

  const handlers: Handlers = {
    'app:info': async () => {
      await probing;
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
  };

  return {
    workspace,
    db,
    dispatch: createDispatch(handlers, (error) => console.error('[diptych] request failed:', error)),
    close: () => db.close(),
  };
}
