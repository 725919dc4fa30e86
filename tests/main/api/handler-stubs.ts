// Handlers for the channels a test does not exercise: each fails loudly if it is reached.
import type { Handlers } from '../../../src/main/api/dispatch.ts';

const unused = (channel: string) => () => {
  throw new Error(`${channel} is not used by this test`);
};

export function unusedHandlers(): Omit<Handlers, 'app:info' | 'runs:list'> {
  return {
    'runs:get': unused('runs:get'),
    'runs:rename': unused('runs:rename'),
    'runs:delete': unused('runs:delete'),
    'runs:metrics': unused('runs:metrics'),
    'runs:note': unused('runs:note'),
    'runs:tags': unused('runs:tags'),
  };
}
