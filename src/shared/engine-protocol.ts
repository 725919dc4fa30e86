// Messages between a host and an engine process (one job per process). The engine never
// writes the database: it reports, the host records.
import type { BackendInfo } from './backend.ts';
import type { BackendName, Direction } from './basics.ts';
import type { CompareEngineEvent, CompareJob } from './compare.ts';
import type { ConvertEngineEvent, ConvertJob } from './convert.ts';
import type { RunConfig } from './run-config.ts';

/** A training job as the host hands it to an engine: the files are the host's scan of the folders. */
export interface TrainJob {
  runId: string;
  /** The run's folder (config.json, checkpoints/, previews/), created by the host. */
  runDir: string;
  /** Either model's config; `config.model` says which trainer runs it. */
  config: RunConfig;
  filesA: string[];
  filesB: string[];
  /** A checkpoint folder to continue from exactly (resume). */
  resumeFrom?: string | undefined;
  backend?: BackendName | undefined;
  /** The ground truth of some A images, where the host found one (src/shared/truth.ts). */
  truth?: import('./truth.ts').TruthFiles | undefined;
}

/** A checkpoint's generator exported for the web (src/training/export), into `folder`. */
export interface ExportJob {
  checkpointDir: string;
  direction: Direction;
  folder: string;
  runId: string;
  /** Absent: 'tfjs'. */
  format?: import('./basics.ts').ExportFormat | undefined;
}

/** What an export wrote. */
export interface ExportWritten {
  folder: string;
  files: string[];
  bytes: number;
  /** Input sides must be multiples of this. */
  sizeMultiple: number;
}

export type HostToEngine =
  | { type: 'probe'; backend?: BackendName | undefined }
  | { type: 'train'; job: TrainJob }
  /** Score checkpoints on an image set (src/shared/compare.ts); answered with compare-* events. */
  | { type: 'compare'; job: CompareJob }
  /** Convert a folder with one checkpoint (src/shared/convert.ts); `stop` cancels it. */
  | { type: 'convert'; job: ConvertJob }
  /** Export a generator (reading the weights takes TensorFlow.js, which the host never loads). */
  | { type: 'export'; job: ExportJob }
  | { type: 'pause' }
  | { type: 'resume' }
  /** Stop after the current step, with a checkpoint. */
  | { type: 'stop' }
  | { type: 'exit' };

/** One training step's losses; the host batches these into the metrics table (src/main/store/metrics.ts). */
export interface MetricsEvent {
  runId: string;
  step: number;
  epoch: number;
  losses: Record<string, number>;
  /**
   * Sent again by a resumed run, from the checkpoint it loaded (training/loop/recent-metrics.ts): the
   * host stores it like any row; live views, which reload the stored history on a start, skip it.
   */
  replayed?: true;
}

export interface ProgressEvent {
  runId: string;
  /** Steps done so far (the next step's index). */
  step: number;
  epoch: number;
  totalSteps: number;
  epochLength: number;
  imagesPerSecond: number;
  /** Seconds left at the recent pace; null until there is a pace. */
  etaSeconds: number | null;
  learningRate: number;
}

export type EngineToHost =
  | { type: 'ready'; pid: number }
  | { type: 'backend'; info: BackendInfo }
  | {
      type: 'started';
      runId: string;
      backend: BackendInfo;
      startStep: number;
      totalSteps: number;
      epochLength: number;
      /** Something the person starting the run should know, e.g. that the learning-rate schedule was stretched. */
      note?: string;
    }
  | ({ type: 'metrics' } & MetricsEvent)
  | ({ type: 'progress' } & ProgressEvent)
  | { type: 'preview'; runId: string; step: number; path: string }
  | { type: 'checkpoint'; runId: string; step: number; epoch: number; path: string; bytes: number }
  /** The unnumbered `last` checkpoint (resumable state, no database row) was written at `step`. */
  | { type: 'saved'; runId: string; step: number }
  /** Distance to the ground truth beside the trivial answers (src/shared/truth.ts): at step 0 and each checkpoint. */
  | { type: 'truth'; runId: string; report: import('./truth.ts').TruthReport }
  | { type: 'skipped'; runId: string; file: string; reason: string }
  | { type: 'paused'; runId: string; step: number; reason: 'requested' | 'non-finite-loss'; message: string }
  | { type: 'resumed'; runId: string; step: number }
  | { type: 'finished'; runId: string; status: 'completed' | 'stopped'; step: number }
  | { type: 'log'; level: 'info' | 'warn' | 'error'; message: string }
  | { type: 'fatal'; message: string }
  | { type: 'export-finished'; written: ExportWritten }
  | CompareEngineEvent
  | ConvertEngineEvent;
