// Where the Electron app runs its engines, decided once at start (docs/ENGINE-WINDOW.md). Dawn's Node
// binding (the `webgpu` package) does not run inside Electron and a utilityProcess has no navigator.gpu,
// so the only WebGPU an Electron engine can train on is Chromium's own, in a hidden engine window.
// That window is used only where it buys a GPU; everything else stays in utilityProcess, which keeps
// the native backends (tfjs-node) and the wasm threads the engine process has.
//
// Plain logic, no Electron: electron/choose-launcher.ts probes Chromium's WebGPU and hands the answer here.
import { isSoftwareAdapter } from '../../shared/backend.ts';
import type { BackendName } from '../../shared/basics.ts';

/** What a hidden window's navigator.gpu.requestAdapter({ powerPreference: 'high-performance' }) gave. */
export type WebGpuProbe =
  | {
      adapter: {
        vendor?: string;
        architecture?: string;
        device?: string;
        description?: string;
        isFallbackAdapter?: boolean;
      };
    }
  | { adapter: null; reason: string };

export type EngineHost = 'engine-window' | 'utility-process';

export interface EngineHostChoice {
  host: EngineHost;
  /** One line for the log: why this host. */
  reason: string;
}

function adapterName(adapter: Exclude<WebGpuProbe['adapter'], null>): string {
  return (
    adapter.description ||
    [adapter.vendor, adapter.architecture, adapter.device].filter(Boolean).join(' ') ||
    'unnamed adapter'
  );
}

/**
 * Engine windows where Chromium has a hardware WebGPU adapter and the user did not force another
 * backend (DIPTYCH_BACKEND unset or 'webgpu'). One exception: with DIPTYCH_BACKEND=webgpu a software
 * adapter is used too (the engine's rule: a software adapter only when asked for by name), and only an
 * engine window can give it, as WebGPU does not load in a utilityProcess at all.
 */
export function chooseEngineHost(probe: WebGpuProbe, forced: BackendName | undefined): EngineHostChoice {
  if (forced && forced !== 'webgpu')
    return { host: 'utility-process', reason: `DIPTYCH_BACKEND=${forced}: engines run in utility processes` };
  if (probe.adapter == null) {
    const reason = `Chromium's WebGPU has no adapter (${probe.reason})`;
    return forced
      ? { host: 'engine-window', reason: `${reason}; DIPTYCH_BACKEND=webgpu asks for it anyway: engine windows` }
      : { host: 'utility-process', reason: `${reason}: engines run in utility processes` };
  }
  const name = adapterName(probe.adapter);
  if (isSoftwareAdapter(probe.adapter))
    return forced
      ? { host: 'engine-window', reason: `DIPTYCH_BACKEND=webgpu on the software adapter ${name}: engine windows` }
      : { host: 'utility-process', reason: `Chromium's only WebGPU adapter is software (${name}): utility processes` };
  return { host: 'engine-window', reason: `Chromium's WebGPU adapter ${name}: engines run in engine windows` };
}
