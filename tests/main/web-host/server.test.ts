import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { createDispatch } from '../../../src/main/api/dispatch.ts';
import { CONTENT_SECURITY_POLICY_HEADER } from '../../../src/main/desktop/hardening.ts';
import { startWebHost, type WebHost } from '../../../src/main/web-host/server.ts';
import type { AppInfo, RunSummary } from '../../../src/shared/contract.ts';
import type { BridgeReply } from '../../../src/shared/wire.ts';
import { unusedHandlers } from '../api/handler-stubs.ts';

const PAGE = '<!doctype html><title>Diptych test shell</title><p>shell-marker-31337</p>';
const info: AppInfo = {
  name: 'Diptych',
  version: '1.2.3',
  host: 'web',
  workspace: '/tmp/w',
  backend: null,
  backendError: 'none here',
};
const runs: RunSummary[] = [
  {
    id: 'r9',
    name: 'nine',
    model: 'cogan',
    status: 'completed',
    createdAt: '2025-02-02T00:00:00Z',
    updatedAt: '2025-02-02T00:00:00Z',
    backend: 'wasm',
    lastStep: 1200,
    lastLosses: { G_A: 0.25, D_A: null },
    epoch: 3,
    thumbnails: { A: [], B: [] },
  },
];
const dispatch = createDispatch({ ...unusedHandlers(), 'app:info': () => info, 'runs:list': () => runs });

let rendererDir: string;
let host: WebHost;
let origin: string;

beforeAll(async () => {
  rendererDir = fs.mkdtempSync(path.join(os.tmpdir(), 'diptych-renderer-'));
  fs.writeFileSync(path.join(rendererDir, 'index.html'), PAGE);
  fs.mkdirSync(path.join(rendererDir, 'assets'));
  fs.writeFileSync(path.join(rendererDir, 'assets', 'app.js'), 'console.log("asset-marker");');
  host = await startWebHost({ dispatch, rendererDir });
  origin = new URL(host.url).origin;
});

afterAll(async () => {
  await host?.close();
  fs.rmSync(rendererDir, { recursive: true, force: true });
});

interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

function get(pathAndQuery: string, headers: Record<string, string> = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const request = http.get(`${origin}${pathAndQuery}`, { headers }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        body += chunk;
      });
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body }));
    });
    request.on('error', reject);
  });
}

/** Opens a WebSocket; resolves with the socket once open, or with the HTTP status of a refusal. */
function openSocket(
  url: string,
  headers: Record<string, string> = {},
): Promise<{ socket?: WebSocket; refused?: number }> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, { headers });
    socket.once('open', () => resolve({ socket }));
    socket.once('unexpected-response', (_request, response) => {
      resolve({ refused: response.statusCode ?? 0 });
      socket.terminate();
    });
    socket.once('error', (error) => {
      // A refused upgrade also surfaces as an error on some paths; the status is what counts.
      const match = /Unexpected server response: (\d+)/.exec(error.message);
      if (match) resolve({ refused: Number(match[1]) });
      else reject(error);
    });
  });
}

function request(socket: WebSocket, frame: string | object): Promise<BridgeReply> {
  return new Promise((resolve) => {
    socket.once('message', (data) => resolve(JSON.parse(data.toString()) as BridgeReply));
    socket.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
  });
}

const opened: WebSocket[] = [];
afterEach(() => {
  for (const socket of opened.splice(0)) socket.terminate();
});

