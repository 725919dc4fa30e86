// CUT's networks against the reference (taesungp/contrastive-unpaired-translation, models/networks.py)
// at its defaults: parameter counts, the features PatchNCE reads, and the xavier initialisation.
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../../src/training/backend/ladder.ts';
import {
  CUT_NETWORK_KEYS,
  cutGeneratorForConfig,
  cutNetworksForConfig,
  cutParameterCounts,
  cutStores,
  disposeCutNetworks,
  NCE_FEATURES,
  nceFeaturesFor,
} from '../../../src/training/cut/networks.ts';
import type { FeatureGenerator } from '../../../src/training/models/feature-generator.ts';
import { resnetGenerator } from '../../../src/training/models/resnet-generator.ts';
import { unetGenerator } from '../../../src/training/models/unet-generator.ts';
import { disposeParams } from '../../../src/training/nn/params.ts';

beforeAll(async () => {
  await selectBackend('wasm');
});

const conv = (k: number, cin: number, cout: number) => k * k * cin * cout + cout;
const linear = (cin: number, cout: number) => cin * cout + cout;

describe("CUT's networks", () => {
  it('have the reference’s parameter counts (netG resnet_9blocks, ngf 64; netD basic, ndf 64; netF mlp_sample, 256)', () => {
    // The reference's G (antialiased or not: its blur filters are buffers, not parameters), every conv
    // with a bias (instance norm): c7s1-64 stem, two 3×3 downsampling convs, nine blocks of two 3×3
    // convs at 256, two 3×3 upsampling convs (Upsample + Conv2d, or ConvTranspose2d: the same count), c7s1-3 head.
    const G =
      conv(7, 3, 64) +
      conv(3, 64, 128) +
      conv(3, 128, 256) +
      9 * 2 * conv(3, 256, 256) +
      conv(3, 256, 128) +
      conv(3, 128, 64) +
      conv(7, 64, 3);
    expect(G).toBe(11_378_179);
    // NLayerDiscriminator, n_layers 3: 4×4 convs 3→64, 64→128, 128→256, 256→512, 512→1.
    const D = conv(4, 3, 64) + conv(4, 64, 128) + conv(4, 128, 256) + conv(4, 256, 512) + conv(4, 512, 1);
    expect(D).toBe(2_764_737);
    // PatchSampleF's MLPs, made from the channels of nce_layers 0, 4, 8, 12, 16: 3, 128, 256, 256, 256;
    // each Linear(C, 256), ReLU, Linear(256, 256).
    const F = [3, 128, 256, 256, 256].reduce((sum, c) => sum + linear(c, 256) + linear(256, 256), 0);
    expect(F).toBe(560_384);

    const nets = cutNetworksForConfig({
      netG: 'resnet_9blocks',
      netD: 'basic',
      ngf: 64,
      ndf: 64,
      nLayersD: 3,
      seed: 0,
    });
    expect(cutParameterCounts(nets)).toEqual({ G, D, F });
    expect(Object.keys(cutStores(nets))).toEqual([...CUT_NETWORK_KEYS]);

    // xavier_normal, gain 0.02 (the reference's init_type default): a block conv's std is
    // 0.02·√(2/(256·9 + 256·9)) = 4.167e-4; an MLP's second layer 0.02·√(2/512) = 1.25e-3. Biases 0.
    const std = (name: string) => {
      const values = nets.G.params.variables.get(name)?.dataSync() ?? nets.F.params.variables.get(name)?.dataSync();
      if (!values) throw new Error(name);
      let squares = 0;
      for (const v of values) squares += v * v;
      return Math.sqrt(squares / values.length);
    };
    expect(std('G/block0/conv0/kernel') / (0.02 * Math.sqrt(2 / 4608))).toBeCloseTo(1, 2);
    expect(std('F/mlp4/fc1/kernel') / (0.02 * Math.sqrt(2 / 512))).toBeCloseTo(1, 1);
    expect(
      nets.F.params.variables
        .get('F/mlp0/fc0/bias')
        ?.dataSync()
        .every((v) => v === 0),
    ).toBe(true);
    disposeCutNetworks(nets);
  });

  it('with resnet_6blocks has block 4 still (the fifth block), and the translator’s G has the trainer’s parameters', () => {
    const config = { netG: 'resnet_6blocks', netD: 'n_layers', ngf: 8, ndf: 8, nLayersD: 2, seed: 3 } as const;
    const nets = cutNetworksForConfig(config);
    const G = cutGeneratorForConfig(config);
    expect([...G.params.variables.keys()]).toEqual([...nets.G.params.variables.keys()]);
    for (const [name, v] of G.params.variables)
      expect(Array.from(v.dataSync())).toEqual(Array.from(nets.G.params.variables.get(name)?.dataSync() ?? []));
    // The 6-block G is the 9-block G less three blocks (two 3×3 convs of 4·ngf each).
    expect(cutParameterCounts(nets).G).toBe(
      conv(7, 3, 8) +
        conv(3, 8, 16) +
        conv(3, 16, 32) +
        12 * conv(3, 32, 32) +
        conv(3, 32, 16) +
        conv(3, 16, 8) +
        conv(7, 8, 3),
    );
    disposeParams(G.params);
    disposeCutNetworks(nets);
  });
});

