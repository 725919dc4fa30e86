// Composes the services one host (Electron main, web host, CLI, a test) needs and the API
// handlers over them. Everything the UI can reach goes through `dispatch`.
import fs from 'node:fs';
import path from 'node:path';
import packageJson from '../../package.json' with { type: 'json' };
import type { BackendInfo } from '../shared/backend.ts';
import { BackendName } from '../shared/basics.ts';
import type { AppInfo, SampleFolders } from '../shared/contract.ts';
import { ConvertOptions } from '../shared/convert.ts';
import { DEMO_MODEL, DEMO_PRESET, DEMO_SAMPLES } from '../shared/demo.ts';
import { buildRunConfig, presetsOf } from '../shared/run-config.ts';
import { createDispatch, type Dispatch, type Handlers } from './api/dispatch.ts';
import { allowedRoots, listFolder, requireWithinRoots } from './datasets/folders.ts';
import { scanDataset } from './datasets/scan.ts';
import { samplesRoot, writeDemoSamples } from './demo-samples.ts';
import { type EngineLauncher, forkEngine } from './engine/launcher.ts';
import { probeBackend } from './engine/probe.ts';
import { createEventBus, type EventBus } from './events.ts';
import { startCompare } from './jobs/compare.ts';
import { type CompareRegistry, createCompareRegistry } from './jobs/compare-registry.ts';
import { startConvert } from './jobs/convert.ts';
import { type ConvertRegistry, createConvertRegistry } from './jobs/convert-registry.ts';
import { exportRunCheckpoint } from './jobs/export.ts';
import { createJobRegistry, type JobRegistry } from './jobs/registry.ts';
import { relationFor, sampleRelationOfFolder } from './jobs/sample-relation.ts';
import { resumeTraining, startTraining } from './jobs/training.ts';
import { createMediaAccess, type MediaAccess } from './media/access.ts';
import { listConversions } from './store/artifacts.ts';
import type { Db } from './store/database.ts';
import { diskFullMessage } from './store/disk-full.ts';
import { createMetricsWriter, type MetricsWriter, readSeries } from './store/metrics.ts';
import { describeReport, markStale, openRunStore, type StoreReport } from './store/open.ts';
import type { IsAlive } from './store/process-identity.ts';
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
  /**
   * Whether a recorded engine or owner process (pid, start time) is alive (tests inject one); defaults
   * to processAlive: /proc on Linux (a zombie or a reused pid is not), signal 0 elsewhere.
   */
  isAlive?: IsAlive;
}

export interface Host {
  workspace: Workspace;
  db: Db;
  /** What opening the store found: a moved workspace, runs interrupted by the last crash. */
  storeReport: StoreReport;
  /** The one writer of training metrics; the job manager feeds it the engine's events. */
  metrics: MetricsWriter;
  /** Job events and list changes for the UI (Electron IPC, the web host's bridge). */
  events: EventBus;
  /** Which image files the UI may be shown. */
  media: MediaAccess;
  /** Training jobs running in this host now. */
  jobs: JobRegistry;
  /** Comparisons started in this session (compare:start / compare:get). */
  compares: CompareRegistry;
  /** Conversions running now (convert:start / convert:cancel). */
  conversions: ConvertRegistry;
  /** How this host starts engine processes (fork, or Electron's utilityProcess). */
  launchEngine: EngineLauncher;
  /** The backend the person asked for, if any; otherwise each engine walks the ladder. */
  forcedBackend: BackendName | undefined;
  /** Whether a recorded engine or owner process is alive (tests replace it). */
  isAlive: IsAlive;
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
  // Before a listing: a run or conversion whose engine died since the start (killed, or orphaned by
  // another host that was killed) must not be listed as running. This host's own jobs record their end.
  const refresh = () => {
    const stale = markStale(db, workspace, isAlive, {
      run: (id) => jobs.get(id) !== undefined,
      conversion: (id) => conversions.get(id) !== undefined,
    });
    for (const line of describeReport({ moved: null, ...stale })) console.warn(`[diptych] ${line}`);
  };
  // Images the UI may show: the workspace (previews) and folders chosen as datasets.
  const media = createMediaAccess(() => [
    workspace.root,
    ...db.prepare<[], string>('SELECT DISTINCT path FROM datasets').pluck().all(),
  ]);
  // A folder a page names (to preview, to train on) must lie under the roots fs:list browses
  // (DIPTYCH_ROOTS), or a page could read any folder's images through /media. The desktop
  // app and the command line are exempt: there the person chose the folder in the native
  // dialog or on the command line. The workspace's sample folders, which samples:create writes
  // for a page to train on, are usable wherever the workspace lies.
  const confined = options.kind !== 'electron' && options.kind !== 'cli';
  const usableFolder = async (folder: string) =>
    confined ? requireWithinRoots(folder, [...allowedRoots(), samplesRoot(workspace.root)]) : folder;
  // An output folder may not exist yet: its nearest existing ancestor must lie under the roots.
  const usableOutput = async (folder: string) => {
    if (!confined) return;
    let existing = path.resolve(folder);
    while (!fs.existsSync(existing) && path.dirname(existing) !== existing) existing = path.dirname(existing);
    await requireWithinRoots(existing, allowedRoots());
  };

