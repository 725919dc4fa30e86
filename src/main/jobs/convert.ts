// Batch conversion for a host: resolves the run's checkpoint, checks the folders (or loose files)
// and counts the inputs before any engine starts (so a bad request fails at once and writes nothing), records
// the conversion in the run's store, starts an engine for it, and keeps the record current from
// the engine's events. The engine converts; only the host writes the database.

import { randomBytes } from 'node:crypto';
import { readCheckpointManifest } from '../../node/checkpoint/manifest.ts';
import { resolveCheckpoint } from '../../node/checkpoint/resolve.ts';
import { collectConvertInputs } from '../../node/convert/inputs.ts';
import type { ConvertEngineEvent, ConvertJob, ConvertOptions } from '../../shared/convert.ts';
import type { EngineToHost } from '../../shared/engine-protocol.ts';
import { directionProblem, MODELS } from '../../shared/models.ts';
import { startEngineSession } from '../engine/session.ts';
import {
  createConversion,
  listCheckpoints,
  recordCheckpoint,
  setConversionEngine,
  updateConversion,
} from '../store/artifacts.ts';
import { requireRun, runFolder } from '../store/runs.ts';
import type { JobContext } from './context.ts';

export interface ConvertRequest extends ConvertOptions {
  runId: string;
  step: number | 'latest';
  /** Bytes a translation may use before an image is tiled; absent: the backend's default. */
  memoryBudgetBytes?: number | undefined;
}

/** The engine's events, plus the host's word when the engine failed or vanished. */
export type ConvertEvent = ConvertEngineEvent | { type: 'convert-failed'; jobId: string; message: string };

export interface ConvertOutcome {
  status: 'completed' | 'stopped' | 'failed';
  converted: number;
  skipped: number;
  failed: number;
  error: string | null;
}

export interface ConvertHandle {
  conversionId: number;
  jobId: string;
  runId: string;
  step: number;
  /** Input images found (the record's total). */
  total: number;
  /** The input folder, or the folder holding every loose file. */
  inDir: string;
  outDir: string;
  onEvent(listener: (event: ConvertEvent) => void): void;
  /** Asks the engine to stop between tiles; what is written stays, complete. */
  cancel(): void;
  /** Records the conversion as interrupted, for a host that leaves without waiting (a second Ctrl-C). */
  abandon(): void;
  done: Promise<ConvertOutcome>;
}

/** The checkpoints table's id for a checkpoint folder, recording it if training did not (a copied run). */
async function checkpointId(host: JobContext, runId: string, step: number, dir: string): Promise<number> {
  const known = listCheckpoints(host.db, host.workspace, runId).find((c) => c.step === step);
  if (known) return known.id;
  const manifest = await readCheckpointManifest(dir);
  return recordCheckpoint(host.db, host.workspace, {
    runId,
    step,
    epoch: manifest.epoch,
    path: dir,
    sizeBytes: manifest.weightsBytes,
  });
}

