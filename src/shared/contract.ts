// The one API contract between the UI and the host. Every transport (Electron IPC through
// the preload, the web host's WebSocket bridge, direct in-process calls) carries exactly
// these channels, and every request is parsed with its schema at the host's boundary.
import { z } from 'zod';

export const BackendName = z.enum(['tensorflow-gpu', 'tensorflow', 'wasm', 'cpu']);
export type BackendName = z.infer<typeof BackendName>;

export const BackendInfo = z.object({
  name: BackendName,
  /** Version of the TensorFlow.js package that provides the backend. */
  version: z.string(),
  /** GPU name, or CPU model with threads and SIMD. */
  device: z.string(),
  /** Why each better backend was not used, in ladder order. */
  fallbacks: z.array(z.object({ name: BackendName, reason: z.string() })),
});
export type BackendInfo = z.infer<typeof BackendInfo>;

export const AppInfo = z.object({
  name: z.literal('Diptych'),
  version: z.string(),
  host: z.enum(['electron', 'web', 'cli', 'test']),
  workspace: z.string(),
  /** Null until the engine has answered; the error says why it could not. */
  backend: BackendInfo.nullable(),
  backendError: z.string().nullable(),
});
export type AppInfo = z.infer<typeof AppInfo>;

export const RunStatus = z.enum(['queued', 'running', 'paused', 'stopped', 'completed', 'failed', 'interrupted']);
export type RunStatus = z.infer<typeof RunStatus>;

export const RunSummary = z.object({
  id: z.string(),
  name: z.string(),
  model: z.enum(['cyclegan', 'cogan']),
  status: RunStatus,
  createdAt: z.string(),
  backend: z.string().nullable(),
});
export type RunSummary = z.infer<typeof RunSummary>;

const NoArgs = z.object({}).strict();

/** Channel name → request and response schemas. Channel names live here and nowhere else. */
export const channels = {
  'app:info': { request: NoArgs, response: AppInfo },
  'runs:list': { request: NoArgs, response: z.array(RunSummary) },
} as const;

export type Channel = keyof typeof channels;
export type RequestOf<C extends Channel> = z.input<(typeof channels)[C]['request']>;
export type ResponseOf<C extends Channel> = z.output<(typeof channels)[C]['response']>;

export function isChannel(name: unknown): name is Channel {
  return typeof name === 'string' && Object.hasOwn(channels, name);
}

/** What every transport returns: errors travel as values, never as thrown transport errors. */
export type ApiResult<T> = { ok: true; value: T } | { ok: false; error: ApiError };
export const ApiErrorCode = z.enum(['bad-request', 'unknown-channel', 'failed']);
export type ApiError = { code: z.infer<typeof ApiErrorCode>; message: string };

/** The typed surface the renderer sees as window.diptych, whatever carries it. */
export interface DiptychApi {
  invoke<C extends Channel>(channel: C, request: RequestOf<C>): Promise<ApiResult<ResponseOf<C>>>;
}
