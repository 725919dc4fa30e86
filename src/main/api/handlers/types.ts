// A handler group: the handlers of some channels, over the host's services.
import type { Channel } from '../../../shared/contract.ts';
import type { Handlers } from '../dispatch.ts';

export type HandlerGroup<C extends Channel> = Pick<Handlers, C>;
