// The backend ladder (DESIGN.md): the best TensorFlow.js backend that loads on this machine,
// and why each better one did not. Native backends are optional dependencies whose install
// downloads libtensorflow; where that failed, they are simply absent and the ladder moves on.
import os from 'node:os';
import * as tf from '@tensorflow/tfjs-core';
import type { BackendInfo, GpuAdapter } from '../../shared/backend.ts';
import { BACKEND_NAMES, type BackendName } from '../../shared/basics.ts';
import '../gradients.ts';
import { installAliasingSaves, registerGradientFixes, registerWasmKernelPack } from '../kernels/index.ts';
// Straight from threads.ts (Node-only), so that the browser build of the engine (engine window) does
// not pull Node built-ins in through the kernel pack's index.
import { configureWasmThreads, letWasmThreadsExit } from '../kernels/threads.ts';
import { networkUnits, SMALL_NETWORK_UNITS, type TrainingShapes, wasmThreadsFor } from './wasm-threads.ts';

/** Best first; the backend names are declared in this order (src/shared/basics.ts). */
export const LADDER: readonly BackendName[] = BACKEND_NAMES;

type Fallback = BackendInfo['fallbacks'][number];

/** What the backend is selected for: the shapes of the job's networks, where known before it starts. */
export interface BackendOptions {
  /** Sizes the wasm backend's thread pool (wasm-threads.ts); absent: one thread per core, up to 4. */
  shapes?: TrainingShapes | null;
}

/** The wasm pool's size, fixed when the backend first starts in this process (a later start reuses it). */
let wasmPool: { threads: number; why: string } | null = null;

interface Loaded {
  version: string;
  device: string;
  adapter?: GpuAdapter;
}

/**
 * Tries one backend; resolves with its device description or throws with the reason. `forced`: the user
 * asked for this backend by name, which is the only way a software WebGPU adapter is used.
 */
async function tryBackend(name: BackendName, forced: boolean, options: BackendOptions): Promise<Loaded> {
  switch (name) {
    case 'tensorflow-gpu': {
      await import('@tensorflow/tfjs-node-gpu' as string);
      await activate('tensorflow');
      return { version: tf.version_core, device: describeNativeDevice(true) };
    }
    case 'webgpu': {
      const { activateWebGpu, adapterLabel } = await import('./webgpu.ts');
      // Chromium's own WebGPU where the engine runs in a page (the Electron engine window), Dawn's
      // Node binding everywhere else.
      const pageGpu = (globalThis.navigator as { gpu?: GPU } | undefined)?.gpu;
      const gpu = pageGpu ?? (await (await import('./node-webgpu.ts')).nodeGpu());
      const adapter = await activateWebGpu(gpu, forced);
      registerGradientFixes();
      // Diptych's WGSL kernels (kernels/webgpu): fused norm, filter gradient GEMM, fused Adam, …
      const { registerWebGpuKernelPack } = await import('../kernels/webgpu/index.ts');
      const pack = registerWebGpuKernelPack();
      // tfjs-backend-webgpu exports no version of its own; it is released in step with tfjs-core.
      return { version: tf.version_core, device: `${adapterLabel(adapter)}, ${pack.length} Diptych kernels`, adapter };
    }
    case 'tensorflow': {
      await import('@tensorflow/tfjs-node' as string);
      await activate('tensorflow');
      return { version: tf.version_core, device: describeNativeDevice(false) };
    }
    case 'wasm': {
      const wasm = await import('@tensorflow/tfjs-backend-wasm');
      // Describe the CPU before the threads' set-up, which pads os.cpus() while the backend starts.
      const cpu = cpuModel();
      wasmPool ??= wasmThreads(options.shapes ?? null);
      const threadCount = configureWasmThreads(wasmPool.threads);
      await activate('wasm');
      // The threaded build's pthread workers would otherwise keep the process alive forever.
      letWasmThreadsExit();
      // Training convolutions on wasm needs Diptych's kernels (DESIGN.md, Kernel pack).
      const pack = registerWasmKernelPack();
      const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
      const threads = await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT');
      return {
        version: wasm.version_wasm,
        device: `${cpu}, wasm ${simd ? 'SIMD' : 'no SIMD'}, ${threads ? `${threadCount} threads` : '1 thread'} (${wasmPool.why}), ${pack.length} Diptych kernels`,
      };
    }
    case 'cpu': {
      const cpu = await import('@tensorflow/tfjs-backend-cpu');
      await activate('cpu');
      installAliasingSaves();
      return { version: cpu.version_cpu, device: `${cpuModel()}, plain JavaScript` };
    }
  }
}

async function activate(tfName: string): Promise<void> {
  if (!(await tf.setBackend(tfName))) throw new Error(`TensorFlow.js could not initialise its '${tfName}' backend`);
  await tf.ready();
}

/**
 * Threads for the wasm backend's XNNPACK pool: DIPTYCH_WASM_THREADS, else what the job's shapes call for
 * (wasm-threads.ts: one thread for small networks, where a pool's spinning and hand-offs cost what its
 * split of tiny ops buys and a busy machine makes it burn CPU; else one per core up to 4). The pool
 * stopped keeping the process alive with letWasmThreadsExit (kernels/threads.ts); the test suite pins 1
 * (scripts/run-tests.mjs) because it runs many engines side by side on two cores.
 */
function wasmThreads(shapes: TrainingShapes | null): { threads: number; why: string } {
  const raw = process.env.DIPTYCH_WASM_THREADS;
  if (!raw) {
    const small = shapes != null && networkUnits(shapes) < SMALL_NETWORK_UNITS;
    return {
      threads: wasmThreadsFor(shapes, os.availableParallelism()),
      why: small ? 'small networks' : 'one per core',
    };
  }
  const threads = Number(raw);
  if (!Number.isInteger(threads) || threads < 1 || threads > 64)
    throw new Error(`DIPTYCH_WASM_THREADS=${raw} is not a thread count from 1 to 64.`);
  return { threads, why: 'DIPTYCH_WASM_THREADS' };
}

function cpuModel(): string {
  const cpus = os.cpus();
  return `${cpus[0]?.model.trim() ?? 'unknown CPU'} (${cpus.length} cores)`;
}

function describeNativeDevice(gpu: boolean): string {
  // tfjs-node does not expose the device list; the GPU build logs it at start. Name what we know.
  return gpu ? `CUDA GPU via libtensorflow (${cpuModel()})` : `${cpuModel()}, libtensorflow (oneDNN)`;
}

function reasonOf(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  if (/Cannot find (module|package)/.test(message))
    return 'not installed (its libtensorflow download is optional and did not happen on this machine)';
  return message.split('\n')[0] ?? message;
}

/**
 * Walks the ladder from `forced` (or the top) and activates the first backend that loads.
 * A forced backend that fails is an error, not a silent fallback: the user asked for it.
 */
export async function selectBackend(forced?: BackendName, options: BackendOptions = {}): Promise<BackendInfo> {
  const candidates = forced ? [forced] : LADDER;
  const fallbacks: Fallback[] = [];
  for (const name of candidates) {
    try {
      const { version, device, adapter } = await tryBackend(name, forced != null, options);
      return adapter ? { name, version, device, fallbacks, adapter } : { name, version, device, fallbacks };
    } catch (error) {
      if (forced) throw new Error(`The ${name} backend was asked for but did not load: ${reasonOf(error)}`);
      fallbacks.push({ name, reason: reasonOf(error) });
    }
  }
  throw new Error(`No TensorFlow.js backend loaded: ${fallbacks.map((f) => `${f.name}: ${f.reason}`).join('; ')}`);
}
