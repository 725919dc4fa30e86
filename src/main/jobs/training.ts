// Starts and follows training jobs for a host: scans the two folders, creates the run and its
// folder, starts an engine process for it, and records what the engine reports (status,
// metrics, checkpoints, previews) in the run store. The engine reports; only the host writes.

import fs from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../../node/atomic.ts';
import { readLatest } from '../../node/checkpoint/latest.ts';
import type { EngineToHost, TrainJob } from '../../shared/engine-protocol.ts';
import { MODELS } from '../../shared/models.ts';
import type { RunConfig } from '../../shared/run-config.ts';
import type { TruthFiles } from '../../shared/truth.ts';
import { scanDataset } from '../datasets/scan.ts';
import { findTruthFiles } from '../datasets/truth-folder.ts';
import { startEngineSession } from '../engine/session.ts';
import { recordCheckpoint, recordDataset, recordPreview } from '../store/artifacts.ts';
import { truncateMetrics } from '../store/metrics.ts';
import {
  claimRunForResume,
  createRun,
  getRun,
  releaseRunClaim,
  runFolder,
  setRunStatus,
  updateRunConfig,
} from '../store/runs.ts';
import { recordTruthReport, truncateTruthReports } from '../store/truth-reports.ts';
import type { TrainingContext } from './context.ts';

export type JobOutcome = 'completed' | 'stopped' | 'failed';

export interface TrainingHandle {
  runId: string;
  runDir: string;
  pause(): void;
  resume(): void;
  /** Asks for a clean stop: the engine finishes its step and writes a checkpoint. */
  stop(): void;
  /**
   * A clean stop for a reason outside the engine (the database's disk is full): the run ends `failed`
   * with `reason`, its checkpoint kept, so that it can be resumed once the reason is gone.
   */
  failWith(reason: string): void;
  /** Every event the engine sends, for progress bars and the UI. */
  onEvent(listener: (event: EngineToHost) => void): void;
  /** Settles when the engine has exited; the run's status is recorded by then. */
  done: Promise<{ outcome: JobOutcome; error: string | null }>;
}

export interface StartTrainingOptions {
  config: RunConfig;
  name?: string | undefined;
}

async function scanDomain(folder: string, role: 'A' | 'B') {
  const scan = await scanDataset(folder);
  if (scan.images.length === 0) {
    const why =
      scan.problems.length > 0
        ? `none of its ${scan.problems.length} image files could be read`
        : 'it holds no images (jpg, png, webp, gif, tiff, avif…)';
    throw new Error(`Domain ${role} (${scan.folder}) cannot be trained on: ${why}.`);
  }
  return scan;
}

/**
 * A run's ground truth, where its A folder has one beside it and the model translates A → B in one
 * pass while it trains (CycleGAN, CUT). CoGAN samples pairs instead; its measure stays the pixel agreement.
 */
async function truthFor(config: RunConfig, filesA: string[]): Promise<TruthFiles | undefined> {
  if (!MODELS[config.model].anySize) return undefined;
  return (await findTruthFiles(filesA)) ?? undefined;
}

/** A folder's name for a run's default name; `samples/A` rather than a bare `A`. */
function folderLabel(folder: string): string {
  const base = path.basename(folder);
  return base.length <= 2 ? `${path.basename(path.dirname(folder))}/${base}` : base;
}

export async function startTraining(host: TrainingContext, options: StartTrainingOptions): Promise<TrainingHandle> {
  const { config } = options;
  const [scanA, scanB] = await Promise.all([scanDomain(config.dataA, 'A'), scanDomain(config.dataB, 'B')]);
  const record = (scan: typeof scanA, role: 'A' | 'B') =>
    recordDataset(host.db, {
      path: scan.folder,
      role,
      fileCount: scan.images.length,
      fingerprint: scan.fingerprint,
      problems: scan.problems.map((p) => `${p.file}: ${p.problem}`),
    });
  const runConfig = { ...config, dataA: scanA.folder, dataB: scanB.folder };
  const name = options.name ?? `${folderLabel(scanA.folder)} ↔ ${folderLabel(scanB.folder)}`;
  const runId = createRun(host.db, {
    name,
    model: config.model,
    config: runConfig,
    datasetA: record(scanA, 'A'),
    datasetB: record(scanB, 'B'),
  });
  const runDir = runFolder(host.workspace, runId);
  fs.mkdirSync(runDir, { recursive: true });
  await writeFileAtomic(path.join(runDir, 'config.json'), `${JSON.stringify(runConfig, null, 2)}\n`);
  const filesA = scanA.images.map((f) => path.join(scanA.folder, f));
  return launchJob(host, {
    runId,
    runDir,
    config: runConfig,
    filesA,
    filesB: scanB.images.map((f) => path.join(scanB.folder, f)),
    truth: await truthFor(runConfig, filesA),
  });
}

/** What a resume may change: the learning rate (the advice after a NaN roll-back is to lower it). */
export interface ResumeChanges {
  lr?: number;
}

