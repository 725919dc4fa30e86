// Exports a run's checkpoint generator for the web (src/training/export): resolves RUN + STEP|latest,
// and has an engine write into the folder asked for, or the run's exports/<step>-<direction>/ folder.
// Reading the weights takes TensorFlow.js, which the host never loads (its memory and event loop stay
// the UI's), so even this quick job runs in an engine process.

import path from 'node:path';
import { readCheckpointManifest } from '../../node/checkpoint/manifest.ts';
import { resolveCheckpoint } from '../../node/checkpoint/resolve.ts';
import type { Direction, ExportFormat } from '../../shared/basics.ts';
import type { ExportWritten } from '../../shared/engine-protocol.ts';
import { directionProblem, MODELS } from '../../shared/models.ts';
import { startEngineSession } from '../engine/session.ts';
import { requireRun, runFolder } from '../store/runs.ts';
import type { JobContext } from './context.ts';

export interface ExportRequest {
  runId: string;
  step: number | 'latest';
  direction: Direction;
  out?: string | undefined;
  /** Absent: 'tfjs'. */
  format?: ExportFormat | undefined;
}

export async function exportRunCheckpoint(
  host: JobContext,
  request: ExportRequest,
): Promise<ExportWritten & { step: number }> {
  requireRun(host.db, request.runId);
  const runDir = runFolder(host.workspace, request.runId);
  const checkpoint = await resolveCheckpoint(runDir, request.step);
  const { model } = await readCheckpointManifest(checkpoint.dir);
  // Said before an engine starts: a CoGAN has no generator to export, a one-way model no B → A one.
  if (!MODELS[model].exportable)
    throw new Error(
      `A ${MODELS[model].label} checkpoint has no generator to export: it translates by a search (latent inversion), not one pass.`,
    );
  const oneWay = directionProblem(model, request.direction);
  if (oneWay) throw new Error(oneWay);
  const format = request.format ?? 'tfjs';
  const folder =
    request.out ??
    path.join(runDir, 'exports', `${checkpoint.step}-${request.direction}${format === 'onnx' ? '-onnx' : ''}`);
  let written: ExportWritten | null = null;
  const engine = startEngineSession(host.launch, {
    job: {
      type: 'export',
      job: { checkpointDir: checkpoint.dir, direction: request.direction, folder, runId: request.runId, format },
    },
    isEnd: (event) => event.type === 'export-finished',
    onEvent: (event) => {
      if (event.type === 'export-finished') written = event.written;
    },
  });
  const { error } = await engine.exited;
  if (written === null) throw new Error(error ?? 'The export engine stopped without a word.');
  return { ...(written as ExportWritten), step: checkpoint.step };
}
