// The web host's transport: the same DiptychApi as the Electron preload, carried over one
// WebSocket to the page's own origin (the host's cookie carries the token). Replies carry the
// request's id; host events arrive unasked on the same socket as {"event": HostEvent}.
import type { ApiResult, Channel, DiptychApi, HostEvent, RequestOf, ResponseOf } from '../../shared/contract.ts';
import { WEB_BRIDGE_PATH } from '../../shared/transport.ts';
import type { BridgeReply } from '../../shared/wire.ts';

/** How long to wait before dialling again after the socket closed while somebody listens. */
const RECONNECT_MS = 2000;

type Frame = BridgeReply | { event: HostEvent };

/** The bridge's own extra: whether the socket is up, so the page can say when it is not. */
export interface ConnectionWatch {
  onConnectionChange(listener: (connected: boolean) => void): () => void;
}

export function createWebSocketApi(location: Location = window.location): DiptychApi & ConnectionWatch {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  const token = new URLSearchParams(location.search).get('token');
  const url = `${scheme}//${location.host}${WEB_BRIDGE_PATH}${token ? `?token=${encodeURIComponent(token)}` : ''}`;
  const pending = new Map<number, (result: ApiResult<unknown>) => void>();
  const listeners = new Set<(event: HostEvent) => void>();
  const watchers = new Set<(connected: boolean) => void>();
  const tell = (connected: boolean) => {
    for (const watcher of [...watchers]) watcher(connected);
  };
  let nextId = 0;
  let socket: Promise<WebSocket> | null = null;
  let everOpened = false;

  const failAll = (message: string) => {
    for (const resolve of pending.values()) resolve({ ok: false, error: { code: 'failed', message } });
    pending.clear();
  };

  const emit = (event: HostEvent) => {
    for (const listener of [...listeners]) listener(event);
  };

  // Events only flow while a socket is open, so a page that listens keeps one open, and says
  // "something may have changed" after a reconnect because events were missed meanwhile.
  const ensureOpen = () => {
    if (socket) return;
    socket = connect();
    // A failed dial also closes, and the close handler dials again.
    socket.catch(() => {});
  };

  const connect = (): Promise<WebSocket> =>
    new Promise((resolve, reject) => {
      const ws = new WebSocket(url);
      ws.addEventListener('open', () => {
        if (everOpened) emit({ type: 'runs-changed' });
        everOpened = true;
        tell(true);
        resolve(ws);
      });
      ws.addEventListener('message', (message) => {
        const frame = JSON.parse(String(message.data)) as Frame;
        if ('event' in frame) {
          emit(frame.event);
          return;
        }
        pending.get(frame.id)?.(frame.result);
        pending.delete(frame.id);
      });
      ws.addEventListener('close', () => {
        socket = null;
        if (everOpened) tell(false);
        failAll('The connection to the Diptych host was lost. Is `diptych serve` still running?');
        reject(new Error('The Diptych host refused the connection (is the token in the address right?).'));
        if (listeners.size > 0) setTimeout(ensureOpen, RECONNECT_MS);
      });
    });

  return {
    async invoke<C extends Channel>(channel: C, request: RequestOf<C>): Promise<ApiResult<ResponseOf<C>>> {
      socket ??= connect();
      let ws: WebSocket;
      try {
        ws = await socket;
      } catch (error) {
        socket = null;
        return { ok: false, error: { code: 'failed', message: (error as Error).message } };
      }
      const id = nextId++;
      return new Promise((resolve) => {
        pending.set(id, resolve as (result: ApiResult<unknown>) => void);
        ws.send(JSON.stringify({ id, channel, request }));
      });
    },
    onEvent(listener) {
      listeners.add(listener);
      ensureOpen();
      return () => listeners.delete(listener);
    },
    onConnectionChange(watcher) {
      watchers.add(watcher);
      return () => watchers.delete(watcher);
    },
    // Relative to the page's origin: the token cookie set with the page authorises the request.
    mediaUrl: (path) => `/media?path=${encodeURIComponent(path)}`,
  };
}