/** Continues a stopped, failed or interrupted run exactly from its latest checkpoint. */
export async function resumeTraining(
  host: TrainingContext,
  runId: string,
  changes: ResumeChanges = {},
): Promise<TrainingHandle> {
  const run = getRun(host.db, host.workspace, runId);
  // Claimed before the first await: a second resume of the same run is refused, not started.
  const claim = claimRunForResume(host.db, runId, process.pid, host.isAlive);
  try {
    const runDir = runFolder(host.workspace, runId);
    const latest = await readLatest(runDir);
    if (!latest) throw new Error(`Run ${runId} has no checkpoint to resume from; start a new run instead.`);
    let config = run.config as RunConfig;
    if (changes.lr !== undefined && changes.lr !== config.lr) {
      if (!(changes.lr > 0 && changes.lr <= 1)) throw new Error(`--lr ${changes.lr} is not a learning rate in (0, 1].`);
      // The schedule scales from the new base rate from the resumed step on; the run's record and its
      // config.json say so, for the next resume and for whoever reads the run later.
      config = { ...config, lr: changes.lr };
      updateRunConfig(host.db, runId, config);
      await writeFileAtomic(path.join(runDir, 'config.json'), `${JSON.stringify(config, null, 2)}\n`);
    }
    const [scanA, scanB] = await Promise.all([scanDomain(config.dataA, 'A'), scanDomain(config.dataB, 'B')]);
    // The metrics after the resumed step are cut when the engine says which step it loaded ('started'):
    // the pointer's step can be older than its folder's (a crash between the two writes).
    const filesA = scanA.images.map((f) => path.join(scanA.folder, f));
    return launchJob(host, {
      runId,
      runDir,
      config,
      filesA,
      filesB: scanB.images.map((f) => path.join(scanB.folder, f)),
      resumeFrom: latest.path,
      truth: await truthFor(config, filesA),
    });
  } catch (error) {
    releaseRunClaim(host.db, claim);
    throw error;
  }
}

function launchJob(host: TrainingContext, job: Omit<TrainJob, 'backend'>): TrainingHandle {
  const { runId } = job;
  const listeners: ((event: EngineToHost) => void)[] = [];
  let outcome: JobOutcome | null = null;
  let hostFailure: string | null = null;

  const safely = (what: string, action: () => void) => {
    try {
      action();
    } catch (failure) {
      console.error(`[diptych] run ${runId}: could not record ${what}: ${(failure as Error).message}`);
    }
  };

  const record = (event: EngineToHost) => {
    switch (event.type) {
      case 'started':
        if (job.resumeFrom) {
          // Steps after the checkpoint the engine actually loaded will be trained again: their old
          // metrics would be duplicates. Cut at that step, and only there (one value for both).
          host.metrics.flush();
          safely('the resume point', () => {
            truncateMetrics(host.db, runId, event.startStep);
            truncateTruthReports(host.db, runId, event.startStep);
          });
        }
        safely('the start', () =>
          setRunStatus(host.db, runId, 'running', {
            enginePid: engine.pid ?? 0,
            backend: event.backend.name,
            device: event.backend.device,
            ...(event.backend.adapter ? { adapter: event.backend.adapter } : {}),
          }),
        );
        break;
      case 'metrics':
        host.metrics.write(event);
        break;
      case 'checkpoint':
        // The rows up to a checkpoint go to disk before the checkpoint's row: a host killed right after
        // it must not lose the steps a resume will start after.
        host.metrics.flush();
        safely('a checkpoint', () =>
          recordCheckpoint(host.db, host.workspace, {
            runId,
            step: event.step,
            epoch: event.epoch,
            path: event.path,
            sizeBytes: event.bytes,
          }),
        );
        break;
      case 'saved':
        // A resume may start from this `last` state: the rows of its steps go to disk now.
        host.metrics.flush();
        break;
      case 'truth':
        safely('a ground-truth report', () => recordTruthReport(host.db, runId, event.report));
        break;
      case 'preview':
        safely('a preview', () => recordPreview(host.db, host.workspace, runId, event.step, event.path));
        break;
      case 'paused':
        safely('the pause', () => setRunStatus(host.db, runId, 'paused'));
        break;
      case 'resumed':
        safely('the resume', () => setRunStatus(host.db, runId, 'running', { enginePid: engine.pid ?? 0 }));
        break;
      case 'finished':
        outcome = hostFailure ? 'failed' : event.status;
        host.metrics.flush();
        safely('the end', () =>
          setRunStatus(
            host.db,
            runId,
            hostFailure ? 'failed' : event.status,
            hostFailure ? { error: hostFailure } : {},
          ),
        );
        break;
    }
  };

  const engine = startEngineSession(host.launch, {
    job: { type: 'train', job: { ...job, backend: host.forcedBackend } },
    isEnd: (event) => event.type === 'finished',
    onEvent: (event) => {
      record(event);
      for (const listener of listeners) listener(event);
    },
  });

  const done = engine.exited.then(({ error }) => {
    host.metrics.flush();
    if (outcome === null) {
      safely('the failure', () => setRunStatus(host.db, runId, 'failed', { error: error ?? undefined }));
      return { outcome: 'failed' as const, error };
    }
    return { outcome, error: hostFailure ?? error };
  });

  return {
    runId,
    runDir: job.runDir,
    pause: () => engine.send({ type: 'pause' }),
    resume: () => engine.send({ type: 'resume' }),
    stop: () => engine.send({ type: 'stop' }),
    failWith: (reason) => {
      if (hostFailure || outcome) return;
      hostFailure = reason;
      // Said at once, as a failure the UI and the CLI show, not only when the run has ended.
      for (const listener of listeners) listener({ type: 'log', level: 'error', message: reason });
      engine.send({ type: 'stop' });
    },
    onEvent: (listener) => listeners.push(listener),
    done,
  };
}
