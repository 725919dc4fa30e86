// Threads for tfjs-backend-wasm under Node: makes the threaded SIMD build (tfjs-backend-wasm-threaded-simd)
// start its pthreads as Node worker_threads.
//
// Why it does not work out of the box: tfjs reports WASM_HAS_MULTITHREAD_SUPPORT = false when IS_NODE.
// Forcing the flag, tfjs hands Emscripten two Blobs: the pthread worker script (via locateFile →
// URL.createObjectURL → a blob: URL, which Node's Worker refuses: ERR_WORKER_PATH) and the main script
// (Module.mainScriptUrlOrBlob, posted to each worker, which again turns it into a blob: URL and
// importScripts() it with fs.readFileSync — impossible in Node).
//
// Fix: while the backend initialises, Blob and URL.createObjectURL are swapped for versions that write
// each script to a file in the OS temp dir; the "URL" of such a blob is its file path. The worker script
// is written with a short prelude that makes the worker's URL.createObjectURL return that path for
// the main-script blob it receives (a structured clone keeps the blob's own path field); the main script
// gets the require aliases of tfjs's bundle that its factory's source refers to. Both globals
// are restored once the backend has started (or by restoreGlobals()). One more obstacle: tfjs's C++
// caps its XNNPACK pool at emscripten_num_logical_cores() / 2, which is 1 on a 2-CPU machine, so os.cpus()
// (what Emscripten asks in Node) is padded to 2 × threads for the same window.
//
// Exit: Emscripten ref()s the Node Worker of every running pthread, and XNNPACK's pool threads run
// until the module dies, so a process that used the threaded build never left its event loop after its
// work was done (the "hang" of bench runs: the JSON line was written, then the process idled forever
// with all threads asleep). letWasmThreadsExit() unrefs those workers once the backend has started.