  // Two windows asking at once share one writing of the sample pair (the same files).
  let writingSamples: Promise<SampleFolders> | null = null;
  const createSamples = async (): Promise<SampleFolders> => {
    let shown = 0;
    const folders = await writeDemoSamples(workspace.root, (done, total) => {
      // A few updates a second are enough for a progress line; the last one always goes.
      if (done < total && Date.now() - shown < 100) return;
      shown = Date.now();
      events.publish({ type: 'samples', done, total });
    });
    // Real paths, as datasets:preview answers them: New run recognises its folders as the samples.
    const folder = await fs.promises.realpath(path.dirname(folders.a));
    return {
      folder,
      a: path.join(folder, path.basename(folders.a)),
      b: path.join(folder, path.basename(folders.b)),
      truth: path.join(folder, path.basename(folders.truth)),
      images: DEMO_SAMPLES.count,
      size: DEMO_SAMPLES.size,
      written: folders.written,
      model: DEMO_MODEL,
      preset: DEMO_PRESET,
    };
  };

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
    'runs:list': () => {
      refresh();
      return listRuns(db);
    },
    'runs:get': ({ id }) => {
      refresh();
      return getRun(db, workspace, id);
    },
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
    'datasets:preview': async ({ path: requested }) => {
      const folder = await usableFolder(requested);
      const scan = await scanDataset(folder);
      media.allowFolder(scan.folder);
      return {
        folder: scan.folder,
        imageCount: scan.images.length,
        sizeRange: scan.sizeRange,
        problems: scan.problems.slice(0, 50),
        problemCount: scan.problems.length,
        thumbnails: scan.images.slice(0, 8).map((file) => path.join(scan.folder, file)),
        sampleRelation: await sampleRelationOfFolder(scan.folder),
      };
    },
    'fs:list': ({ path: folder }) => listFolder(folder, allowedRoots()),
    'presets:list': ({ model }) => presetsOf(model ?? 'cyclegan'),
    'training:start': async ({ dataA, dataB, preset, name, overrides, model }) => {
      const kind = model ?? 'cyclegan';
      await usableFolder(dataA);
      await usableFolder(dataB);
      // A CoGAN on the sample domains measures its agreement unless told another relation.
      const relation = kind === 'cogan' ? { relation: await relationFor(dataA, dataB, overrides?.relation) } : {};
      const config = buildRunConfig(kind, preset, { ...overrides, ...relation, dataA, dataB });
      const handle = await startTraining({ host, launch, config, name });
      jobs.add(handle);
      media.allowFolder(handle.runDir);
      return { runId: handle.runId };
    },
    'training:control': ({ id, action }) => {
      const job = jobs.get(id);
      if (!job) throw new Error(`Run ${id} is not training in this session; a stopped run can be continued instead.`);
      job[action]();
      return { id, action };
    },
    'compare:start': async (request) => {
      for (const folder of [request.a, request.b, request.truthA]) if (folder) await usableFolder(folder);
      const handle = await startCompare({ db, workspace, forcedBackend: options.backend }, launch, request);
      compares.add(handle);
      return { jobId: handle.jobId };
    },
    'compare:get': ({ jobId }) => compares.get(jobId),
    'checkpoint:export': async ({ runId, step, direction }) => {
      const { folder, files, bytes, sizeMultiple } = await exportRunCheckpoint(host, { runId, step, direction });
      return { folder, files, bytes, sizeMultiple };
    },
    'convert:start': async ({ runId, step, ...convert }) => {
      // A page may read and write only under the roots (the output folder is opened to /media).
      if (convert.inDir) await usableFolder(convert.inDir);
      for (const file of convert.files ?? []) await usableFolder(path.dirname(file));
      await usableOutput(convert.outDir);
      const handle = await startConvert({ db, workspace, forcedBackend: options.backend }, launch, {
        ...ConvertOptions.parse(convert),
        runId,
        step,
      });
      conversions.add(handle);
      media.allowFolder(handle.outDir);
      return { conversionId: handle.conversionId, step: handle.step, total: handle.total };
    },
    'convert:cancel': ({ conversionId }) => {
      const handle = conversions.get(conversionId);
      handle?.cancel();
      return { conversionId, cancelled: handle !== undefined };
    },
    'convert:list': ({ runId }) => {
      requireRun(db, runId);
      refresh();
      return listConversions(db, runId);
    },
    'samples:create': () =>
      (writingSamples ??= createSamples().finally(() => {
        writingSamples = null;
      })),
    'runs:resume': async ({ id }) => {
      const handle = await resumeTraining(host, launch, id);
      jobs.add(handle);
      return { runId: handle.runId };
    },
  };

  const host: Host = {
    workspace,
    db,
    storeReport,
    metrics,
    events,
    media,
    jobs,
    compares,
    conversions,
    launchEngine: launch,
    forcedBackend: options.backend,
    isAlive,
    dispatch: createDispatch(handlers, (error) => console.error('[diptych] request failed:', error)),
    close: () => {
      metrics.close();
      db.close();
    },
  };
  return host;
}
