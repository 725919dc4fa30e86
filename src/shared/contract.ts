// The one API contract between the UI and the host. Every transport (Electron IPC through
// the preload, the web host's WebSocket bridge, direct in-process calls) carries exactly
// these channels, and every request is parsed with its schema at the host's boundary.
import { z } from 'zod';
import { BackendInfo, GpuAdapter } from './backend.ts';
import { Direction, ExportFormat, RunId, Step, StepOrLatest } from './basics.ts';
import { CompareResult, KnownRelation } from './compare.ts';
import { ConvertOptions } from './convert.ts';
import { ModelName } from './models.ts';
import { OptionIssue } from './options/issues.ts';
import { rowsWithKey, widest } from './options/lookup.ts';
import { trainingOverridesSchema, validatorOf } from './options/schema.ts';
import { PRESET_NAMES } from './run-config.ts';
import { TruthReport } from './truth.ts';

export const AppInfo = z.object({
  name: z.literal('Diptych'),
  version: z.string(),
  host: z.enum(['electron', 'web', 'cli', 'test']),
  workspace: z.string(),
  /** Null until the engine has answered; the error says why it could not. */
  backend: BackendInfo.nullable(),
  backendError: z.string().nullable(),
});
export type AppInfo = z.infer<typeof AppInfo>;

export const RunStatus = z.enum(['queued', 'running', 'paused', 'stopped', 'completed', 'failed', 'interrupted']);
export type RunStatus = z.infer<typeof RunStatus>;

export { ModelName } from './models.ts';

/** Last recorded value of each loss; null where the value was not finite (NaN, ±Infinity). */
export const LossValues = z.record(z.string(), z.number().nullable());
export type LossValues = z.infer<typeof LossValues>;

export const RunSummary = z.object({
  id: RunId,
  name: z.string(),
  model: ModelName,
  status: RunStatus,
  createdAt: z.string(),
  updatedAt: z.string(),
  backend: z.string().nullable(),
  /** The last step with a recorded metric, and each loss's value at its own last step. */
  lastStep: z.number().int().nullable(),
  lastLosses: LossValues,
  /** The engine's epoch at lastStep, counted from 0 (the epoch in progress); null before any metric. */
  epoch: z.number().int().nullable(),
  /** A couple of images of each domain's folder; empty when the folder has gone (or none was recorded). */
  thumbnails: z.object({ A: z.array(z.string()), B: z.array(z.string()) }),
});
export type RunSummary = z.infer<typeof RunSummary>;

export const DatasetRecord = z.object({
  id: z.number().int(),
  path: z.string(),
  role: z.enum(['A', 'B']),
  fileCount: z.number().int(),
  fingerprint: z.string(),
  problems: z.array(z.string()),
  scannedAt: z.string(),
  /** Whether the folder is still there (its contents are compared by a rescan, not here). */
  exists: z.boolean(),
});
export type DatasetRecord = z.infer<typeof DatasetRecord>;

export const CheckpointRecord = z.object({
  id: z.number().int(),
  step: z.number().int(),
  epoch: z.number().int(),
  /** Absolute path, resolved against the workspace as it is now. */
  path: z.string(),
  sizeBytes: z.number().int(),
  createdAt: z.string(),
  /** False when the checkpoint's files have vanished: reported, never a crash. */
  exists: z.boolean(),
});
export type CheckpointRecord = z.infer<typeof CheckpointRecord>;

export const ConversionStatus = z.enum(['queued', 'running', 'stopped', 'completed', 'failed', 'interrupted']);

export const ConversionRecord = z.object({
  id: z.number().int(),
  checkpointId: z.number().int().nullable(),
  checkpointStep: z.number().int(),
  direction: Direction,
  inputPath: z.string(),
  outputPath: z.string(),
  total: z.number().int(),
  converted: z.number().int(),
  failed: z.number().int(),
  status: ConversionStatus,
  createdAt: z.string(),
  finishedAt: z.string().nullable(),
  error: z.string().nullable(),
  failures: z.array(z.object({ file: z.string(), reason: z.string() })),
});
export type ConversionRecord = z.infer<typeof ConversionRecord>;