import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import os, { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs-core';

const PATH_KEY = '__diptychScriptPath';
const WORKER_PRELUDE =
  `(function(){var c=URL.createObjectURL,r=URL.revokeObjectURL;` +
  `URL.createObjectURL=function(b){return b&&typeof b.${PATH_KEY}==='string'?b.${PATH_KEY}:c.call(URL,b)};` +
  `URL.revokeObjectURL=function(u){if(typeof u==='string'&&u.indexOf('blob:')!==0)return;r.call(URL,u)};})();\n`;

// tfjs's Node bundle (rollup) passes the factory's source through Function.prototype.toString, so the
// module-level aliases it closes over are missing in the worker; define them again.
const MAIN_PRELUDE =
  `var require$$0=require('fs'),require$$1=require('path'),require$$3=require('perf_hooks'),` +
  `require$$4=require('os'),commonjsGlobal=globalThis;\n`;

let saved: { Blob: typeof Blob; createObjectURL: typeof URL.createObjectURL; cpus: typeof os.cpus } | null = null;
let counter = 0;

let madeDir: string | null = null;

function scriptDir(): string {
  if (madeDir != null) return madeDir;
  const dir = join(tmpdir(), `diptych-wasm-threads-${process.pid}`);
  mkdirSync(dir, { recursive: true });
  // Threads are on by default, so every engine process writes these scripts: remove them when it
  // ends (the workers have read them long before); a killed process leaves them to the OS's tmp cleaning.
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  madeDir = dir;
  return dir;
}

/** Puts Blob and URL.createObjectURL back (they are swapped only during the wasm backend's start). */
export function restoreGlobals(): void {
  if (saved == null) return;
  globalThis.Blob = saved.Blob;
  URL.createObjectURL = saved.createObjectURL;
  os.cpus = saved.cpus;
  saved = null;
}

function installPatches(threads: number): void {
  if (saved != null) return;
  saved = { Blob: globalThis.Blob, createObjectURL: URL.createObjectURL, cpus: os.cpus };
  const realCpus = saved.cpus;
  // tfjs's C++ caps the pool at emscripten_num_logical_cores() / 2 (it assumes 2 hyperthreads per core),
  // read once when the module starts; in Node that is os.cpus().length. Report enough cores for `threads`.
  os.cpus = () => {
    const cpus = realCpus.call(os);
    const first = cpus[0];
    while (first != null && cpus.length < 2 * threads) cpus.push(first);
    return cpus;
  };
  const RealBlob = saved.Blob;
  const realCreate = saved.createObjectURL;
  class FileBlob {
    [PATH_KEY]: string;
    constructor(parts: unknown[] = []) {
      const text = parts.map((p) => String(p)).join('');
      const isWorker = text.startsWith('"use strict";var Module={};');
      const file = join(scriptDir(), `${isWorker ? 'worker' : 'main'}-${counter++}.js`);
      writeFileSync(file, isWorker ? WORKER_PRELUDE + text : MAIN_PRELUDE + text);
      this[PATH_KEY] = file;
    }
  }
  type BlobArgs = ConstructorParameters<typeof Blob>;
  globalThis.Blob = function (this: unknown, parts?: BlobArgs[0], opts?: BlobArgs[1]) {
    if (Array.isArray(parts) && parts.every((p) => typeof p === 'string')) return new FileBlob(parts);
    return new RealBlob(parts ?? [], opts);
  } as unknown as typeof Blob;
  URL.createObjectURL = ((b: unknown) => {
    if (b instanceof FileBlob) {
      const path = b[PATH_KEY];
      return path;
    }
    return realCreate.call(URL, b as Blob);
  }) as typeof URL.createObjectURL;
}

type PthreadWorker = { ref: () => void; unref: () => void };
type PthreadRuntime = {
  unusedWorkers: PthreadWorker[];
  runningWorkers: PthreadWorker[];
  getNewWorker: () => PthreadWorker | undefined;
};

function detachFromEventLoop(worker: PthreadWorker | undefined): void {
  if (worker == null) return;
  worker.unref();
  // Emscripten calls ref() when it starts a pthread on the worker; keep it from holding the process.
  worker.ref = () => {};
}

/**
 * Lets the process exit while the threaded build's pthread workers (XNNPACK's pool) are alive. Call once
 * the wasm backend has started; a no-op for the single-threaded build. Returns the workers it detached.
 */
export function letWasmThreadsExit(): number {
  const registry = (tf.engine() as unknown as { registry: Record<string, { wasm?: { PThread?: PthreadRuntime } }> })
    .registry;
  const runtime = registry.wasm?.wasm?.PThread;
  if (runtime == null) return 0;
  const workers = [...runtime.unusedWorkers, ...runtime.runningWorkers];
  for (const worker of workers) detachFromEventLoop(worker);
  const getNewWorker = runtime.getNewWorker.bind(runtime);
  runtime.getNewWorker = () => {
    const worker = getNewWorker();
    detachFromEventLoop(worker);
    return worker;
  };
  return workers.length;
}

/**
 * Asks tfjs-backend-wasm for its threaded SIMD build with `threads` threads (XNNPACK's thread pool).
 * Must run before the wasm backend initialises (before tf.setBackend('wasm') / tf.ready() on wasm).
 * `threads` <= 1 keeps the single-threaded build. Returns the thread count tfjs will use.
 */
export function configureWasmThreads(threads: number): number {
  if (!(threads > 1)) {
    tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
    setThreadsCount(1);
    return 1;
  }
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', true);
  setThreadsCount(Math.floor(threads));
  installPatches(Math.floor(threads));
  // Put the globals back once the backend has started (its start-up is asynchronous).
  const started = Date.now();
  const timer = setInterval(() => {
    // engine.registry holds a backend once its (async) start has finished; tf.findBackend would start it.
    const registry = (tf.engine() as unknown as { registry: Record<string, unknown> }).registry;
    if (registry.wasm != null || Date.now() - started > 120_000) {
      clearInterval(timer);
      restoreGlobals();
    }
  }, 5);
  timer.unref();
  return Math.floor(threads);
}
