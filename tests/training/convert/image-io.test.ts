// Decoding for conversion: EXIF orientation applied, grey/alpha/16-bit inputs become RGB with the
// right values, fit-to-N keeps the aspect; encoding round-trips losslessly in png.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { decodeForConversion, encodeImage, floatsToBytes, targetSize } from '../../../src/training/convert/image-io.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'diptych-image-io-'));

/** A width × height RGB image whose left half is red and right half blue. */
function halves(width: number, height: number): Buffer {
  const data = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) data[(y * width + x) * 3 + (x < width / 2 ? 0 : 2)] = 255;
  return data;
}

function pixel(image: { width: number; data: Float32Array }, x: number, y: number): number[] {
  const i = (y * image.width + x) * 3;
  return Array.from(image.data.subarray(i, i + 3)).map((v) => Math.round((v + 1) * 127.5));
}

describe('decodeForConversion', () => {
  it('applies the EXIF orientation (6: rotate 90° clockwise)', async () => {
    const file = path.join(dir, 'rotated.png');
    await sharp(halves(40, 20), { raw: { width: 40, height: 20, channels: 3 } })
      .withMetadata({ orientation: 6 })
      .png()
      .toFile(file);
    const image = await decodeForConversion(file);
    expect([image.width, image.height]).toEqual([20, 40]);
    // Rotated clockwise, the red left half is now on top.
    expect(pixel(image, 10, 2)).toEqual([255, 0, 0]);
    expect(pixel(image, 10, 37)).toEqual([0, 0, 255]);
  });

  it('turns grey into RGB and flattens alpha onto white', async () => {
    const grey = path.join(dir, 'grey.png');
    await sharp(Buffer.alloc(16, 100), { raw: { width: 4, height: 4, channels: 1 } })
      .png()
      .toFile(grey);
    const g = await decodeForConversion(grey);
    expect(pixel(g, 1, 1)).toEqual([100, 100, 100]);
    const alpha = path.join(dir, 'alpha.png');
    const rgba = Buffer.alloc(4 * 4 * 4);
    for (let i = 0; i < 16; i++) rgba.set(i < 8 ? [0, 0, 0, 0] : [10, 20, 30, 255], i * 4);
    await sharp(rgba, { raw: { width: 4, height: 4, channels: 4 } })
      .png()
      .toFile(alpha);
    const a = await decodeForConversion(alpha);
    expect(a.hadAlpha).toBe(true);
    expect(pixel(a, 0, 0)).toEqual([255, 255, 255]);
    expect(pixel(a, 0, 3)).toEqual([10, 20, 30]);
  });

  it('keeps 16-bit precision', async () => {
    const file = path.join(dir, 'sixteen.png');
    const raw = new Uint16Array(4 * 4 * 3).fill(1000);
    await sharp(raw, { raw: { width: 4, height: 4, channels: 3 } })
      .toColourspace('rgb16')
      .png()
      .toFile(file);
    const image = await decodeForConversion(file);
    expect(image.bits).toBe(16);
    // 1000/65535 is between 8-bit levels 3 and 4: an 8-bit decode would read −0.9686 or −0.9765.
    expect(image.data[0]).toBeCloseTo(1000 / 32767.5 - 1, 6);
  });

  it('fits the long side, keeping the aspect', async () => {
    expect(targetSize(4000, 3000, 1024)).toEqual({ width: 1024, height: 768 });
    expect(targetSize(30, 3000, 100)).toEqual({ width: 1, height: 100 });
    const file = path.join(dir, 'wide.jpg');
    await sharp(halves(200, 100), { raw: { width: 200, height: 100, channels: 3 } })
      .jpeg()
      .toFile(file);
    const image = await decodeForConversion(file, { longSide: 64 });
    expect([image.width, image.height, image.sourceWidth, image.sourceHeight]).toEqual([64, 32, 200, 100]);
  });

  it('refuses a damaged file with its name', async () => {
    const file = path.join(dir, 'broken.jpg');
    fs.writeFileSync(file, Buffer.from('not an image at all'));
    await expect(decodeForConversion(file)).rejects.toThrow();
  });
});

describe('encodeImage', () => {
  it('writes png losslessly, clamping out-of-range values', async () => {
    const data = new Float32Array([-1, 0, 1, 1.5, -2, 0.5]);
    expect(Array.from(floatsToBytes(data))).toEqual([0, 128, 255, 255, 0, 191]);
    const png = await encodeImage({ width: 2, height: 1, data }, 'png');
    const { data: back, info } = await sharp(png).raw().toBuffer({ resolveWithObject: true });
    expect(info.format).toBe('raw');
    expect(Array.from(back)).toEqual([0, 128, 255, 255, 0, 191]);
    for (const format of ['jpg', 'webp'] as const) {
      const meta = await sharp(await encodeImage({ width: 2, height: 1, data }, format, 50)).metadata();
      expect(meta.format).toBe(format === 'jpg' ? 'jpeg' : 'webp');
    }
  });
});