describe('startWebHost: HTTP', () => {
  it('binds 127.0.0.1 by default and prints a URL with the token', () => {
    const url = new URL(host.url);
    expect(url.hostname).toBe('127.0.0.1');
    expect(Number(url.port)).toBeGreaterThan(0);
    expect(url.searchParams.get('token')).toBe(host.token);
    expect(host.token.length).toBeGreaterThanOrEqual(32);
  });

  it('cannot be reached on another interface of this machine', async (context) => {
    const external = Object.values(os.networkInterfaces())
      .flat()
      .find((address) => address && address.family === 'IPv4' && !address.internal);
    if (!external) {
      console.log('skipped: this machine has no non-loopback IPv4 address to try');
      context.skip();
      return;
    }
    const port = Number(new URL(host.url).port);
    const outcome = await new Promise<string>((resolve) => {
      const socket = net.connect({ host: external.address, port }, () => {
        socket.destroy();
        resolve('connected');
      });
      socket.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'));
    });
    expect(outcome).toBe('ECONNREFUSED');
  });

  it('answers 401 without a token and with a wrong one, without the page', async () => {
    for (const target of ['/', '/index.html', '/assets/app.js', '/?token=wrong', `/?token=${host.token}x`]) {
      const reply = await get(target);
      expect(reply.status, target).toBe(401);
      expect(reply.body).not.toContain('shell-marker');
      expect(reply.headers['set-cookie']).toBeUndefined();
    }
    const wrongCookie = await get('/', { cookie: 'diptych_token=wrong' });
    expect(wrongCookie.status).toBe(401);
  });

  it('serves the page with the token and sets the token cookie', async () => {
    const reply = await get(`/?token=${encodeURIComponent(host.token)}`);
    expect(reply.status).toBe(200);
    expect(reply.body).toContain('shell-marker-31337');
    expect(reply.headers['x-content-type-options']).toBe('nosniff');
    expect(reply.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY_HEADER);
    expect(reply.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(reply.headers['referrer-policy']).toBe('no-referrer');
    const cookie = reply.headers['set-cookie']?.[0] ?? '';
    expect(cookie).toContain(`diptych_token=${host.token}`);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
  });

  it('sends nosniff, the CSP and no-referrer with every answer, refusals included', async () => {
    for (const target of [`/?token=${host.token}`, '/assets/app.js', '/?token=wrong', '/media?path=/etc/passwd']) {
      const reply = await get(target, { cookie: `diptych_token=${host.token}` });
      expect(reply.headers['x-content-type-options'], target).toBe('nosniff');
      expect(reply.headers['referrer-policy'], target).toBe('no-referrer');
      expect(reply.headers['content-security-policy'], target).toBe(CONTENT_SECURITY_POLICY_HEADER);
    }
    const refused = await get('/', { host: 'evil.example' });
    expect(refused.headers['referrer-policy']).toBe('no-referrer');
    expect(refused.headers['content-security-policy']).toContain("frame-ancestors 'none'");
  });

  it('refuses a foreign Host (DNS rebinding) with 421, even with the token', async () => {
    const port = new URL(host.url).port;
    for (const name of ['evil.example', `evil.example:${port}`, `127.0.0.1.evil.example:${port}`]) {
      const reply = await get(`/?token=${host.token}`, { host: name });
      expect(reply.status, name).toBe(421);
      expect(reply.body).not.toContain('shell-marker');
      expect(reply.body).toMatch(/does not answer to that name/);
      expect(reply.headers['set-cookie']).toBeUndefined();
    }
    const withCookie = await get('/assets/app.js', { host: 'evil.example', cookie: `diptych_token=${host.token}` });
    expect(withCookie.status).toBe(421);
    expect(withCookie.body).not.toContain('asset-marker');
    // HTTP/1.0 allows no Host at all; a browser always sends one.
    const bare = await new Promise<string>((resolve, reject) => {
      const socket = net.connect({ host: '127.0.0.1', port: Number(port) }, () =>
        socket.end(`GET /?token=${host.token} HTTP/1.0\r\n\r\n`),
      );
      let text = '';
      socket.setEncoding('utf8');
      socket.on('data', (chunk: string) => {
        text += chunk;
      });
      socket.on('close', () => resolve(text));
      socket.on('error', reject);
    });
    expect(bare).toMatch(/^HTTP\/1\.[01] 421/);
    expect(bare).not.toContain('shell-marker');
  });

  it('answers the names it is bound to: 127.0.0.1, localhost and [::1] with its port', async () => {
    const port = new URL(host.url).port;
    for (const name of [`127.0.0.1:${port}`, `localhost:${port}`, `LOCALHOST:${port}`, `[::1]:${port}`]) {
      const reply = await get(`/?token=${host.token}`, { host: name });
      expect(reply.status, name).toBe(200);
      expect(reply.body).toContain('shell-marker-31337');
    }
  });

  it('serves assets to a request that carries only the cookie', async () => {
    const reply = await get('/assets/app.js', { cookie: `theme=dark; diptych_token=${host.token}` });
    expect(reply.status).toBe(200);
    expect(reply.body).toContain('asset-marker');
  });

  it('refuses to start without a built renderer, saying what to do', async () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'diptych-empty-'));
    try {
      await expect(startWebHost({ dispatch, rendererDir: empty })).rejects.toThrow(
        /renderer is not built.*npm run build/,
      );
    } finally {
      fs.rmSync(empty, { recursive: true, force: true });
    }
  });

  it('uses a given token and port', async () => {
    const probe = net.createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', () => resolve()));
    const port = (probe.address() as net.AddressInfo).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const other = await startWebHost({ dispatch, rendererDir, token: 'given-token', port });
    try {
      expect(other.url).toBe(`http://127.0.0.1:${port}/?token=given-token`);
      expect(other.token).toBe('given-token');
    } finally {
      await other.close();
    }
  });
});

