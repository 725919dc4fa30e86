// The WebSocket half of the web host: one JSON frame per request, answered with the same id.
// Frames are parsed with a schema; anything malformed gets an error reply, never a crash.
import type { WebSocket } from 'ws';
import type { ApiResult } from '../../shared/contract.ts';
import { type BridgeReply, BridgeRequest } from '../../shared/wire.ts';
import type { Dispatch } from '../api/dispatch.ts';

const MAX_FRAME_BYTES = 1 << 20;

export function serveBridge(socket: WebSocket, dispatch: Dispatch): void {
  socket.on('message', async (data, isBinary) => {
    const text = isBinary ? '' : data.toString();
    let frame: BridgeRequest;
    try {
      if (text.length === 0 || text.length > MAX_FRAME_BYTES) throw new Error('frame is empty, binary or too large');
      frame = BridgeRequest.parse(JSON.parse(text));
    } catch (error) {
      const result: ApiResult<never> = {
        ok: false,
        error: {
          code: 'bad-request',
          message: `Malformed bridge frame: ${error instanceof Error ? error.message : error}`,
        },
      };
      socket.send(JSON.stringify({ id: -1, result }));
      return;
    }
    const reply: BridgeReply = { id: frame.id, result: await dispatch(frame.channel, frame.request) };
    if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(reply));
  });
}
