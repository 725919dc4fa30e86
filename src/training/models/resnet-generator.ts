// The CycleGAN ResNet generator (Zhu et al. 2017; Johnson et al. 2016), exactly as the
// reference code's ResnetGenerator with instance norm (no affine, so every conv has a bias; before a
// norm it cancels, see conv2dInstanceNorm),
// reflection padding and no dropout: c7s1-ngf, d2ngf, d4ngf, R×n_blocks, u2ngf, ungf, c7s1-3, tanh.
//
// Besides its output it gives the features of named stages of its encoder (`features`), which is
// what CUT's PatchNCE reads (the CUT reference's `netG(x, nce_layers, encode_only=True)`): the
// stages are named here in Diptych's terms, and src/training/cut/networks.ts says which of them the
// reference's layer indices stand for.
import * as tf from '@tensorflow/tfjs-core';
import {
  conv2d,
  conv2dInstanceNorm,
  convTranspose2dInstanceNorm,
  type FeatureLayer,
  type Layer,
  reflectPad,
  sequence,
  tanh,
} from '../nn/layers.ts';
import { createParamStore, seedStream } from '../nn/params.ts';
import type { FeatureGenerator } from './feature-generator.ts';

export interface ResnetGeneratorOptions {
  name: string;
  ngf: number;
  blocks: number;
  inChannels?: number;
  outChannels?: number;
  seed: number;
  /** The reference's init_type: 'normal' (CycleGAN's, the default) or 'xavier' (CUT's), gain 0.02 either way. */
  init?: 'normal' | 'xavier';
}

/**
 * An encoder stage whose output `features` can return:
 * - `pad`: the input after the first 3-px reflection padding (the reference's layer 0: RGB pixels),
 * - `stem`: after the 7×7 conv, its norm and ReLU,
 * - `down0`, `down1`: the downsampling convs' own output (bias added), before their norm,
 * - `block0` … `block{n−1}`: after each residual block (the skip connection added).
 */
export type ResnetFeature = 'pad' | 'stem' | `down${0 | 1}` | `block${number}`;

/** The ResNet generator, whose encoder stages are ResnetFeature's. */
export type ResnetGenerator = FeatureGenerator<ResnetFeature>;

interface Stage {
  name: string;
  layer: Layer;
  channels: number;
  /** The stage's feature when it is not its output (a conv before its norm). */
  withFeature?: FeatureLayer['withFeature'];
}

export function resnetGenerator(options: ResnetGeneratorOptions): ResnetGenerator {
  const { ngf, blocks } = options;
  const params = createParamStore(options.name);
  const init = { std: 0.02, nextSeed: seedStream(options.seed), scheme: options.init ?? 'normal' };
  const inChannels = options.inChannels ?? 3;
  // Parameters are created in this order (their names and order are the checkpoint's).
  const stem = conv2dInstanceNorm(params, 'stem', init, 7, inChannels, ngf, 1, 0, 'relu');
  const stages: Stage[] = [
    { name: 'pad', layer: reflectPad(3), channels: inChannels },
    { name: 'stem', layer: stem, channels: ngf },
  ];
  let channels = ngf;
  for (let i = 0; i < 2; i++) {
    const down = conv2dInstanceNorm(params, `down${i}`, init, 3, channels, channels * 2, 2, 1, 'relu');
    channels *= 2;
    stages.push({ name: `down${i}`, layer: down, channels, withFeature: down.withFeature });
  }
  for (let i = 0; i < blocks; i++) {
    const body = sequence(
      reflectPad(1),
      conv2dInstanceNorm(params, `block${i}/conv0`, init, 3, channels, channels, 1, 0, 'relu'),
      reflectPad(1),
      conv2dInstanceNorm(params, `block${i}/conv1`, init, 3, channels, channels, 1, 0),
    );
    stages.push({ name: `block${i}`, layer: (x) => tf.add(x, body(x)), channels });
  }
  const decoder: Layer[] = [];
  for (let i = 0; i < 2; i++) {
    decoder.push(convTranspose2dInstanceNorm(params, `up${i}`, init, 3, channels, channels / 2, 1, 1, 'relu'));
    channels /= 2;
  }
  decoder.push(reflectPad(3), conv2d(params, 'head', init, 7, channels, options.outChannels ?? 3, 1, 0), tanh);
  const apply = sequence(...stages.map((stage) => stage.layer), ...decoder);

  const stageOf = (name: ResnetFeature): Stage => {
    const stage = stages.find((s) => s.name === name);
    if (!stage) throw new Error(`generator ${options.name} has no encoder stage ${name}`);
    return stage;
  };

  function features(x: tf.Tensor4D, wanted: readonly ResnetFeature[]): tf.Tensor4D[] {
    const last = Math.max(...wanted.map((name) => stages.indexOf(stageOf(name))));
    const found = new Map<string, tf.Tensor4D>();
    let y = x;
    // The encoder alone, as far as the last stage asked for (the reference's encode_only).
    for (const stage of stages.slice(0, last + 1)) {
      if (stage.withFeature && wanted.includes(stage.name as ResnetFeature)) {
        const { output, feature } = stage.withFeature(y);
        found.set(stage.name, feature);
        y = output;
      } else {
        y = stage.layer(y);
        found.set(stage.name, y);
      }
    }
    return wanted.map((name) => found.get(name) as tf.Tensor4D);
  }

  return {
    params,
    apply,
    features,
    featureChannels: (name) => stageOf(name).channels,
    featureBiases: (wanted) =>
      wanted
        .filter((name) => stageOf(name).withFeature)
        .map((name) => params.variables.get(`${options.name}/${name}/bias`) as tf.Variable),
  };
}
