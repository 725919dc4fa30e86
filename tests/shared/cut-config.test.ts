// CUT's run config (src/shared/run-config.ts): the reference's defaults on `paper`, its CUT_mode
// defaults (models/cut_model.py), CycleGAN's sizes on the smaller presets, and what it refuses.
import { describe, expect, it } from 'vitest';
import { optionIssuesOf } from '../../src/shared/options/issues.ts';
import { rowsOf } from '../../src/shared/options/lookup.ts';
import {
  buildCutConfig,
  buildCycleGanConfig,
  buildRunConfig,
  CUT_PRESET_NAMES,
  presetsOf,
  RunConfig,
} from '../../src/shared/run-config.ts';

const data = { dataA: '/a', dataB: '/b' };

describe("CUT's config", () => {
  it("is the reference's on the paper preset: CUT mode, λ_NCE 1 with the identity term, 200 + 200 epochs", () => {
    const config = buildCutConfig('paper', data);
    expect(config).toMatchObject({
      model: 'cut',
      preset: 'paper',
      mode: 'cut',
      netG: 'resnet_9blocks',
      netD: 'basic',
      nLayersD: 3,
      ngf: 64,
      ndf: 64,
      lambdaGan: 1,
      lambdaNce: 1,
      nceIdt: true,
      flipEquivariance: false,
      numPatches: 256,
      nceT: 0.07,
      poolSize: 0,
      lr: 0.0002,
      beta1: 0.5,
      lrPolicy: 'linear',
      nEpochs: 200,
      nEpochsDecay: 200,
      loadSize: 286,
      cropSize: 256,
      flip: true,
    });
    expect(RunConfig.parse(config)).toEqual(config);
  });

  it('FastCUT: λ_NCE 10, no identity term, flip equivariance, 150 + 50 epochs; an override of any still wins', () => {
    expect(buildCutConfig('paper', { ...data, mode: 'fastcut' })).toMatchObject({
      mode: 'fastcut',
      lambdaNce: 10,
      nceIdt: false,
      flipEquivariance: true,
      nEpochs: 150,
      nEpochsDecay: 50,
    });
    expect(buildCutConfig('paper', { ...data, mode: 'fastcut', lambdaNce: 4, nceIdt: true, nEpochs: 7 })).toMatchObject(
      { lambdaNce: 4, nceIdt: true, flipEquivariance: true, nEpochs: 7, nEpochsDecay: 50 },
    );
  });

  it("keeps CycleGAN's sizes on tiny, quick and standard; FastCUT splits their epochs as it splits 200", () => {
    for (const preset of ['tiny', 'quick', 'standard'] as const) {
      const cut = buildCutConfig(preset, data);
      const cyclegan = buildCycleGanConfig(preset, data);
      for (const key of ['netD', 'nLayersD', 'ngf', 'ndf', 'loadSize', 'cropSize', 'nEpochs', 'nEpochsDecay'] as const)
        expect(cut[key], `${preset} ${key}`).toEqual(cyclegan[key]);
      expect(cut.netG).toBe(cyclegan.netG);
      const fast = buildCutConfig(preset, { ...data, mode: 'fastcut' });
      expect(fast.nEpochs + fast.nEpochsDecay).toBe(cyclegan.nEpochs + cyclegan.nEpochsDecay);
    }
    expect(buildCutConfig('tiny', { ...data, mode: 'fastcut' })).toMatchObject({ nEpochs: 8, nEpochsDecay: 2 });
    expect(presetsOf('cut').map((p) => p.name)).toEqual([...CUT_PRESET_NAMES]);
    expect(buildRunConfig('cut', 'quick', data).model).toBe('cut');
  });

  it("keeps colours on the CPU presets (the authors' SinCUT identity weight 1) but not on standard, paper or FastCUT; an override wins", () => {
    expect(buildCutConfig('demo', data).identityPreservation).toBe(1);
    expect(buildCutConfig('tiny', data).identityPreservation).toBe(1);
    expect(buildCutConfig('quick', data).identityPreservation).toBe(1);
    expect(buildCutConfig('standard', data).identityPreservation).toBe(0);
    expect(buildCutConfig('paper', data).identityPreservation).toBe(0);
    expect(buildCutConfig('tiny', { ...data, mode: 'fastcut' }).identityPreservation).toBe(0);
    expect(buildCutConfig('tiny', { ...data, mode: 'fastcut', identityPreservation: 2 }).identityPreservation).toBe(2);
    expect(buildCutConfig('paper', { ...data, identityPreservation: 1 }).identityPreservation).toBe(1);
  });

  it("demo: CycleGAN's demo networks without the pool, lr 0.002, 4 + 4 epochs, colours kept", () => {
    const demo = buildCutConfig('demo', data);
    const cyclegan = buildCycleGanConfig('demo', data);
    for (const key of ['netG', 'netD', 'nLayersD', 'ngf', 'ndf', 'loadSize', 'cropSize'] as const)
      expect(demo[key], key).toEqual(cyclegan[key]);
    expect(demo).toMatchObject({
      mode: 'cut',
      poolSize: 0,
      lr: 0.002,
      nEpochs: 4,
      nEpochsDecay: 4,
      identityPreservation: 1,
    });
  });

  it('takes a U-Net generator at a side it can take; refuses a pool, a CycleGAN option and a preset it has not, each by its key', () => {
    const issues = (f: () => unknown) => {
      try {
        f();
      } catch (error) {
        return optionIssuesOf(error);
      }
      throw new Error('not refused');
    };
    expect(buildCutConfig('tiny', { ...data, netG: 'unet_32' }).netG).toBe('unet_32');
    expect(issues(() => buildCutConfig('tiny', { ...data, netG: 'unet_64' }))).toEqual([
      { path: 'cropSize', message: 'unet_64 needs images whose side is a multiple of 64 (cropSize 32)' },
    ]);
    expect(issues(() => buildCutConfig('tiny', { ...data, netG: 'unet_8' as never }))?.[0]?.path).toBe('netG');
    expect(issues(() => buildCutConfig('tiny', { ...data, poolSize: 50 }))?.[0]?.path).toBe('poolSize');
    expect(issues(() => buildRunConfig('cut', 'tiny', { ...data, lambdaA: 10 }))).toEqual([
      { path: '', message: 'Unrecognized key: "lambdaA"' },
    ]);
    expect(issues(() => buildRunConfig('cut', 'huge', data))).toEqual([
      { path: 'preset', message: "CUT's presets are demo, tiny, quick, standard, paper (got huge)" },
    ]);
    expect(issues(() => buildCutConfig('tiny', { ...data, cropSize: 30, loadSize: 36 }))?.[0]?.path).toBe('cropSize');
  });

  it("shares CycleGAN's rows where the option means the same, and has its own PatchNCE rows", () => {
    const keys = rowsOf('cut').map((row) => row.key);
    for (const key of ['mode', 'lambdaNce', 'lambdaGan', 'nceIdt', 'numPatches', 'nceT', 'flipEquivariance'])
      expect(keys).toContain(key);
    for (const key of ['lambdaA', 'lambdaIdentity', 'ganMode', 'zDim']) expect(keys).not.toContain(key);
    const cropRows = rowsOf('cut').filter((row) => row.key === 'cropSize');
    expect(cropRows[0]?.models).toEqual(['cyclegan', 'cut']);
  });
});