describe('startWebHost: WebSocket bridge', () => {
  const bridgeUrl = () => `${origin.replace('http', 'ws')}/api`;

  it('refuses an upgrade without a token', async () => {
    expect(await openSocket(bridgeUrl())).toEqual({ refused: 401 });
  });

  it('refuses an upgrade with a wrong token, in the query or the cookie', async () => {
    expect(await openSocket(`${bridgeUrl()}?token=wrong`)).toEqual({ refused: 401 });
    expect(await openSocket(bridgeUrl(), { cookie: 'diptych_token=wrong' })).toEqual({ refused: 401 });
  });

  it('refuses an upgrade from a foreign Origin even with the right token', async () => {
    const outcome = await openSocket(`${bridgeUrl()}?token=${host.token}`, { origin: 'http://evil.example' });
    expect(outcome).toEqual({ refused: 401 });
  });

  it('refuses an upgrade from an opaque origin ("null") and keeps serving', async () => {
    // Sandboxed iframes and file:// pages send the literal Origin "null".
    const outcome = await openSocket(`${bridgeUrl()}?token=${host.token}`, { origin: 'null' });
    expect(outcome).toEqual({ refused: 401 });
    expect((await get(`/?token=${host.token}`)).status).toBe(200);
  });

  it('refuses an upgrade whose Host and Origin are both a foreign name (DNS rebinding)', async () => {
    const port = new URL(host.url).port;
    for (const name of ['evil.example', `evil.example:${port}`]) {
      const outcome = await openSocket(`${bridgeUrl()}?token=${host.token}`, {
        host: name,
        origin: `http://${name}`,
      });
      expect(outcome, name).toEqual({ refused: 421 });
    }
    const cookie = await openSocket(bridgeUrl(), {
      host: 'evil.example',
      origin: 'http://evil.example',
      cookie: `diptych_token=${host.token}`,
    });
    expect(cookie).toEqual({ refused: 421 });
  });

  it('accepts an upgrade on localhost with its port, Origin to match', async () => {
    const port = new URL(host.url).port;
    // Connect to the bound address (localhost may resolve to ::1 first), naming localhost.
    const { socket } = await openSocket(`${bridgeUrl()}?token=${host.token}`, {
      host: `localhost:${port}`,
      origin: `http://localhost:${port}`,
    });
    expect(socket).toBeDefined();
    if (!socket) return;
    opened.push(socket);
    expect(await request(socket, { id: 8, channel: 'app:info' })).toEqual({ id: 8, result: { ok: true, value: info } });
  });

  it('refuses an upgrade on another path', async () => {
    expect(await openSocket(`${origin.replace('http', 'ws')}/other?token=${host.token}`)).toEqual({ refused: 401 });
  });

  it('carries a real request through to dispatch and back', async () => {
    const { socket } = await openSocket(`${bridgeUrl()}?token=${host.token}`, { origin });
    expect(socket).toBeDefined();
    if (!socket) return;
    opened.push(socket);
    expect(await request(socket, { id: 1, channel: 'app:info', request: {} })).toEqual({
      id: 1,
      result: { ok: true, value: info },
    });
    expect(await request(socket, { id: 2, channel: 'runs:list', request: {} })).toEqual({
      id: 2,
      result: { ok: true, value: runs },
    });
    const bad = await request(socket, { id: 3, channel: 'runs:list', request: { extra: true } });
    expect(bad).toMatchObject({ id: 3, result: { ok: false, error: { code: 'bad-request' } } });
    const unknown = await request(socket, { id: 4, channel: 'runs:explode', request: {} });
    expect(unknown).toMatchObject({ id: 4, result: { ok: false, error: { code: 'unknown-channel' } } });
  });

  it('accepts the cookie the page load set, as a browser would send it', async () => {
    const { socket } = await openSocket(bridgeUrl(), { cookie: `diptych_token=${host.token}`, origin });
    expect(socket).toBeDefined();
    if (!socket) return;
    opened.push(socket);
    expect(await request(socket, { id: 7, channel: 'app:info' })).toEqual({ id: 7, result: { ok: true, value: info } });
  });

  it('answers malformed frames with an error and keeps the socket working', async () => {
    const { socket } = await openSocket(`${bridgeUrl()}?token=${host.token}`);
    expect(socket).toBeDefined();
    if (!socket) return;
    opened.push(socket);
    for (const frame of ['not json at all', JSON.stringify({ channel: 'app:info', request: {} })]) {
      const reply = await request(socket, frame);
      expect(reply).toMatchObject({ id: -1, result: { ok: false, error: { code: 'bad-request' } } });
    }
    const binary = await new Promise<BridgeReply>((resolve) => {
      socket.once('message', (data) => resolve(JSON.parse(data.toString()) as BridgeReply));
      socket.send(Buffer.from([1, 2, 3]), { binary: true });
    });
    expect(binary).toMatchObject({ id: -1, result: { ok: false, error: { code: 'bad-request' } } });
    expect(await request(socket, { id: 5, channel: 'runs:list', request: {} })).toEqual({
      id: 5,
      result: { ok: true, value: runs },
    });
  });
});
