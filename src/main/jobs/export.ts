// Exports a run's checkpoint generator for the web (src/training/export): resolves RUN + STEP|latest,
// and writes into the folder asked for, or the run's exports/<step>-<direction>/ folder. Quick
// (the weights are read and written once), so it runs in the caller's process, not in an engine.
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { resolveCheckpoint } from '../../node/checkpoint/resolve.ts';
import type { Direction } from '../../shared/basics.ts';
import { type ExportResult, exportCheckpoint } from '../../training/export/write-export.ts';
import type { Db } from '../store/database.ts';
import { requireRun, runFolder } from '../store/runs.ts';
import type { Workspace } from '../workspace.ts';

export interface ExportRequest {
  runId: string;
  step: number | 'latest';
  direction: Direction;
  out?: string | undefined;
}

/** A host process has no TensorFlow.js backend of its own; reading weights needs the plain one. */
async function ensureBackend(): Promise<void> {
  if (tf.engine().backendName) return;
  await import('@tensorflow/tfjs-backend-cpu');
  if (!(await tf.setBackend('cpu'))) throw new Error('TensorFlow.js could not start its cpu backend');
}

export async function exportRunCheckpoint(
  host: { db: Db; workspace: Workspace },
  request: ExportRequest,
): Promise<ExportResult & { step: number }> {
  requireRun(host.db, request.runId);
  const runDir = runFolder(host.workspace, request.runId);
  const checkpoint = await resolveCheckpoint(runDir, request.step);
  await ensureBackend();
  const folder = request.out ?? path.join(runDir, 'exports', `${checkpoint.step}-${request.direction}`);
  const result = await exportCheckpoint(checkpoint.dir, request.direction, folder, request.runId);
  return { ...result, step: checkpoint.step };
}
