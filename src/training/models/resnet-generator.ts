// The CycleGAN ResNet generator (Zhu et al. 2017; Johnson et al. 2016), exactly as the
// reference code's ResnetGenerator with instance norm (no affine, so every conv has a bias; before a
// norm it cancels, see conv2dInstanceNorm),
// reflection padding and no dropout: c7s1-ngf, d2ngf, d4ngf, R×n_blocks, u2ngf, ungf, c7s1-3, tanh.
import * as tf from '@tensorflow/tfjs-core';
import {
  conv2d,
  conv2dInstanceNorm,
  convTranspose2dInstanceNorm,
  type Layer,
  reflectPad,
  sequence,
  tanh,
} from '../nn/layers.ts';
import { createParamStore, type ParamStore, seedStream } from '../nn/params.ts';

export interface ResnetGeneratorOptions {
  name: string;
  ngf: number;
  blocks: number;
  inChannels?: number;
  outChannels?: number;
  seed: number;
}

export interface Network {
  params: ParamStore;
  apply: (x: tf.Tensor4D) => tf.Tensor4D;
}

export function resnetGenerator(options: ResnetGeneratorOptions): Network {
  const { ngf, blocks } = options;
  const params = createParamStore(options.name);
  const init = { std: 0.02, nextSeed: seedStream(options.seed) };
  const layers: Layer[] = [
    reflectPad(3),
    conv2dInstanceNorm(params, 'stem', init, 7, options.inChannels ?? 3, ngf, 1, 0, 'relu'),
  ];
  let channels = ngf;
  for (let i = 0; i < 2; i++) {
    layers.push(conv2dInstanceNorm(params, `down${i}`, init, 3, channels, channels * 2, 2, 1, 'relu'));
    channels *= 2;
  }
  for (let i = 0; i < blocks; i++) {
    const body = sequence(
      reflectPad(1),
      conv2dInstanceNorm(params, `block${i}/conv0`, init, 3, channels, channels, 1, 0, 'relu'),
      reflectPad(1),
      conv2dInstanceNorm(params, `block${i}/conv1`, init, 3, channels, channels, 1, 0),
    );
    layers.push((x) => tf.add(x, body(x)));
  }
  for (let i = 0; i < 2; i++) {
    layers.push(convTranspose2dInstanceNorm(params, `up${i}`, init, 3, channels, channels / 2, 1, 1, 'relu'));
    channels /= 2;
  }
  layers.push(reflectPad(3), conv2d(params, 'head', init, 7, channels, options.outChannels ?? 3, 1, 0), tanh);
  return { params, apply: sequence(...layers) };
}
