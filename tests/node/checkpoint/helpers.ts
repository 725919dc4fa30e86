// Small fixtures for the checkpoint file tests (the host's and the engine's): temporary folders,
// and a file system that fails on cue.
import nodeFs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { CheckpointFs } from '../../../src/node/checkpoint/atomic-dir.ts';

export async function temporaryDir(): Promise<string> {
  return nodeFs.mkdtemp(path.join(os.tmpdir(), 'diptych-checkpoint-'));
}

/** A file system that throws `code` from the call `failOn` picks, and is node:fs otherwise. */
export function failingFs(
  code: string,
  failOn: { call: keyof CheckpointFs | 'write'; when?: (...args: unknown[]) => boolean },
): CheckpointFs {
  const fail = () => Object.assign(new Error(`${code}: simulated failure`), { code });
  const matches = (call: string, args: unknown[]) => failOn.call === call && (failOn.when?.(...args) ?? true);
  const wrap = <K extends keyof CheckpointFs>(call: K) =>
    (async (...args: unknown[]) => {
      if (matches(call, args)) throw fail();
      // biome-ignore lint/suspicious/noExplicitAny: forwarding node:fs's overloads as they are
      const result = await (nodeFs[call] as any)(...args);
      if (call === 'open' && failOn.call === 'write') {
        const handle = result as Awaited<ReturnType<typeof nodeFs.open>>;
        return new Proxy(handle, {
          get(target, property, receiver) {
            if (property === 'write' || property === 'writeFile')
              return async (...writeArgs: unknown[]) => {
                if (matches('write', [args[0], ...writeArgs])) throw fail();
                // biome-ignore lint/suspicious/noExplicitAny: same
                return (target as any)[property](...writeArgs);
              };
            const value = Reflect.get(target, property, receiver);
            return typeof value === 'function' ? value.bind(target) : value;
          },
        });
      }
      return result;
    }) as CheckpointFs[K];
  return {
    open: wrap('open'),
    rename: wrap('rename'),
    rm: wrap('rm'),
    mkdir: wrap('mkdir'),
    readdir: wrap('readdir'),
    stat: wrap('stat'),
    readFile: wrap('readFile'),
  };
}
