// The renderer's only door to the host: window.diptych where the Electron preload provides
// it, the WebSocket bridge where the page is served by `diptych serve`.
import type { Channel, DiptychApi, RequestOf, ResponseOf } from '../../shared/contract.ts';
import { createWebSocketApi } from './ws-client.ts';

declare global {
  interface Window {
    diptych?: DiptychApi;
  }
}

const transport: DiptychApi = window.diptych ?? createWebSocketApi();

/** Calls the host; a failure becomes an Error whose message is meant for the person. */
export async function call<C extends Channel>(channel: C, request: RequestOf<C>): Promise<ResponseOf<C>> {
  const result = await transport.invoke(channel, request);
  if (!result.ok) throw new Error(result.error.message);
  return result.value;
}
