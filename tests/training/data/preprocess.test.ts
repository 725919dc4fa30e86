import { describe, expect, it } from 'vitest';
import {
  defaultLoadSize,
  isPreprocessMode,
  makePreprocess,
  PREPROCESS_MODES,
  type Preprocess,
  planCrop,
  validatePreprocess,
} from '../../../src/training/data/preprocess.ts';

/** A random() that returns the given values in turn and counts its calls. */
function scripted(...values: number[]): (() => number) & { calls: number } {
  const random = Object.assign(() => values[random.calls++ % values.length] as number, { calls: 0 });
  return random;
}

const MAX = 0.999999;

describe('preprocess settings', () => {
  it('lists the four modes of the reference', () => {
    expect([...PREPROCESS_MODES]).toEqual(['resize_and_crop', 'crop', 'scale_width', 'none']);
    expect(isPreprocessMode('crop')).toBe(true);
    expect(isPreprocessMode('scale_width_and_crop')).toBe(false);
  });

  it('defaults load size to the reference ratio: 286 for 256', () => {
    expect(defaultLoadSize(256)).toBe(286);
    expect(defaultLoadSize(128)).toBe(143);
    expect(defaultLoadSize(32)).toBe(36);
    expect(makePreprocess(64)).toEqual({ mode: 'resize_and_crop', cropSize: 64, loadSize: 72, flip: true });
    expect(makePreprocess(64, { mode: 'crop', loadSize: 64, flip: false })).toEqual({
      mode: 'crop',
      cropSize: 64,
      loadSize: 64,
      flip: false,
    });
  });

  it('refuses settings that cannot give a crop', () => {
    expect(() => makePreprocess(0)).toThrow(/crop size/);
    expect(() => makePreprocess(32.5)).toThrow(/crop size/);
    expect(() => makePreprocess(64, { loadSize: 48 })).toThrow(
      /load size \(48\) must be at least the crop size \(64\)/,
    );
    expect(() => makePreprocess(64, { mode: 'scale_width', loadSize: 48 })).toThrow(/scale_width/);
    expect(() =>
      validatePreprocess({ mode: 'zoom', cropSize: 8, loadSize: 8, flip: true } as unknown as Preprocess),
    ).toThrow(/Unknown preprocess mode "zoom"/);
    // crop and none do not use the load size, so a small one is fine there.
    expect(() => makePreprocess(64, { mode: 'crop', loadSize: 8 })).not.toThrow();
  });
});

describe('planCrop', () => {
  it('resize_and_crop squares the image to load size and crops anywhere inside it', () => {
    const p = makePreprocess(256);
    expect(planCrop(1000, 300, p, scripted(0, 0, 0.9))).toEqual({
      resizeWidth: 286,
      resizeHeight: 286,
      left: 0,
      top: 0,
      size: 256,
      flip: false,
    });
    const far = planCrop(1000, 300, p, scripted(MAX, MAX, 0.1));
    expect([far.left, far.top, far.flip]).toEqual([30, 30, true]);
  });

  it('crop keeps the image size and enlarges only images smaller than the crop', () => {
    const p = makePreprocess(64, { mode: 'crop' });
    const big = planCrop(200, 100, p, scripted(MAX, MAX, 0.9));
    expect(big).toMatchObject({ resizeWidth: 200, resizeHeight: 100, left: 136, top: 36, size: 64 });
    // 40 × 20 is enlarged ×3.2 (the short side to 64), aspect kept.
    const small = planCrop(40, 20, p, scripted(MAX, 0, 0.9));
    expect(small).toMatchObject({ resizeWidth: 128, resizeHeight: 64, left: 64, top: 0 });
    // One side short is enough to enlarge.
    expect(planCrop(300, 50, p, scripted(0, 0, 0))).toMatchObject({ resizeWidth: 384, resizeHeight: 64 });
  });

  it('scale_width sets the width, keeps the aspect, and never lets the height fall below the crop', () => {
    const p = makePreprocess(64, { mode: 'scale_width', loadSize: 80 });
    expect(planCrop(160, 240, p, scripted(0, MAX, 0.9))).toMatchObject({
      resizeWidth: 80,
      resizeHeight: 120,
      left: 0,
      top: 56,
    });
    // 400 × 100 would be 80 × 20: the height is raised to the crop, as the reference's __scale_width.
    expect(planCrop(400, 100, p, scripted(0, 0, 0.9))).toMatchObject({ resizeWidth: 80, resizeHeight: 64 });
  });

  it('none resizes to the crop size: one size for every batch', () => {
    const p = makePreprocess(48, { mode: 'none' });
    expect(planCrop(640, 480, p, scripted(MAX, MAX, 0.9))).toEqual({
      resizeWidth: 48,
      resizeHeight: 48,
      left: 0,
      top: 0,
      size: 48,
      flip: false,
    });
  });

  it('draws exactly three numbers in every mode, flip or not, so draws never shift', () => {
    for (const mode of PREPROCESS_MODES) {
      for (const flip of [true, false]) {
        const random = scripted(0.3, 0.6, 0.2);
        const plan = planCrop(123, 77, makePreprocess(32, { mode, flip }), random);
        expect(random.calls).toBe(3);
        expect(plan.flip).toBe(flip);
        expect(plan.left).toBeGreaterThanOrEqual(0);
        expect(plan.left + plan.size).toBeLessThanOrEqual(plan.resizeWidth);
        expect(plan.top + plan.size).toBeLessThanOrEqual(plan.resizeHeight);
      }
    }
  });
});
