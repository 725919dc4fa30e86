// What every converter, comparer and exporter translates images through, whatever model made the
// checkpoint: a CycleGAN runs its generator once; a CoGAN (later) inverts an image to its latent
// code and decodes it in the other domain, which is slow and asynchronous — hence a Promise.
import type * as tf from '@tensorflow/tfjs-core';
import type { CheckpointModel } from '../../node/checkpoint/manifest.ts';
import type { Direction } from '../../shared/basics.ts';
import type { ConversionEngine } from '../../shared/convert.ts';
import type { NormStatistics } from './norm-statistics.ts';

export const DEFAULT_WORKING_BYTES_PER_PIXEL = 12_288;

/** How a translator that searches per image (a CoGAN) searches; others ignore it. */
export interface TranslatorOptions {
  /** Latent inversion steps per image. */
  inversionSteps?: number | undefined;
  /**
   * What runs a generator's forward pass: 'auto' (default) ONNX Runtime where a session can be made,
   * else TensorFlow.js; 'onnx' or 'tfjs' to insist. Translators that are not one generator pass (a
   * CoGAN's search) run on TensorFlow.js whatever is asked.
   */
  engine?: ConversionEngine | undefined;
}

export interface SearchOptions {
  /** Called now and then with (steps done, steps in all) of the search. */
  onProgress?: (done: number, total: number) => void;
  /** Stops the search between steps. */
  signal?: AbortSignal;
}

export interface Translator {
  readonly model: CheckpointModel;
  /** What runs the forward passes. */
  readonly engine: 'tfjs' | 'onnx';
  /** How, in a line for a person: the ONNX Runtime provider and threads, or why TensorFlow.js runs instead. */
  readonly engineNote?: string;
  /** Training step of the checkpoint. */
  readonly step: number;
  /** The run config the checkpoint was trained with, as saved. */
  readonly config: unknown;
  /** An input's height and width must be multiples of this (4 for ResNet, 2^downs for U-Net). */
  readonly sizeMultiple: number;
  /**
   * The smallest side (px) an input may have: a network's reflection paddings need more pixels
   * than they pad (a ResNet's 1-px padding at a quarter of the size needs 8 px). Smaller images
   * are padded up to it by reflection (translate-image.ts) and cropped back. Absent: sizeMultiple.
   */
  readonly minimumSide?: number;
  /**
   * Whether an output pixel depends only on nearby input pixels (convolutions, and normalisation
   * over the whole image at most): tiling is then a fair approximation. A CoGAN's inversion is not.
   */
  readonly tileable: boolean;
  /**
   * Working memory one translation needs per input pixel, in bytes (measured, rounded up): what
   * decides whether an image is translated whole or in tiles under a memory budget. Absent:
   * DEFAULT_WORKING_BYTES_PER_PIXEL (a ResNet generator of ngf 64).
   */
  readonly workingBytesPerPixel?: number;
  /**
   * The largest tile side (px) it takes when the budget would allow more. Absent: 1024, where
   * TensorFlow.js on wasm is known to hold a standard generator's pass; ONNX Runtime's native arena
   * lets the budget alone decide (fewer tiles, less overlap to translate twice).
   */
  readonly maxTileSide?: number;
  /**
   * The side (px) of the only, square, image size this translator takes — a model that draws
   * images of one size (a CoGAN). Absent: any size whose sides are multiples of sizeMultiple.
   */
  readonly fixedSize?: number;
  /**
   * For translators that search for each image's translation (a CoGAN's latent inversion): one
   * [1, S, S, 3] image, with progress within it, cancellable, and how closely the model could
   * reproduce the input (mean absolute error in [0, 1] pixel units). The output is the caller's.
   */
  translateSearching?(
    image: tf.Tensor4D,
    direction: Direction,
    options?: SearchOptions,
  ): Promise<{ output: tf.Tensor4D; reconstructionError: number }>;
  /**
   * Translates a batch of NHWC RGB images in [-1, 1] (sides multiples of sizeMultiple) to images
   * of the same shape in [-1, 1]. The input stays the caller's; the output is the caller's to dispose.
   * With `statistics`, every instance norm uses those instead of the input's own.
   */
  translate(image: tf.Tensor4D, direction: Direction, statistics?: NormStatistics): Promise<tf.Tensor4D>;
  /**
   * For networks with instance norm: the statistics of each norm for this image, so that tiles of
   * a larger image can be normalised alike (`statistics` of translate). Absent: tiles normalise alone.
   */
  captureNormStatistics?(image: tf.Tensor4D, direction: Direction): Promise<NormStatistics>;
  /** Frees the networks' weights; the translator cannot be used afterwards. */
  dispose(): void;
}

/** Checks an input against a translator's needs, in words a person can act on. */
export function checkTranslatable(image: tf.Tensor4D, sizeMultiple: number): void {
  const [, height, width, channels] = image.shape;
  if (channels !== 3) throw new Error(`translators take RGB images (3 channels), not ${channels}`);
  if (height % sizeMultiple !== 0 || width % sizeMultiple !== 0)
    throw new Error(
      `this network needs sides that are multiples of ${sizeMultiple}; got ${width}×${height} (pad the image first)`,
    );
}
