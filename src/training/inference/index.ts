// Inference in one import: open a checkpoint as a Translator, find a run's checkpoints, and (in
// sizing.ts / tiles.ts) translate images of any size.
export { loadCycleGanTranslator, sizeMultipleOf } from './cyclegan-translator.ts';
export { loadTranslator, registerTranslatorLoader, type TranslatorLoader } from './load.ts';
export { listCheckpointSteps, resolveCheckpoint } from './resolve.ts';
export { checkTranslatable, DIRECTIONS, type Direction, type Translator } from './translator.ts';
