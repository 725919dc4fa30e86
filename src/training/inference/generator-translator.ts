// A generator checkpoint (generator-checkpoint.ts) as a Translator, on either engine: ONNX Runtime
// (onnx-translator.ts) when a session can be made, else — or when asked — TensorFlow.js. Each model's
// loader builds and reads its generators; everything after that (sizes, direction refusals, tiling
// statistics, the engine choice) is here once.
import * as tf from '@tensorflow/tfjs-core';
import type { Direction } from '../../shared/basics.ts';
import type { ConversionEngine } from '../../shared/convert.ts';
import { disposeGenerators, type GeneratorCheckpoint, generatorFacts, generatorFor } from './generator-checkpoint.ts';
import { type NormStatistics, recordNormStatistics, replayNormStatistics } from './norm-statistics.ts';
import { checkTranslatable, type Translator, type TranslatorOptions } from './translator.ts';

/** The generators on TensorFlow.js: G.apply, with the norm statistics replayed for tiles. */
export function tfjsGeneratorTranslator(checkpoint: GeneratorCheckpoint, engineNote?: string): Translator {
  const facts = generatorFacts(checkpoint);
  let disposed = false;
  const ready = (image: tf.Tensor4D, direction: Direction) => {
    if (disposed) throw new Error('this translator has been disposed');
    const network = generatorFor(checkpoint, direction);
    checkTranslatable(image, facts.sizeMultiple);
    return network;
  };
  return {
    ...facts,
    engine: 'tfjs',
    ...(engineNote ? { engineNote } : {}),
    async translate(image: tf.Tensor4D, direction: Direction, statistics?: NormStatistics) {
      const network = ready(image, direction);
      if (statistics) return replayNormStatistics(statistics, () => network.apply(image));
      return tf.tidy(() => network.apply(image));
    },
    async captureNormStatistics(image: tf.Tensor4D, direction: Direction) {
      const network = ready(image, direction);
      return recordNormStatistics(() => network.apply(image));
    },
    dispose() {
      if (disposed) return;
      disposed = true;
      disposeGenerators(checkpoint);
    },
  };
}

/**
 * The generators as a Translator on the engine `options.engine` asks for. 'auto' (the default): ONNX
 * Runtime when a session can be made here, else TensorFlow.js with a note saying why; 'onnx': ONNX
 * Runtime or an error in words; 'tfjs': TensorFlow.js.
 */
export async function generatorTranslator(
  checkpoint: GeneratorCheckpoint,
  options: TranslatorOptions = {},
): Promise<Translator> {
  const wanted: ConversionEngine = options.engine ?? 'auto';
  if (wanted === 'tfjs') return tfjsGeneratorTranslator(checkpoint);
  try {
    // Imported here: onnxruntime-node is a native addon, and a platform without its binary must
    // still convert (on TensorFlow.js).
    const { onnxGeneratorTranslator } = await import('./onnx-translator.ts');
    return await onnxGeneratorTranslator(checkpoint);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    if (wanted === 'onnx') {
      disposeGenerators(checkpoint);
      throw new Error(`ONNX Runtime cannot run this checkpoint here (${reason}); convert with --engine tfjs instead`);
    }
    return tfjsGeneratorTranslator(checkpoint, `ONNX Runtime unavailable (${reason}); TensorFlow.js translates`);
  }
}
