// The engine's checkpoint IO in one import for the trainers: save a record's tensors, load them
// back. What can be read without TensorFlow.js (the manifest, the `latest` pointer, the folder
// swap) lives in src/node/checkpoint, where the host reads it too.
export type { CheckpointRecord, CheckpointTarget, LoadedCheckpoint, PoolState } from './format.ts';
export { loadCheckpointInto } from './load.ts';
export { saveCheckpoint } from './save.ts';
