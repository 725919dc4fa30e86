// Frames of the WebSocket bridge (web host). Electron IPC needs none of this: ipcRenderer
// already correlates replies, so only the WebSocket transport frames its messages.
import { z } from 'zod';

export const BridgeRequest = z.object({
  id: z.number().int().nonnegative(),
  channel: z.string(),
  request: z.unknown(),
});
export type BridgeRequest = z.infer<typeof BridgeRequest>;

export type BridgeReply = { id: number; result: import('./contract.ts').ApiResult<unknown> };
