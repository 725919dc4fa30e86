// The bridge on its own, over a bare WebSocketServer (no HTTP host, no token), so that
// frame handling is tested apart from authentication (server.test.ts covers that).
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import type { Dispatch } from '../../../src/main/api/dispatch.ts';
import { serveBridge } from '../../../src/main/web-host/bridge.ts';
import type { BridgeReply } from '../../../src/shared/wire.ts';

let server: WebSocketServer | undefined;
afterEach(async () => {
  if (!server) return;
  for (const client of server.clients) client.terminate();
  await new Promise<void>((resolve) => server?.close(() => resolve()));
  server = undefined;
});

async function connect(dispatch: Dispatch): Promise<{ socket: WebSocket; next: () => Promise<BridgeReply> }> {
  server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  server.on('connection', (ws) => serveBridge(ws, dispatch));
  await new Promise<void>((resolve) => server?.once('listening', () => resolve()));
  const { port } = server.address() as AddressInfo;
  const socket = new WebSocket(`ws://127.0.0.1:${port}`);
  const queue: BridgeReply[] = [];
  const waiting: ((reply: BridgeReply) => void)[] = [];
  socket.on('message', (data) => {
    const reply = JSON.parse(data.toString()) as BridgeReply;
    const waiter = waiting.shift();
    if (waiter) waiter(reply);
    else queue.push(reply);
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  const next = () => {
    const queued = queue.shift();
    return queued ? Promise.resolve(queued) : new Promise<BridgeReply>((resolve) => waiting.push(resolve));
  };
  return { socket, next };
}

describe('serveBridge', () => {
  it('dispatches a request and answers with the same id', async () => {
    const dispatch = vi.fn<Dispatch>(async (channel, request) => ({ ok: true, value: { channel, request } }));
    const { socket, next } = await connect(dispatch);
    socket.send(JSON.stringify({ id: 17, channel: 'runs:list', request: { a: 1 } }));
    expect(await next()).toEqual({ id: 17, result: { ok: true, value: { channel: 'runs:list', request: { a: 1 } } } });
    expect(dispatch).toHaveBeenCalledWith('runs:list', { a: 1 });
    socket.close();
  });

  it('passes error results through unchanged', async () => {
    const { socket, next } = await connect(async () => ({
      ok: false,
      error: { code: 'unknown-channel', message: 'nope' },
    }));
    socket.send(JSON.stringify({ id: 0, channel: 'x:y' }));
    expect(await next()).toEqual({ id: 0, result: { ok: false, error: { code: 'unknown-channel', message: 'nope' } } });
    socket.close();
  });

  it('treats a frame without a request as a request without arguments', async () => {
    const dispatch = vi.fn<Dispatch>(async () => ({ ok: true, value: 'info' }));
    const { socket, next } = await connect(dispatch);
    socket.send(JSON.stringify({ id: 9, channel: 'app:info' }));
    expect(await next()).toEqual({ id: 9, result: { ok: true, value: 'info' } });
    expect(dispatch).toHaveBeenCalledWith('app:info', undefined);
    socket.close();
  });

  it.each([
    ['text that is not JSON', 'this is { not json'],
    ['a frame without id', JSON.stringify({ channel: 'app:info', request: {} })],
    ['a negative id', JSON.stringify({ id: -3, channel: 'app:info' })],
    ['a fractional id', JSON.stringify({ id: 1.5, channel: 'app:info' })],
    ['a frame without channel', JSON.stringify({ id: 4 })],
    ['a JSON array', '[1,2,3]'],
    ['JSON null', 'null'],
    ['an empty text frame', ''],
    ['a binary frame', Buffer.from(JSON.stringify({ id: 1, channel: 'app:info', request: {} }))],
  ])('answers %s with a bad-request error and keeps the socket working', async (_label, frame) => {
    const dispatch = vi.fn<Dispatch>(async () => ({ ok: true, value: 'fine' }));
    const { socket, next } = await connect(dispatch);
    socket.send(frame, { binary: Buffer.isBuffer(frame) });
    const reply = await next();
    expect(reply.id).toBe(-1);
    expect(reply.result.ok).toBe(false);
    if (!reply.result.ok) {
      expect(reply.result.error.code).toBe('bad-request');
      expect(reply.result.error.message).toMatch(/^Malformed bridge frame: /);
    }
    expect(dispatch).not.toHaveBeenCalled();
    // The same socket still serves a good request afterwards.
    socket.send(JSON.stringify({ id: 2, channel: 'app:info', request: {} }));
    expect(await next()).toEqual({ id: 2, result: { ok: true, value: 'fine' } });
    expect(socket.readyState).toBe(WebSocket.OPEN);
    socket.close();
  });

  it('answers concurrent requests each under its own id', async () => {
    const { socket, next } = await connect(async (_channel, request) => {
      const delay = (request as { delay: number }).delay;
      await new Promise((resolve) => setTimeout(resolve, delay));
      return { ok: true, value: delay };
    });
    socket.send(JSON.stringify({ id: 1, channel: 'c', request: { delay: 60 } }));
    socket.send(JSON.stringify({ id: 2, channel: 'c', request: { delay: 0 } }));
    const replies = [await next(), await next()];
    expect(replies).toEqual([
      { id: 2, result: { ok: true, value: 0 } },
      { id: 1, result: { ok: true, value: 60 } },
    ]);
    socket.close();
  });
});
