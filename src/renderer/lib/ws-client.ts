// The web host's transport: the same DiptychApi as the Electron preload, carried over one
// WebSocket to the page's own origin (the host's cookie carries the token).
import type { ApiResult, Channel, DiptychApi, RequestOf, ResponseOf } from '../../shared/contract.ts';
import { WEB_BRIDGE_PATH } from '../../shared/transport.ts';
import type { BridgeReply } from '../../shared/wire.ts';

export function createWebSocketApi(location: Location = window.location): DiptychApi {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  const token = new URLSearchParams(location.search).get('token');
  const url = `${scheme}//${location.host}${WEB_BRIDGE_PATH}${token ? `?token=${encodeURIComponent(token)}` : ''}`;
  const pending = new Map<number, (result: ApiResult<unknown>) => void>();
  let nextId = 0;
  let socket: Promise<WebSocket> | null = null;

  const failAll = (message: string) => {
    for (const resolve of pending.values()) resolve({ ok: false, error: { code: 'failed', message } });
    pending.clear();
  };

  const connect = (): Promise<WebSocket> =>
    new Promise((resolve, reject) => {
      const ws = new WebSocket(url);
      ws.addEventListener('open', () => resolve(ws));
      ws.addEventListener('message', (event) => {
        const reply = JSON.parse(String(event.data)) as BridgeReply;
        pending.get(reply.id)?.(reply.result);
        pending.delete(reply.id);
      });
      ws.addEventListener('close', () => {
        socket = null;
        failAll('The connection to the Diptych host was lost. Is `diptych serve` still running?');
        reject(new Error('The Diptych host refused the connection (is the token in the address right?).'));
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
  };
}
