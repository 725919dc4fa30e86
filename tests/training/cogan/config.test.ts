// CoGAN's config: presets fill every field, the shared layer counts follow the image size (the
// paper's choice), and wrong options are refused with a message that names them.
import { describe, expect, test } from 'vitest';
import {
  buildCoGanConfig,
  buildCycleGanConfig,
  buildRunConfig,
  COGAN_PRESET_NAMES,
  RunConfig,
} from '../../../src/shared/run-config.ts';

const data = { dataA: '/a', dataB: '/b' };

describe('CoGAN config', () => {
  test.each(COGAN_PRESET_NAMES)('preset %s is valid and shares all layers but one', (preset) => {
    const config = buildCoGanConfig(preset, data);
    const layers = { 32: 4, 64: 5, 128: 6 }[config.cropSize as 32 | 64 | 128];
    expect(config.sharedGeneratorLayers).toBe(layers - 1);
    expect(config.sharedDiscriminatorLayers).toBe(layers - 1);
    expect(config).toMatchObject({ model: 'cogan', zDim: 100, lr: 0.0002, beta1: 0.5 });
    // tiny trains with the reference CoGAN's least squares (measured: it couples earlier there).
    expect(config.ganMode).toBe(preset === 'tiny' ? 'lsgan' : 'vanilla');
  });

  test('the presets are 32, 64 and 128 px; tiny trains in batches of 16', () => {
    expect(COGAN_PRESET_NAMES.map((p) => buildCoGanConfig(p, data).cropSize)).toEqual([32, 64, 128]);
    expect(buildCoGanConfig('tiny', data).batchSize).toBe(16);
  });

  test('a new image size moves the default sharing with it; an explicit one stays', () => {
    expect(buildCoGanConfig('tiny', { ...data, cropSize: 64, loadSize: 72 }).sharedGeneratorLayers).toBe(4);
    expect(buildCoGanConfig('tiny', { ...data, sharedGeneratorLayers: 1 }).sharedGeneratorLayers).toBe(1);
  });

  test('WGAN-GP gets five critic steps unless told otherwise', () => {
    expect(buildCoGanConfig('tiny', { ...data, ganMode: 'wgangp' }).nCritic).toBe(5);
    expect(buildCoGanConfig('tiny', { ...data, ganMode: 'wgangp', nCritic: 2 }).nCritic).toBe(2);
  });

  test.each([
    [{ cropSize: 48, loadSize: 48 }, /cropSize: CoGAN's networks are built for 32, 64 or 128 px/],
    [{ sharedGeneratorLayers: 4 }, /sharedGeneratorLayers is at most 3/],
    [{ sharedDiscriminatorLayers: 5 }, /sharedDiscriminatorLayers/],
    [{ preprocess: 'scale_width' as const }, /preprocess must be resize_and_crop or crop/],
    [{ loadSize: 30 }, /loadSize \(30\) must be at least cropSize \(32\)/],
    [{ batchSize: 0 }, /batchSize/],
    [{ relation: 'stripes' as never }, /relation/],
    [{ nEpochs: 0 }, /train for at least one epoch/],
  ])('refuses %o', (overrides, message) => {
    expect(() => buildCoGanConfig('tiny', { ...data, ...overrides })).toThrow(message);
  });

  test("CycleGAN's options are refused, not ignored", () => {
    expect(() => buildRunConfig('cogan', 'tiny', { ...data, lambdaIdentity: 0.5 })).toThrow(/lambdaIdentity/);
    expect(() => buildRunConfig('cyclegan', 'tiny', { ...data, batchSize: 4 })).toThrow(/batchSize/);
  });

  test('a CoGAN has no paper preset; a CycleGAN keeps its own', () => {
    expect(() => buildRunConfig('cogan', 'paper', data)).toThrow(/CoGAN's presets are tiny, quick, standard/);
    expect(buildRunConfig('cyclegan', 'paper', data)).toEqual(buildCycleGanConfig('paper', data));
  });

  test('RunConfig tells the two models apart by their model field', () => {
    const cogan = buildRunConfig('cogan', 'quick', data);
    const cyclegan = buildRunConfig('cyclegan', 'quick', data);
    expect(RunConfig.parse(cogan)).toEqual(cogan);
    expect(RunConfig.parse(cyclegan)).toEqual(cyclegan);
    expect(RunConfig.safeParse({ ...cogan, netG: 'resnet_9blocks' }).success).toBe(false);
    expect(RunConfig.safeParse({ ...cogan, model: 'cyclegan' }).success).toBe(false);
  });
});
