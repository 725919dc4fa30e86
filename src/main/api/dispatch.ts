// The host's single entry for API requests, shared by every transport. It parses the
// request with the channel's schema before any handler sees it, and turns every failure
// into an ApiResult so a bad request can never crash the host or leak a stack trace. A refusal
// that can say which field it is about (a request's schema, refused training options) carries
// its issues as they are, so a form need not take the message apart.
import {
  type ApiResult,
  type Channel,
  channels,
  isChannel,
  type RequestOf,
  type ResponseOf,
} from '../../shared/contract.ts';
import { optionIssuesOf, toOptionIssue } from '../../shared/options/issues.ts';

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
      const issues = parsed.error.issues.map(toOptionIssue);
      const detail = issues.map((issue) => `${issue.path || 'request'}: ${issue.message}`).join('; ');
      return {
        ok: false,
        error: { code: 'bad-request', message: `Invalid request for ${channel}: ${detail}`, issues },
      };
    }
    try {
      const handler = handlers[channel] as (request: unknown) => Promise<unknown> | unknown;
      return { ok: true, value: await handler(parsed.data) };
    } catch (error) {
      onError(error);
      const message = error instanceof Error ? error.message : String(error);
      const issues = optionIssuesOf(error);
      return { ok: false, error: { code: 'failed', message, ...(issues ? { issues: [...issues] } : {}) } };
    }
  };
}
