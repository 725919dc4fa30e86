// The host's single entry for API requests, shared by every transport. It parses the
// request with the channel's schema before any handler sees it, and turns every failure
// into an ApiResult so a bad request can never crash the host or leak a stack trace.
import {
  type ApiResult,
  type Channel,
  channels,
  isChannel,
  type RequestOf,
  type ResponseOf,
} from '../../shared/contract.ts';

export type Handlers = {
  [C in Channel]: (request: RequestOf<C>) => Promise<ResponseOf<C>> | ResponseOf<C>;
};

export type Dispatch = (channel: unknown, request: unknown) => Promise<ApiResult<unknown>>;

export function createDispatch(handlers: Handlers, onError: (error: unknown) => void = () => {}): Dispatch {
  return async (channel, request) => {
    if (!isChannel(channel)) {
      return {
        ok: false,
        error: { code: 'unknown-channel', message: `There is no API channel called ${JSON.stringify(channel)}.` },
      };
    }
    const parsed = channels[channel].request.safeParse(request ?? {});
    if (!parsed.success) {
      const detail = parsed.error.issues
        .map((issue) => `${issue.path.join('.') || 'request'}: ${issue.message}`)
        .join('; ');
      return { ok: false, error: { code: 'bad-request', message: `Invalid request for ${channel}: ${detail}` } };
    }
    try {
      const handler = handlers[channel] as (request: unknown) => Promise<unknown> | unknown;
      return { ok: true, value: await handler(parsed.data) };
    } catch (error) {
      onError(error);
      return { ok: false, error: { code: 'failed', message: error instanceof Error ? error.message : String(error) } };
    }
  };
}
