// Inference in one import: open a checkpoint as a Translator, find a run's checkpoints, and (in
// sizing.ts / tiles.ts) translate images of any size.
export { loadCycleGanTranslator } from './cyclegan-translator.ts';
export { sizeMultipleOf } from './generator-checkpoint.ts';
export { loadTranslator } from './load.ts';
export { downscale, type NormStatistics, recordNormStatistics, replayNormStatistics } from './norm-statistics.ts';
export { extractRegion, type RgbImage, reflectIndex } from './rgb-image.ts';
export { featherRamp, padToMultiple, planTiles, type TileGrid } from './tiling.ts';
export {
  chooseTiling,
  fitsWhole,
  memoryBudgetFor,
  type ResolutionMode,
  type TranslatedImage,
  type TranslateImageOptions,
  translateImage,
} from './translate-image.ts';
export {
  checkTranslatable,
  DEFAULT_WORKING_BYTES_PER_PIXEL,
  type Translator,
  type TranslatorOptions,
} from './translator.ts';