export async function startConvert(host: JobContext, request: ConvertRequest): Promise<ConvertHandle> {
  requireRun(host.db, request.runId);
  const runDir = runFolder(host.workspace, request.runId);
  const checkpoint = await resolveCheckpoint(runDir, request.step);
  const { model } = await readCheckpointManifest(checkpoint.dir);
  const oneWay = directionProblem(model, request.direction);
  if (oneWay) throw new Error(oneWay);
  if (request.size === 'tiled' && !MODELS[model].anySize)
    throw new Error(
      'A CoGAN checkpoint translates images of its own fixed size as a whole (by latent inversion), so it cannot tile: choose full (the model’s size) or a side in px.',
    );
  const folders = await collectConvertInputs(request);
  const inputs = folders.inputs;
  if (inputs.length === 0)
    throw new Error(`The input folder ${folders.inDir} holds no images (jpg, png, webp, tiff, gif, avif…).`);
  const conversionId = createConversion(host.db, {
    runId: request.runId,
    checkpointId: await checkpointId(host, request.runId, checkpoint.step, checkpoint.dir),
    direction: request.direction,
    inputPath: folders.inDir,
    outputPath: folders.outDir,
    total: inputs.length,
  });
  const jobId = `cnv-${randomBytes(6).toString('hex')}`;
  const job: ConvertJob = {
    jobId,
    checkpointDir: checkpoint.dir,
    direction: request.direction,
    ...(folders.loose ? { files: inputs.map((input) => input.source) } : { inDir: folders.inDir }),
    work: folders,
    outDir: folders.outDir,
    size: request.size,
    format: request.format,
    quality: request.quality,
    skipExisting: request.skipExisting,
    engine: request.engine,
    ...(request.shard ? { shard: request.shard } : {}),
    ...(request.inversionSteps === undefined ? {} : { inversionSteps: request.inversionSteps }),
    memoryBudgetBytes: request.memoryBudgetBytes,
    backend: host.forcedBackend,
  };

  const listeners: ((event: ConvertEvent) => void)[] = [];
  const counts = { converted: 0, skipped: 0, failed: 0 };
  let finished: 'completed' | 'stopped' | null = null;
  let reason: string | null = null;
  const publish = (event: ConvertEvent) => {
    for (const listener of listeners) listener(event);
  };
  const safely = (action: () => void) => {
    try {
      action();
    } catch (failure) {
      console.error(`[diptych] conversion ${conversionId}: could not record progress: ${(failure as Error).message}`);
    }
  };

  const record = (message: EngineToHost) => {
    switch (message.type) {
      case 'convert-file':
        counts[message.status]++;
        safely(() =>
          updateConversion(host.db, conversionId, {
            converted: counts.converted,
            failures: message.status === 'failed' ? [{ file: message.input, reason: message.reason ?? 'failed' }] : [],
          }),
        );
        break;
      case 'convert-finished':
        finished = message.status;
        // A batch that stopped on its own (the output disk is full) says why, once, in the record too.
        if (message.reason) reason = message.reason;
        safely(() =>
          updateConversion(host.db, conversionId, {
            converted: counts.converted,
            status: message.status,
            ...(message.reason ? { error: message.reason } : {}),
          }),
        );
        break;
      case 'convert-started':
      case 'convert-tile':
        break;
      default:
        return;
    }
    publish(message as ConvertEngineEvent);
  };

  const engine = startEngineSession(host.launch, {
    job: { type: 'convert', job },
    isEnd: (event) => event.type === 'convert-finished',
    // From here the engine answers for the record (the host owned it until now): a host that dies
    // leaves it to the engine, and a dead engine leaves it interrupted at the next look.
    onReady: (pid) => safely(() => setConversionEngine(host.db, conversionId, pid)),
    onEvent: record,
  });

  const done = engine.exited.then(({ ended, error }): ConvertOutcome => {
    if (!ended) {
      const message = error ?? 'The engine stopped without a word.';
      safely(() =>
        updateConversion(host.db, conversionId, { converted: counts.converted, status: 'failed', error: message }),
      );
      publish({ type: 'convert-failed', jobId, message });
      return { status: 'failed', ...counts, error: message };
    }
    return { status: finished ?? 'failed', ...counts, error: reason ?? error };
  });

  return {
    conversionId,
    jobId,
    runId: request.runId,
    step: checkpoint.step,
    total: inputs.length,
    inDir: folders.inDir,
    outDir: folders.outDir,
    onEvent: (listener) => listeners.push(listener),
    cancel: () => engine.send({ type: 'stop' }),
    abandon: () => {
      if (finished !== null) return;
      safely(() =>
        updateConversion(host.db, conversionId, {
          converted: counts.converted,
          status: 'interrupted',
          error: 'the host left before the batch stopped; --skip-existing resumes it',
        }),
      );
      engine.kill();
    },
    done,
  };
}