describe('the ResNet generator’s features', () => {
  it('are the padded pixels, the downsampling convs before their norms and the blocks’ outputs; the output is unchanged', () => {
    const net = resnetGenerator({ name: 'feat', ngf: 4, blocks: 6, seed: 2 });
    // Non-zero biases, so that a conv read before its norm shows whether its bias is in.
    for (const [name, v] of net.params.variables)
      if (name.endsWith('/bias')) v.assign(tf.randomNormal(v.shape, 0, 0.5, 'float32', name.length));
    const x = tf.randomUniform([2, 16, 12, 3], -1, 1, 'float32', 9) as tf.Tensor4D;
    const [pad, stem, down0, down1, block0, block4] = net.features(x, [
      'pad',
      'stem',
      ...NCE_FEATURES.slice(1),
    ]) as tf.Tensor4D[];
    expect(NCE_FEATURES).toEqual(['pad', 'down0', 'down1', 'block0', 'block4']);
    expect(pad?.shape).toEqual([2, 22, 18, 3]);
    expect(down0?.shape).toEqual([2, 8, 6, 8]);
    expect(down1?.shape).toEqual([2, 4, 3, 16]);
    expect(block0?.shape).toEqual([2, 4, 3, 16]);
    expect(block4?.shape).toEqual([2, 4, 3, 16]);
    expect(net.featureChannels('down1')).toBe(16);
    const p = (key: string) => net.params.variables.get(`feat/${key}`) as tf.Variable;
    const close = (a: tf.Tensor, b: tf.Tensor) => expect(tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]).toBeLessThan(1e-5);
    close(
      pad as tf.Tensor,
      tf.mirrorPad(
        x,
        [
          [0, 0],
          [3, 3],
          [3, 3],
          [0, 0],
        ],
        'reflect',
      ),
    );
    // down0: the stride-2 conv of the stem's output, bias added, no norm.
    close(
      down0 as tf.Tensor,
      tf.add(tf.conv2d(stem as tf.Tensor4D, p('down0/kernel') as tf.Tensor4D, 2, 1), p('down0/bias')),
    );
    // down1 takes relu(norm(down0)) (the bias cancels in the norm).
    const normed = tf.relu(
      tf.div(
        tf.sub(down0 as tf.Tensor, tf.mean(down0 as tf.Tensor, [1, 2], true)),
        tf.sqrt(tf.add(tf.moments(down0 as tf.Tensor, [1, 2], true).variance, 1e-5)),
      ),
    );
    close(
      down1 as tf.Tensor,
      tf.add(tf.conv2d(normed as tf.Tensor4D, p('down1/kernel') as tf.Tensor4D, 2, 1), p('down1/bias')),
    );
    // Reading features leaves the plain pass alone, and the two downsampling biases are the ones it makes live.
    const y = net.apply(x);
    expect(y.shape).toEqual([2, 16, 12, 3]);
    expect(net.featureBiases(NCE_FEATURES).map((v) => v.name)).toEqual(['feat/down0/bias', 'feat/down1/bias']);
    disposeParams(net.params);
  });
});

