// Checkpoint IO in one import for the trainers and the host: save, load, the manifest alone, and
// the run's `latest` pointer.
export type { CheckpointFs } from './atomic-dir.ts';
export { restoreInterruptedSwap } from './atomic-dir.ts';
export type {
  CheckpointManifest,
  CheckpointModel,
  CheckpointRecord,
  CheckpointTarget,
  LoadedCheckpoint,
  TensorEntry,
} from './format.ts';
export { CHECKPOINT_FORMAT, MANIFEST_FILE, WEIGHTS_FILE } from './format.ts';
export { CHECKPOINTS_DIR, checkpointDir, LATEST_FILE, type LatestPointer, readLatest, writeLatest } from './latest.ts';
export { loadCheckpointInto, readCheckpointManifest } from './load.ts';
export { saveCheckpoint } from './save.ts';
