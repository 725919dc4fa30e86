import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type EngineHandle, forkEngine } from '../../../src/main/engine/launcher.ts';
import type { EngineToHost } from '../../../src/shared/engine-protocol.ts';

function collect(engine: EngineHandle) {
  const messages: EngineToHost[] = [];
  const waiters: [(message: EngineToHost) => boolean, (message: EngineToHost) => void][] = [];
  engine.onMessage((message) => {
    messages.push(message);
    const index = waiters.findIndex(([match]) => match(message));
    if (index >= 0) waiters.splice(index, 1)[0]?.[1](message);
  });
  const exited = new Promise<number | null>((resolve) => engine.onExit(resolve));
  const waitFor = (type: EngineToHost['type']) =>
    new Promise<EngineToHost>((resolve) => {
      const seen = messages.find((message) => message.type === type);
      if (seen) resolve(seen);
      else waiters.push([(message) => message.type === type, resolve]);
    });
  return { messages, exited, waitFor };
}

describe('forkEngine', () => {
  it('starts an engine process that says it is ready with its own pid, and exits when told', async () => {
    const engine = forkEngine();
    const { waitFor, exited } = collect(engine);
    expect(engine.pid).toBeTypeOf('number');
    expect(await waitFor('ready')).toEqual({ type: 'ready', pid: engine.pid });
    engine.send({ type: 'exit' });
    expect(await exited).toBe(0);
    // Sending to a finished engine is a no-op, not an exception.
    expect(() => engine.send({ type: 'exit' })).not.toThrow();
  });

  it('kills an engine on request', async () => {
    const engine = forkEngine();
    const { waitFor, exited } = collect(engine);
    await waitFor('ready');
    engine.kill();
    expect(await exited).toBeNull(); // killed by a signal, no exit code
  });

  it('passes extra environment to the engine, on top of the host environment', async (context) => {
    if (process.platform !== 'linux') {
      console.log('skipped: reads the child environment from /proc, which only Linux has');
      context.skip();
      return;
    }
    const engine = forkEngine({ env: { DIPTYCH_TEST_MARKER: 'marker-8271' } });
    const { waitFor, exited } = collect(engine);
    await waitFor('ready');
    const environment = fs.readFileSync(`/proc/${engine.pid}/environ`, 'utf8').split('\0');
    expect(environment).toContain('DIPTYCH_TEST_MARKER=marker-8271');
    expect(environment).toContain(`PATH=${process.env.PATH}`);
    engine.send({ type: 'exit' });
    expect(await exited).toBe(0);
  });
});
