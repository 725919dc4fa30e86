// A bounded read-ahead queue: keeps `depth` items of an indexed sequence in production ahead
// of the consumer, so the training loop finds its next batch already decoded. Items are
// produced independently (each is a pure function of its index), so several may decode at
// once on sharp's threads and finish in any order; they are handed out in index order.

export interface Prefetcher<T> {
  /** The next item in index order; rejects with that item's error. */
  next(): Promise<T>;
  /** How many queued items have finished producing (at most depth): the read-ahead actually won. */
  readonly ready: number;
  close(): void;
}

interface Pending<T> {
  promise: Promise<T>;
  settled: boolean;
}

export function prefetch<T>(produce: (index: number) => Promise<T>, start: number, depth: number): Prefetcher<T> {
  if (!Number.isInteger(depth) || depth < 1)
    throw new Error(`The prefetch depth must be a whole number ≥ 1, not ${depth}.`);
  let nextIndex = start;
  let closed = false;
  const queue: Pending<T>[] = [];

  const enqueue = (): void => {
    const pending: Pending<T> = { promise: produce(nextIndex++), settled: false };
    const settle = (): void => {
      pending.settled = true;
    };
    // Marks the item ready and keeps a failure from counting as unhandled while it waits in
    // the queue; the consumer still receives the rejection from next().
    pending.promise.then(settle, settle);
    queue.push(pending);
  };
  for (let i = 0; i < depth; i++) enqueue();

  return {
    next(): Promise<T> {
      if (closed) return Promise.reject(new Error('The image stream is closed.'));
      const head = queue.shift() as Pending<T>;
      enqueue();
      return head.promise;
    },
    get ready(): number {
      return queue.filter((pending) => pending.settled).length;
    },
    close(): void {
      closed = true;
      queue.length = 0;
    },
  };
}