describe('the U-Net generator’s features (Diptych’s CUT with a U-Net)', () => {
  it('are the pixels and each level’s down conv before its norm, computed as the plain pass computes them', () => {
    // As CUT holds it: any stage name may be asked for.
    const net: FeatureGenerator = unetGenerator({ name: 'ufeat', ngf: 4, downs: 5, seed: 3 });
    const x = tf.randomUniform([2, 32, 64, 3], -1, 1, 'float32', 4) as tf.Tensor4D;
    const layers = nceFeaturesFor('unet_32');
    expect(layers).toEqual(['input', 'down0', 'down1', 'down2', 'down3']);
    const [input, down0, down1, down2, down3] = net.features(x, layers) as tf.Tensor4D[];
    expect(input?.shape).toEqual([2, 32, 64, 3]);
    expect(down0?.shape).toEqual([2, 16, 32, 4]);
    expect(down1?.shape).toEqual([2, 8, 16, 8]);
    expect(down2?.shape).toEqual([2, 4, 8, 16]);
    expect(down3?.shape).toEqual([2, 2, 4, 32]);
    expect(layers.map((stage) => net.featureChannels(stage))).toEqual([3, 4, 8, 16, 32]);
    const p = (key: string) => net.params.variables.get(`ufeat/${key}`) as tf.Variable;
    const close = (a: tf.Tensor, b: tf.Tensor) => expect(tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]).toBeLessThan(1e-5);
    const convOf = (h: tf.Tensor, level: number) =>
      tf.add(tf.conv2d(h as tf.Tensor4D, p(`down${level}/kernel`) as tf.Tensor4D, 2, 1), p(`down${level}/bias`));
    const norm = (h: tf.Tensor) => {
      const { mean, variance } = tf.moments(h, [1, 2], true);
      return tf.div(tf.sub(h, mean), tf.sqrt(tf.add(variance, 1e-5)));
    };
    // The pixels themselves; a tensor of its own, so disposing the features leaves x alone.
    close(input as tf.Tensor, x);
    expect(input).not.toBe(x);
    // The outermost conv sees the pixels; its output goes on un-normalised (through a LeakyReLU),
    // every inner level's through its norm and then a LeakyReLU.
    close(down0 as tf.Tensor, convOf(x, 0));
    close(down1 as tf.Tensor, convOf(tf.leakyRelu(down0 as tf.Tensor, 0.2), 1));
    close(down2 as tf.Tensor, convOf(tf.leakyRelu(norm(down1 as tf.Tensor), 0.2), 2));
    close(down3 as tf.Tensor, convOf(tf.leakyRelu(norm(down2 as tf.Tensor), 0.2), 3));
    tf.dispose([input as tf.Tensor]);
    expect(x.isDisposed).toBe(false);
    // No bias to revive (each norm is a layer of its own), an unknown stage is refused by name.
    expect(net.featureBiases(layers)).toEqual([]);
    expect(() => net.features(x, ['down5'])).toThrow(/no encoder stage down5/);
    expect(net.apply(x).shape).toEqual([2, 32, 64, 3]);
    disposeParams(net.params);
  });

  it('give CUT’s F one head per layer at the U-Net’s widths', () => {
    const nets = cutNetworksForConfig({ netG: 'unet_32', netD: 'basic', ngf: 16, ndf: 16, nLayersD: 3, seed: 0 });
    expect(nets.nceLayers).toEqual(['input', 'down0', 'down1', 'down2', 'down3']);
    // Linear(C, 256), ReLU, Linear(256, 256) per layer, C = 3, 16, 32, 64, 128.
    const F = [3, 16, 32, 64, 128].reduce((sum, c) => sum + linear(c, 256) + linear(256, 256), 0);
    expect(cutParameterCounts(nets).F).toBe(F);
    // The generator is the U-Net CycleGAN trains, parameter for parameter (4×4 convs, bias everywhere).
    const cycleGanUnet = unetGenerator({ name: 'G', ngf: 16, downs: 5, seed: 0 });
    expect(cutParameterCounts(nets).G).toBe(
      [...cycleGanUnet.params.variables.values()].reduce((sum, v) => sum + v.size, 0),
    );
    disposeParams(cycleGanUnet.params);
    disposeCutNetworks(nets);
  });
});
