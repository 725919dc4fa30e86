// The web host's /media route: an allowed image with the token, a 404 for anything else, a
// 401 without the token; and host events pushed over the bridge socket.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { WebSocket } from 'ws';
import { createDispatch } from '../../../src/main/api/dispatch.ts';
import { createEventBus } from '../../../src/main/events.ts';
import { createMediaAccess } from '../../../src/main/media/access.ts';
import { startWebHost } from '../../../src/main/web-host/server.ts';
import { unusedHandlers } from '../api/handler-stubs.ts';

const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'diptych-web-media-')));
fs.writeFileSync(path.join(root, 'index.html'), '<!doctype html><title>t</title>');
const images = path.join(root, 'images');
fs.mkdirSync(images);
fs.writeFileSync(path.join(images, 'a.png'), 'PNGDATA');
const media = createMediaAccess(() => [images]);
const events = createEventBus();
const dispatch = createDispatch({
  ...unusedHandlers(),
  'app:info': () => {
    throw new Error('unused');
  },
  'runs:list': () => [],
});
const web = await startWebHost({ dispatch, rendererDir: root, media, events });
afterAll(async () => {
  await web.close();
  fs.rmSync(root, { recursive: true, force: true });
});

const base = new URL(web.url);
const mediaUrl = (file: string, token = true) =>
  `http://${base.host}/media?path=${encodeURIComponent(file)}${token ? `&token=${web.token}` : ''}`;

test('serves allowed images only, and only with the token', async () => {
  const ok = await fetch(mediaUrl(path.join(images, 'a.png')));
  expect(ok.status).toBe(200);
  expect(ok.headers.get('content-type')).toBe('image/png');
  expect(await ok.text()).toBe('PNGDATA');
  expect((await fetch(mediaUrl(path.join(root, 'index.html')))).status).toBe(404);
  expect((await fetch(mediaUrl(`${images}/../index.html`))).status).toBe(404);
  expect((await fetch(mediaUrl(path.join(images, 'a.png'), false))).status).toBe(401);
});

test('host events reach a connected page', async () => {
  const ws = new WebSocket(`ws://${base.host}/api?token=${web.token}`);
  await new Promise((resolve) => ws.once('open', resolve));
  const received = new Promise<string>((resolve) => ws.once('message', (data) => resolve(data.toString())));
  events.publish({ type: 'runs-changed' });
  expect(JSON.parse(await received)).toEqual({ event: { type: 'runs-changed' } });
  ws.close();
});
