// Handlers for the channels a test does not exercise: each fails loudly if it is reached.
import type { Handlers } from '../../../src/main/api/dispatch.ts';

const unused = (channel: string) => () => {
  throw new Error(`${channel} is not used by this test`);
};

export function unusedHandlers(): Omit<Handlers, 'app:info' | 'runs:list'> {
  const channels = [
    'runs:get',
    'runs:rename',
    'runs:delete',
    'runs:metrics',
    'runs:note',
    'runs:tags',
    'datasets:preview',
    'fs:list',
    'presets:list',
    'training:start',
    'training:control',
    'runs:resume',
    'compare:start',
    'compare:get',
    'checkpoint:export',
    'convert:start',
    'convert:cancel',
    'convert:list',
    'samples:create',
  ] as const;
  return Object.fromEntries(channels.map((c) => [c, unused(c)])) as unknown as Omit<Handlers, 'app:info' | 'runs:list'>;
}