export const RunDetail = RunSummary.extend({
  config: z.unknown(),
  device: z.string().nullable(),
  /** The GPU adapter of a run trained on webgpu (the last start's); null otherwise. */
  adapter: GpuAdapter.nullable(),
  error: z.string().nullable(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
  /** For an interrupted run: the step of the checkpoint it can resume from (null: start over). */
  resumeStep: z.number().int().nullable(),
  folder: z.string(),
  datasets: z.object({ A: DatasetRecord.nullable(), B: DatasetRecord.nullable() }),
  lossNames: z.array(z.string()),
  checkpoints: z.array(CheckpointRecord),
  previews: z.array(z.object({ step: z.number().int(), path: z.string(), exists: z.boolean() })),
  conversions: z.array(ConversionRecord),
  notes: z.array(z.object({ id: z.number().int(), body: z.string(), createdAt: z.string() })),
  tags: z.array(z.string()),
  /** Distance to the ground truth by step (step 0 first), for runs whose A folder has one beside it; empty otherwise. */
  truth: z.array(TruthReport),
});
export type RunDetail = z.infer<typeof RunDetail>;

/** The most points one series may carry to a chart, whatever the run's length. */
export const MAX_SERIES_POINTS = 2000;

export const MetricSeries = z.object({
  loss: z.string(),
  steps: z.array(z.number().int()),
  /** null marks a non-finite value (a gap in the chart). */
  values: z.array(z.number().nullable()),
  /** Rows in the requested range before downsampling. */
  total: z.number().int(),
  downsampled: z.boolean(),
});
export type MetricSeries = z.infer<typeof MetricSeries>;

const LossName = z.string().min(1).max(64);

export const MetricsRequest = z
  .object({
    id: RunId,
    /** Which losses; all of the run's when left out. */
    losses: z.array(LossName).max(64).optional(),
    fromStep: Step.optional(),
    toStep: Step.optional(),
    points: z.number().int().min(2).max(MAX_SERIES_POINTS).optional(),
  })
  .strict()
  .refine((r) => r.fromStep === undefined || r.toStep === undefined || r.fromStep <= r.toStep, {
    message: 'fromStep must not be after toStep',
  });

const NoArgs = z.object({}).strict();

/** A folder as the new-run screen shows it: what training would see in it. */
export const DatasetPreview = z.object({
  folder: z.string(),
  imageCount: z.number().int(),
  sizeRange: z.object({ min: z.tuple([z.number(), z.number()]), max: z.tuple([z.number(), z.number()]) }).nullable(),
  /** Unreadable files, each named once (at most 50 listed; problemCount has them all). */
  problems: z.array(z.object({ file: z.string(), problem: z.string() })),
  problemCount: z.number().int(),
  /** Up to 8 image paths for a thumbnail strip (served by the media route / protocol). */
  thumbnails: z.array(z.string()),
  /**
   * When the folder is A or B of Diptych's sample domains: their known relation, which a CoGAN run
   * on both recognises by itself (src/main/jobs/sample-relation.ts); null otherwise.
   */
  sampleRelation: z.enum(['negative', 'palette']).nullable().optional(),
});
export type DatasetPreview = z.infer<typeof DatasetPreview>;

export const FolderListing = z.object({
  path: z.string(),
  parent: z.string().nullable(),
  folders: z.array(z.object({ name: z.string(), path: z.string() })),
  imageCount: z.number().int(),
  /** The open folder's image files (at most MAX_LISTED_IMAGES), for picking loose files to convert. */
  images: z.array(z.object({ name: z.string(), path: z.string() })).optional(),
  /** The folders browsing may start from (DIPTYCH_ROOTS, or home and the temporary folder). */
  roots: z.array(z.string()),
});
export type FolderListing = z.infer<typeof FolderListing>;

const FolderPath = z.string().min(1).max(4096);

/**
 * The options a new run may override on its preset: those the New-run form offers, for either
 * model, built from the option table (src/shared/options/table.ts); the config refuses a CycleGAN
 * option for a CoGAN and the reverse.
 */
export const TrainingOverrides = trainingOverridesSchema();

export const TrainingAction = z.enum(['pause', 'resume', 'stop']);

/** A checkpoint as a person names it: a run and a step, or the run's latest. */
export const CheckpointRef = z.object({ runId: RunId, step: StepOrLatest }).strict();

/** compare:start — score 1 to 4 checkpoints on a sample of held-out images of both domains (docs/COMPARE.md). */
export const CompareRequest = z
  .object({
    checkpoints: z.array(CheckpointRef).min(1).max(4),
    a: FolderPath,
    b: FolderPath,
    /** Images sampled from each folder, evenly spread (default 8). */
    count: z.number().int().min(1).max(64).optional(),
    /** Side the images are compared at (default: the first checkpoint's training size). */
    size: z.number().int().min(16).max(1024).optional(),
    /** The known per-pixel relation between the domains, when the folders do not announce it. */
    relation: KnownRelation.optional(),
    /** A folder with domain A's ground truth under the same file names. */
    truthA: FolderPath.optional(),
    /** Where the grids and compare.json go (default: the workspace's compare folder). */
    out: FolderPath.optional(),
  })
  .strict();

/** compare:get — where a comparison started in this session stands. */
export const CompareStatus = z.object({
  jobId: z.string(),
  status: z.enum(['running', 'finished', 'failed']),
  /** The engine's last progress: images done of the current checkpoint. */
  progress: z.object({ checkpoint: z.string(), done: z.number().int(), total: z.number().int() }).nullable(),
  result: CompareResult.nullable(),
  error: z.string().nullable(),
});
export type CompareStatus = z.infer<typeof CompareStatus>;

export const ExportResult = z.object({
  /** The folder holding model.json, generator.weights.bin and README.md. */
  folder: z.string(),
  files: z.array(z.string()),
  bytes: z.number().int(),
  /** The exported generator takes sides that are multiples of this. */
  sizeMultiple: z.number().int(),
  /** The checkpoint's step (`latest` resolved). */
  step: z.number().int(),
});

/** convert:start — convert a folder, or loose files, with one checkpoint of a run (docs/CONVERT.md). */
export const ConvertStartRequest = ConvertOptions.extend({
  runId: RunId,
  step: StepOrLatest,
  inDir: FolderPath.optional(),
  /** Loose image files instead of inDir (each checked: exists, is an image). */
  files: z.array(FolderPath).min(1).max(10_000).optional(),
  outDir: FolderPath,
  /** MB one translation may use before an image is tiled (default: by backend). */
  memoryBudgetMb: z.number().int().min(1).max(1_000_000).optional(),
}).strict();

const ConversionId = z.number().int().min(1);

/** The sample pair written into the workspace, and the model and preset to train it with. */
export const SampleFolders = z.object({
  /** The folder holding A, B and truth (A's ground truth, under A's file names). */
  folder: z.string(),
  a: z.string(),
  b: z.string(),
  truth: z.string(),
  images: z.number().int(),
  size: z.number().int(),
  /** Files written now (0 when an earlier call had written them all). */
  written: z.number().int(),
  model: z.literal('cyclegan'),
  preset: z.literal('demo'),
});
export type SampleFolders = z.infer<typeof SampleFolders>;

/** Channel name → request and response schemas. Channel names live here and nowhere else. */
export const channels = {
  'app:info': { request: NoArgs, response: AppInfo },
  'runs:list': { request: NoArgs, response: z.array(RunSummary) },
  'runs:get': { request: z.object({ id: RunId }).strict(), response: RunDetail },
  'runs:rename': {
    request: z.object({ id: RunId, name: z.string().trim().min(1).max(200) }).strict(),
    response: RunSummary,
  },
  'runs:delete': {
    request: z.object({ id: RunId }).strict(),
    response: z.object({ id: RunId, folderRemoved: z.boolean() }),
  },
  'runs:metrics': { request: MetricsRequest, response: z.array(MetricSeries) },
  'runs:note': {
    request: z.object({ id: RunId, body: z.string().trim().min(1).max(10_000) }).strict(),
    response: RunDetail.shape.notes.element,
  },
  'runs:tags': {
    request: z.object({ id: RunId, tags: z.array(z.string().trim().min(1).max(64)).max(64) }).strict(),
    response: z.array(z.string()),
  },
  'datasets:preview': { request: z.object({ path: FolderPath }).strict(), response: DatasetPreview },
  /** Folder browser for the web host, limited to the host's allowed roots. */
  'fs:list': { request: z.object({ path: FolderPath.optional() }).strict(), response: FolderListing },
  'presets:list': {
    /** One model's presets; CycleGAN's when no model is given. */
    request: z.object({ model: ModelName.optional() }).strict(),
    response: z.array(z.object({ name: z.string(), summary: z.string(), defaults: z.record(z.string(), z.unknown()) })),
  },
  'training:start': {
    request: z
      .object({
        dataA: FolderPath,
        dataB: FolderPath,
        preset: z.enum(PRESET_NAMES),
        name: z.string().trim().min(1).max(200).optional(),
        overrides: TrainingOverrides.optional(),
        /** cyclegan when absent; a CoGAN's presets are tiny, quick and standard (no demo). */
        model: ModelName.optional(),
      })
      .strict(),
    response: z.object({ runId: RunId, runDir: z.string() }),
  },
  'training:control': {
    request: z.object({ id: RunId, action: TrainingAction }).strict(),
    response: z.object({ id: RunId, action: TrainingAction }),
  },
  /** Continue a stopped, failed or interrupted run from its latest checkpoint. */
  'runs:resume': {
    request: z
      .object({
        id: RunId,
        /** Continue with this base learning rate (the advice after a NaN roll-back: a lower one). */
        lr: (validatorOf(widest(rowsWithKey('lr'))) as z.ZodType<number, number>).optional(),
      })
      .strict(),
    response: z.object({ runId: RunId, runDir: z.string() }),
  },
  /**
   * Starts a comparison; progress and the result arrive as HostEvents `{ type: 'compare', jobId, event }`
   * (CompareEvent in src/shared/compare.ts), and compare:get answers at any time.
   */
  'compare:start': { request: CompareRequest, response: z.object({ jobId: z.string() }) },
  'compare:get': {
    request: z.object({ jobId: z.string().regex(/^cmp-[a-z0-9-]{1,40}$/, 'not a comparison id') }).strict(),
    response: CompareStatus,
  },
  /**
   * Exports one generator of a CycleGAN or CUT checkpoint as a TensorFlow.js graph model (model.json +
   * weights + README.md; format 'tfjs', the default) or an ONNX model (model.onnx + README.md; 'onnx')
   * into `out`, or the run's exports/<step>-<direction>/ folder (…-onnx/ for ONNX).
   */
  'checkpoint:export': {
    request: z
      .object({
        runId: RunId,
        step: StepOrLatest,
        direction: Direction,
        /** A new or empty folder (or an earlier export) to write into. */
        out: FolderPath.optional(),
        /** 'tfjs' (the default) or 'onnx'. */
        format: ExportFormat.optional(),
      })
      .strict(),
    response: ExportResult,
  },
  /**
   * Starts converting a folder; the folders are checked and the inputs counted first (an error
   * then writes nothing). Progress arrives as HostEvents `{ type: 'convert', conversionId, runId, event }`;
   * the record is in convert:list and runs:get's conversions.
   */
  'convert:start': {
    request: ConvertStartRequest,
    response: z.object({
      conversionId: ConversionId,
      step: z.number().int(),
      total: z.number().int(),
      /** The input folder, or the folder holding every loose file. */
      inDir: z.string(),
      outDir: z.string(),
    }),
  },
  /** Stops a running conversion between tiles; the outputs written so far stay, complete. */
  'convert:cancel': {
    request: z.object({ conversionId: ConversionId }).strict(),
    response: z.object({ conversionId: ConversionId, cancelled: z.boolean() }),
  },
  'convert:list': { request: z.object({ runId: RunId }).strict(), response: z.array(ConversionRecord) },
  /**
   * "Try it with sample folders": writes the demo's sample pair (DEMO_SAMPLES, src/shared/demo.ts)
   * into the workspace, or finds it already there, and says how to train on it. Takes no options: a
   * page never names the folder it writes to. Progress arrives as HostEvents `{ type: 'samples' }`.
   */
  'samples:create': { request: NoArgs, response: SampleFolders },
} as const;

export type Channel = keyof typeof channels;
export type RequestOf<C extends Channel> = z.input<(typeof channels)[C]['request']>;
export type ResponseOf<C extends Channel> = z.output<(typeof channels)[C]['response']>;

export function isChannel(name: unknown): name is Channel {
  return typeof name === 'string' && Object.hasOwn(channels, name);
}

/** What every transport returns: errors travel as values, never as thrown transport errors. */
export type ApiResult<T> = { ok: true; value: T } | { ok: false; error: ApiError };
export const ApiErrorCode = z.enum(['bad-request', 'unknown-channel', 'failed']);
export const ApiError = z.object({
  code: ApiErrorCode,
  message: z.string(),
  /**
   * What was wrong, one issue per problem, where the host can tell (a refused request, refused
   * training options): `path` names the field (`cropSize`, `overrides.cropSize`), so a form puts
   * each message next to it. The message says the same in one line.
   */
  issues: z.array(OptionIssue).optional(),
});
export type ApiError = z.infer<typeof ApiError>;

/**
 * What the host pushes to every window, unasked: a training job's events as the engine sent
 * them (progress, metrics, previews, checkpoints, pause, end), and a nudge when the runs list
 * changed. Types only: the host produces these, so they are not parsed again in the renderer.
 */
export type HostEvent =
  | { type: 'job'; runId: string; event: import('./engine-protocol.ts').EngineToHost }
  | { type: 'runs-changed' }
  /** A training job's engine has exited; the run's status is recorded by then. */
  | { type: 'job-ended'; runId: string; outcome: 'completed' | 'stopped' | 'failed'; error: string | null }
  /** samples:create writing the sample pair: images done of total. */
  | { type: 'samples'; done: number; total: number }
  /** A comparison's progress, per-checkpoint completion, and end (finished with the result, or failed). */
  | { type: 'compare'; jobId: string; event: import('./compare.ts').CompareEvent }
  /** A conversion's start, each file, tiles of a large image, and its end (or the host's word that it failed). */
  | {
      type: 'convert';
      conversionId: number;
      runId: string;
      event: import('./convert.ts').ConvertEngineEvent | { type: 'convert-failed'; jobId: string; message: string };
    };

/** The typed surface the renderer sees as window.diptych, whatever carries it. */
export interface DiptychApi {
  invoke<C extends Channel>(channel: C, request: RequestOf<C>): Promise<ApiResult<ResponseOf<C>>>;
  /** Subscribes to host events; returns the unsubscribe function. */
  onEvent(listener: (event: HostEvent) => void): () => void;
  /** The URL the renderer uses to show an image file the host allows (dataset folders, workspace). */
  mediaUrl(path: string): string;
}
