// Frames of the WebSocket bridge (web host). Electron IPC needs none of this: ipcRenderer
// already correlates replies, so only the WebSocket transport frames its messages.
import { z } from 'zod';
import type { ApiResult } from './contract.ts';

export const BridgeRequest = z.object({
  id: z.number().int().nonnegative(),
  channel: z.string(),
  // Optional: a request without arguments may leave it out (zod 4 makes an unknown() key required).
  request: z.unknown().optional(),
});
export type BridgeRequest = z.infer<typeof BridgeRequest>;

export type BridgeReply = { id: number; result: ApiResult<unknown> };
