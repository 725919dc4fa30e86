// The media route/protocol serves images under allowed folders only: no `../`, no absolute
// paths elsewhere, no symlinks out, no non-images.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { createMediaAccess } from '../../../src/main/media/access.ts';

const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'diptych-media-')));
const allowed = path.join(root, 'dataset');
const outside = path.join(root, 'private');
fs.mkdirSync(allowed);
fs.mkdirSync(outside);
fs.writeFileSync(path.join(allowed, 'a.png'), 'png');
fs.writeFileSync(path.join(allowed, 'notes.txt'), 'text');
fs.writeFileSync(path.join(outside, 'secret.png'), 'png');
fs.symlinkSync(path.join(outside, 'secret.png'), path.join(allowed, 'link.png'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

test('serves an image inside a chosen folder and nothing else', () => {
  const media = createMediaAccess(() => []);
  expect(media.resolve(path.join(allowed, 'a.png'))).toBeNull();
  media.allowFolder(allowed);
  expect(media.resolve(path.join(allowed, 'a.png'))).toBe(path.join(allowed, 'a.png'));
  expect(media.resolve(path.join(allowed, '..', 'private', 'secret.png'))).toBeNull();
  expect(media.resolve(`${allowed}/../private/secret.png`)).toBeNull();
  expect(media.resolve(path.join(outside, 'secret.png'))).toBeNull();
  expect(media.resolve(path.join(allowed, 'link.png'))).toBeNull();
  expect(media.resolve(path.join(allowed, 'notes.txt'))).toBeNull();
  expect(media.resolve('dataset/a.png')).toBeNull();
  expect(media.resolve(`${allowed}/a.png\0.png`)).toBeNull();
  expect(media.resolve(allowed)).toBeNull();
});

test('fixed roots (the workspace, recorded datasets) are read at each request', () => {
  const roots: string[] = [];
  const media = createMediaAccess(() => roots);
  expect(media.resolve(path.join(outside, 'secret.png'))).toBeNull();
  roots.push(outside);
  expect(media.resolve(path.join(outside, 'secret.png'))).toBe(path.join(outside, 'secret.png'));
});
