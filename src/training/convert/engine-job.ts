// A convert job inside an engine process: open the checkpoint (any model: the registry, models/registry.ts),
// convert the folder or files, free the weights. Cancelling is the host's `stop`, which aborts `signal`.
import type { ConvertEngineEvent, ConvertJob } from '../../shared/convert.ts';
import { loadTranslator } from '../inference/load.ts';
import { type ConvertBatchResult, convertBatch } from './batch.ts';

export async function runConvertJob(
  job: ConvertJob,
  emit: (event: ConvertEngineEvent) => void,
  context: { signal?: AbortSignal; backend?: string } = {},
): Promise<ConvertBatchResult> {
  const translator = await loadTranslator(job.checkpointDir, {
    inversionSteps: job.inversionSteps,
    engine: job.engine,
  });
  try {
    return await convertBatch(job, {
      translator,
      emit,
      signal: context.signal,
      memoryBudgetBytes: job.memoryBudgetBytes,
      backend: context.backend,
    });
  } finally {
    translator.dispose();
  }
}
