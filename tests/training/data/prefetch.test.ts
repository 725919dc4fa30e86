import { describe, expect, it } from 'vitest';
import { prefetch } from '../../../src/training/data/prefetch.ts';

/** A producer whose items finish only when the test says so. */
function manualProducer() {
  const started: number[] = [];
  const finish = new Map<number, (value: string) => void>();
  const fail = new Map<number, (error: Error) => void>();
  const produce = (index: number) => {
    started.push(index);
    return new Promise<string>((resolve, reject) => {
      finish.set(index, resolve);
      fail.set(index, reject);
    });
  };
  return { produce, started, finish, fail };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('prefetch', () => {
  it('starts depth items at once and one more per item taken, never more', async () => {
    const { produce, started, finish } = manualProducer();
    const queue = prefetch(produce, 10, 3);
    expect(started).toEqual([10, 11, 12]);
    expect(queue.ready).toBe(0);
    const first = queue.next();
    expect(started).toEqual([10, 11, 12, 13]);
    finish.get(10)?.('ten');
    expect(await first).toBe('ten');
    await tick();
    expect(started).toHaveLength(4);
    expect(queue.ready).toBe(0);
  });

  it('hands items out in index order even when they finish out of order', async () => {
    const { produce, finish } = manualProducer();
    const queue = prefetch(produce, 0, 3);
    finish.get(2)?.('two');
    finish.get(1)?.('one');
    await tick();
    expect(queue.ready).toBe(2);
    finish.get(0)?.('zero');
    expect([await queue.next(), await queue.next(), await queue.next()]).toEqual(['zero', 'one', 'two']);
  });

  it('passes an item’s failure to the consumer in its turn, without an unhandled rejection', async () => {
    const { produce, finish, fail } = manualProducer();
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      const queue = prefetch(produce, 0, 2);
      fail.get(1)?.(new Error('item 1 broke'));
      finish.get(0)?.('zero');
      await tick();
      await tick();
      expect(queue.ready).toBe(2);
      expect(await queue.next()).toBe('zero');
      await expect(queue.next()).rejects.toThrow('item 1 broke');
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });

  it('refuses to run after close, and checks its depth', async () => {
    const { produce } = manualProducer();
    const queue = prefetch(produce, 0, 1);
    queue.close();
    await expect(queue.next()).rejects.toThrow(/closed/);
    expect(() => prefetch(produce, 0, 0)).toThrow(/depth/);
  });
});
