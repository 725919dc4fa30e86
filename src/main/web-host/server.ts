// The web host (`diptych serve`): the built renderer over HTTP and the API over a WebSocket,
// both behind a token. Used for remote GPU boxes and for the browser end-to-end tests.
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import sirv from 'sirv';
import { WebSocketServer } from 'ws';
import { WEB_BRIDGE_PATH } from '../../shared/transport.ts';
import type { Dispatch } from '../api/dispatch.ts';
import { CONTENT_SECURITY_POLICY_HEADER } from '../desktop/hardening.ts';
import { rateLimited } from '../event-rate.ts';
import type { EventBus } from '../events.ts';
import { contentTypeOf, type MediaAccess } from '../media/access.ts';
import { type HostCheck, hostCheck } from './allowed-hosts.ts';
import { serveBridge } from './bridge.ts';
import { createToken, tokenFromRequest, tokensMatch } from './token.ts';

export interface WebHostOptions {
  dispatch: Dispatch;
  /** Folder holding the built renderer (index.html and assets). */
  rendererDir: string;
  host?: string;
  port?: number;
  token?: string;
  /** Host events pushed to every connected page as `{"event": …}` frames. */
  events?: EventBus;
  /** Which image files `/media?path=` may serve; without it the route serves nothing. */
  media?: MediaAccess;
}

export interface WebHost {
  url: string;
  token: string;
  close(): Promise<void>;
}

const MEDIA_PATH = '/media';

/** Sent with every response, refusals included. */
const COMMON_HEADERS = {
  'x-content-type-options': 'nosniff',
  'content-security-policy': CONTENT_SECURITY_POLICY_HEADER,
  'referrer-policy': 'no-referrer',
} as const;

const MISDIRECTED =
  'Diptych web host: this host does not answer to that name. Open the address `diptych serve` printed, ' +
  'or add the name to DIPTYCH_ALLOWED_HOSTS.\n';

/** Streams one allowed image; anything else is a 404 that says nothing about the file system. */
function serveMedia(requested: string | null, media: MediaAccess | undefined, response: http.ServerResponse): void {
  const file = requested && media ? media.resolve(requested) : null;
  if (!file) {
    response.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
    response.end('Not an image this host shows.\n');
    return;
  }
  response.writeHead(200, { 'content-type': contentTypeOf(file), 'cache-control': 'no-cache' });
  fs.createReadStream(file)
    .on('error', () => response.destroy())
    .pipe(response);
}

export async function startWebHost(options: WebHostOptions): Promise<WebHost> {
  const index = path.join(options.rendererDir, 'index.html');
  if (!fs.existsSync(index)) {
    throw new Error(
      `The renderer is not built (${index} is missing). Run \`npm run build\` first, or use \`npm run serve\`, which builds it.`,
    );
  }
  const token = options.token ?? createToken();
  const host = options.host ?? '127.0.0.1';
  const assets = sirv(options.rendererDir, { dev: false, etag: true, single: true });

  // Set once the server listens (the port is known then); nothing is answered before.
  let hosts: HostCheck | null = null;

  const server = http.createServer((request, response) => {
    for (const [name, value] of Object.entries(COMMON_HEADERS)) response.setHeader(name, value);
    // DNS rebinding: a page of another name that resolves here is refused, token or not.
    if (!hosts?.allows(request.headers.host)) {
      response.writeHead(421, { 'content-type': 'text/plain; charset=utf-8' });
      response.end(MISDIRECTED);
      return;
    }
    const url = new URL(request.url ?? '/', 'http://localhost');
    if (!tokensMatch(token, tokenFromRequest(url, request.headers.cookie))) {
      response.writeHead(401, { 'content-type': 'text/plain; charset=utf-8' });
      response.end('Diptych web host: open the address with its ?token=… as printed by `diptych serve`.\n');
      return;
    }
    // Remember the token so the page's own requests (assets, the WebSocket) carry it.
    response.setHeader('set-cookie', `diptych_token=${token}; HttpOnly; SameSite=Strict; Path=/`);
    if (url.pathname === MEDIA_PATH) serveMedia(url.searchParams.get('path'), options.media, response);
    else assets(request, response);
  });

  const sockets = new WebSocketServer({ noServer: true });
  server.on('upgrade', (request, socket, head) => {
    if (!hosts?.allows(request.headers.host)) {
      // The same refusal as a page load; the socket is closed once the answer is out.
      socket.once('finish', () => socket.destroy());
      socket.end(
        `HTTP/1.1 421 Misdirected Request\r\nContent-Type: text/plain; charset=utf-8\r\nConnection: close\r\n\r\n${MISDIRECTED}`,
      );
      return;
    }
    const url = new URL(request.url ?? '/', 'http://localhost');
    const origin = request.headers.origin;
    // A page from another origin must not drive the API with the user's cookie.
    // URL.canParse: an opaque Origin ("null", from sandboxed frames and file:// pages) must
    // be refused, not thrown on inside this listener (that would crash the host).
    const sameOrigin = !origin || (URL.canParse(origin) && new URL(origin).host === request.headers.host);
    if (
      url.pathname !== WEB_BRIDGE_PATH ||
      !sameOrigin ||
      !tokensMatch(token, tokenFromRequest(url, request.headers.cookie))
    ) {
      socket.end('HTTP/1.1 401 Unauthorized\r\n\r\n');
      return;
    }
    sockets.handleUpgrade(request, socket, head, (ws) => {
      serveBridge(ws, options.dispatch);
      // Per-step numbers reach the page a few times a second (the store keeps them all).
      const forward = rateLimited((event) => {
        if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ event }));
      });
      const unsubscribe = options.events?.subscribe(forward.listener);
      ws.on('close', () => {
        unsubscribe?.();
        forward.close();
      });
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE')
        reject(new Error(`Port ${options.port} on ${host} is in use; pass --port 0 for a free one, or another port.`));
      else if (error.code === 'EADDRNOTAVAIL') reject(new Error(`${host} is not an address of this machine.`));
      else reject(error);
    });
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  hosts = hostCheck(host, port);
  const shownHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${shownHost}:${port}/?token=${token}`,
    token,
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of sockets.clients) client.terminate();
        sockets.close();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
