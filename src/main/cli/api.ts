// The command line asks the host what a window asks, through the same dispatcher (the request is
// validated and handled in one place, src/main/api/handlers), and follows its jobs through the same
// host events the windows receive. These adapters turn a started job's events back into the small
// handles the terminal followers (follow-job.ts, follow-convert.ts) read.

import type { BackendName } from '../../shared/basics.ts';
import type { CompareEvent, CompareResult } from '../../shared/compare.ts';
import type { Channel, HostEvent, RequestOf, ResponseOf } from '../../shared/contract.ts';
import type { EngineToHost } from '../../shared/engine-protocol.ts';
import { createHost, forcedBackendFromEnv, type Host } from '../host.ts';
import type { ConvertEvent, ConvertOutcome } from '../jobs/convert.ts';
import type { JobOutcome } from '../jobs/training.ts';
import { resolveWorkspaceRoot } from '../workspace.ts';

/**
 * A host for one command: the workspace of --home, the backend of --backend (or DIPTYCH_BACKEND), no
 * backend probe (a job's engine reports its own); closed when `use` settles, whatever happened.
 */
export async function withCliHost<T>(
  flags: { home?: string | undefined; backend?: BackendName | undefined },
  use: (host: Host) => Promise<T>,
): Promise<T> {
  const host = createHost({
    kind: 'cli',
    home: resolveWorkspaceRoot(flags.home),
    backend: flags.backend ?? forcedBackendFromEnv(),
    probeAtStart: false,
  });
  try {
    return await use(host);
  } finally {
    host.close();
  }
}

/** One request through the host's dispatcher; a refusal or failure is thrown with its message. */
export async function call<C extends Channel>(host: Host, channel: C, request: RequestOf<C>): Promise<ResponseOf<C>> {
  const result = await host.dispatch(channel, request);
  if (!result.ok) throw new Error(result.error.message);
  return result.value as ResponseOf<C>;
}

/**
 * Subscribes before the request that starts a job is sent (its first events may follow at once),
 * keeps the events until the job's id is known, then hands them to `route` in order.
 */
async function startFollowing<T>(
  host: Host,
  start: () => Promise<T>,
  route: (started: T, event: HostEvent) => void,
): Promise<{ started: T; unsubscribe: () => void }> {
  const early: HostEvent[] = [];
  let started: T | undefined;
  let known = false;
  const unsubscribe = host.events.subscribe((event) => {
    if (known) route(started as T, event);
    else early.push(event);
  });
  try {
    started = await start();
  } catch (error) {
    unsubscribe();
    throw error;
  }
  known = true;
  for (const event of early.splice(0)) route(started, event);
  return { started, unsubscribe };
}

/** What the terminal follower of a training run reads (follow-job.ts). */
export interface FollowedTraining {
  runId: string;
  runDir: string;
  stop(): void;
  /** Every event of the run so far is replayed to a new listener, then each as it comes. */
  onEvent(listener: (event: EngineToHost) => void): void;
  done: Promise<{ outcome: JobOutcome; error: string | null }>;
}

/** Starts (training:start) or continues (runs:resume) a run and follows it through the host's events. */
export async function trainOverApi(
  host: Host,
  start: () => Promise<{ runId: string; runDir: string }>,
): Promise<FollowedTraining> {
  const seen: EngineToHost[] = [];
  const listeners: ((event: EngineToHost) => void)[] = [];
  let finish: (value: { outcome: JobOutcome; error: string | null }) => void = () => {};
  const done = new Promise<{ outcome: JobOutcome; error: string | null }>((resolve) => {
    finish = resolve;
  });
  const { started, unsubscribe } = await startFollowing(host, start, (run, event) => {
    if (event.type === 'job' && event.runId === run.runId) {
      seen.push(event.event);
      for (const listener of listeners) listener(event.event);
    } else if (event.type === 'job-ended' && event.runId === run.runId) {
      unsubscribe();
      finish({ outcome: event.outcome, error: event.error });
    }
  });
  return {
    ...started,
    stop: () => void call(host, 'training:control', { id: started.runId, action: 'stop' }).catch(() => {}),
    onEvent: (listener) => {
      listeners.push(listener);
      for (const event of seen) listener(event);
    },
    done,
  };
}

/** What the terminal follower of a conversion reads (follow-convert.ts). */
export interface FollowedConversion {
  conversionId: number;
  outDir: string;
  onEvent(listener: (event: ConvertEvent) => void): void;
  cancel(): void;
  /** Records the conversion as interrupted, for a terminal that leaves at once (a second Ctrl-C). */
  abandon(): void;
  done: Promise<ConvertOutcome>;
}

export async function convertOverApi(host: Host, request: RequestOf<'convert:start'>): Promise<FollowedConversion> {
  const seen: ConvertEvent[] = [];
  const listeners: ((event: ConvertEvent) => void)[] = [];
  const counts = { converted: 0, skipped: 0, failed: 0 };
  let finish: (outcome: ConvertOutcome) => void = () => {};
  const done = new Promise<ConvertOutcome>((resolve) => {
    finish = resolve;
  });
  const { started, unsubscribe } = await startFollowing(
    host,
    () => call(host, 'convert:start', request),
    (conversion, event) => {
      if (event.type !== 'convert' || event.conversionId !== conversion.conversionId) return;
      const inner = event.event;
      seen.push(inner);
      for (const listener of listeners) listener(inner);
      if (inner.type === 'convert-file') counts[inner.status]++;
      if (inner.type === 'convert-finished') {
        unsubscribe();
        const { converted, skipped, failed } = inner;
        finish({ status: inner.status, converted, skipped, failed, error: inner.reason ?? null });
      } else if (inner.type === 'convert-failed') {
        unsubscribe();
        finish({ status: 'failed', ...counts, error: inner.message });
      }
    },
  );
  return {
    conversionId: started.conversionId,
    outDir: started.outDir,
    onEvent: (listener) => {
      listeners.push(listener);
      for (const event of seen) listener(event);
    },
    cancel: () => void call(host, 'convert:cancel', { conversionId: started.conversionId }).catch(() => {}),
    abandon: () => host.conversions.get(started.conversionId)?.abandon(),
    done,
  };
}

/** Starts a comparison and settles with its result (or its failure); progress goes to `onProgress`. */
export async function compareOverApi(
  host: Host,
  request: RequestOf<'compare:start'>,
  onProgress: (event: Extract<CompareEvent, { type: 'progress' }>) => void,
): Promise<CompareResult> {
  let settle: { resolve: (result: CompareResult) => void; reject: (error: Error) => void } | null = null;
  const result = new Promise<CompareResult>((resolve, reject) => {
    settle = { resolve, reject };
  });
  const { unsubscribe } = await startFollowing(
    host,
    () => call(host, 'compare:start', request),
    (job, event) => {
      if (event.type !== 'compare' || event.jobId !== job.jobId) return;
      const inner = event.event;
      if (inner.type === 'progress') onProgress(inner);
      else if (inner.type === 'finished') {
        unsubscribe();
        settle?.resolve(inner.result);
      } else if (inner.type === 'failed') {
        unsubscribe();
        settle?.reject(new Error(inner.message));
      }
    },
  );
  return result;
}
