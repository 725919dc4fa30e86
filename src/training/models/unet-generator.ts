// The U-Net generator option of pix2pix/CycleGAN (`unet_128`, `unet_256`), exactly as the reference
// code's UnetGenerator built from nested UnetSkipConnectionBlocks, with instance norm (no affine, so
// every conv has a bias): each level halves the size with a 4×4 stride-2 conv on the way down
// (LeakyReLU 0.2 before it, instance norm after, none on the outermost and innermost), doubles it
// with a 4×4 stride-2 transposed conv on the way up (ReLU before, instance norm after), and
// concatenates its input with what comes back up. The outermost level ends in tanh, no norm.
//
// The reference's down-path LeakyReLU is in-place, so its skip connection actually carries
// LeakyReLU(x) rather than x; the concatenation always goes through the parent's ReLU next, and
// ReLU(LeakyReLU(x)) = ReLU(x), so plain x here computes the same function.
//
// Parameter count for downs = 8, ngf = 64 (unet_256), by the layer list (4×4 kernels, bias everywhere):
//   outermost   down 3→64: 3,136      up 128→3: 6,147
//   level 1     down 64→128: 131,200  up 256→64: 262,208
//   level 2     down 128→256: 524,544 up 512→128: 1,048,704
//   level 3     down 256→512: 2,097,664  up 1024→256: 4,194,560
//   levels 4–6  down 512→512: 4,194,816  up 1024→512: 8,389,120   (× 3)
//   innermost   down 512→512: 4,194,816  up 512→512: 4,194,816
//   total 54,409,603 (unet_128, one 512 level fewer: 41,825,667). Cross-check: with the
//   reference's default batch norm instead (no conv bias but the last, 2·C affine per norm) the same
//   list gives 54,413,955, the "54.414 M" that the reference prints for pix2pix's unet_256.
import * as tf from '@tensorflow/tfjs-core';
import { conv2d, convTranspose2d, instanceNorm, type Layer, leakyRelu, relu } from '../nn/layers.ts';
import { createParamStore, seedStream } from '../nn/params.ts';
import type { FeatureGenerator } from './feature-generator.ts';

export interface UnetGeneratorOptions {
  name: string;
  ngf: number;
  /** Number of stride-2 downsamplings: log2 of the side, 5 for unet_32 … 8 for unet_256 (the input side must be divisible by 2^downs). */
  downs: number;
  inChannels?: number;
  outChannels?: number;
  seed: number;
  /** Dropout 0.5 after the up path of the innermost 8·ngf levels (the reference's use_dropout; off by default). */
  dropout?: boolean;
  /** The reference's init_type: 'normal' (CycleGAN's, the default) or 'xavier' (CUT's), gain 0.02 either way. */
  init?: 'normal' | 'xavier';
}

/**
 * An encoder stage whose output `features` can return (for CUT's PatchNCE):
 * - `input`: the RGB pixels, as the ResNet's `pad` (the CUT reference's layer 0),
 * - `down0` … `down{downs−1}`: each level's 4×4 stride-2 convolution's own output (bias added),
 *   before the norm and the next level's LeakyReLU — as the ResNet's `down0`/`down1` are read.
 */
export type UnetFeature = 'input' | `down${number}`;

export function unetGenerator(options: UnetGeneratorOptions): FeatureGenerator<UnetFeature> {
  const { ngf, downs } = options;
  const params = createParamStore(options.name);
  const init = { std: 0.02, nextSeed: seedStream(options.seed), scheme: options.init ?? 'normal' };
  // Dropout masks come from their own seeded stream, so a run with dropout is reproducible from its seed.
  const dropoutSeed = seedStream(options.seed ^ 0x5eed);
  const inner = (level: number) => ngf * Math.min(2 ** level, 8);
  // Each level's down conv, kept for the encoder-only pass (features); created inside block() in the
  // reference's order, so the parameters' names and order stay the checkpoint's.
  const downConvs: Layer[] = [];

  /** Level `level` (0 = outermost), whose input has `inC` channels and whose output has `outC`. */
  function block(level: number, inC: number, outC: number): Layer {
    const innerC = inner(level);
    const innermost = level === downs - 1;
    const down = conv2d(params, `down${level}`, init, 4, inC, innerC, 2, 1);
    downConvs[level] = down;
    const child = innermost ? null : block(level + 1, innerC, innerC);
    const up = convTranspose2d(params, `up${level}`, init, 4, innermost ? innerC : innerC * 2, outC, 1, 0);
    if (level === 0) {
      return (x) => tf.tanh(up(relu((child as Layer)(down(x)))));
    }
    // The reference adds dropout only to the 8·ngf blocks between level 3 (ngf·4 → ngf·8) and the innermost.
    const dropout = options.dropout === true && !innermost && level >= 4;
    return (x) => {
      const h = down(leakyRelu(x));
      const fromBelow = child ? child(instanceNorm(h)) : h;
      let y = instanceNorm(up(relu(fromBelow)));
      if (dropout) y = tf.dropout(y, 0.5, undefined, dropoutSeed()) as tf.Tensor4D;
      return tf.concat([x, y], 3);
    };
  }

  const inChannels = options.inChannels ?? 3;
  const net = block(0, inChannels, options.outChannels ?? 3);
  const factor = 2 ** downs;
  const checkSide = (x: tf.Tensor4D) => {
    const [, h, w] = x.shape;
    if (h % factor !== 0 || w % factor !== 0) {
      throw new Error(`A U-Net with ${downs} downsamplings needs a side divisible by ${factor}; got ${h}×${w}.`);
    }
  };
  const levelOf = (stage: UnetFeature): number => {
    const level = stage === 'input' ? -1 : Number(stage.slice('down'.length));
    if (!Number.isInteger(level) || level < -1 || level >= downs)
      throw new Error(`generator ${options.name} has no encoder stage ${stage}`);
    return level;
  };

  function features(x: tf.Tensor4D, wanted: readonly UnetFeature[]): tf.Tensor4D[] {
    checkSide(x);
    const levels = wanted.map(levelOf);
    const found = new Map<number, tf.Tensor4D>();
    // The pixels as a tensor of their own (sharing x's data): a caller disposes what it is given.
    if (levels.includes(-1)) found.set(-1, tf.clone(x));
    // The down path alone, as far as the deepest level asked for, as block() runs it: the outermost
    // conv sees the pixels and passes its output on un-normalised; inner levels normalise theirs,
    // and every level but the outermost starts with a LeakyReLU.
    let y = x;
    for (let level = 0; level <= Math.max(...levels); level++) {
      const h = (downConvs[level] as Layer)(level === 0 ? y : leakyRelu(y));
      found.set(level, h);
      y = level === 0 ? h : instanceNorm(h);
    }
    return levels.map((level) => found.get(level) as tf.Tensor4D);
  }

  return {
    params,
    apply: (x) => {
      checkSide(x);
      return net(x);
    },
    features,
    featureChannels: (stage) => {
      const level = levelOf(stage);
      return level < 0 ? inChannels : inner(level);
    },
    // Every U-Net conv keeps its bias in the plain pass (its norm is a separate layer): none to revive.
    featureBiases: (stages) => {
      stages.forEach(levelOf);
      return [];
    },
  };
}
