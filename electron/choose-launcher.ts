// Which launcher the app's engines use, chosen once at start (docs/ENGINE-WINDOW.md): a hidden window
// asks Chromium's WebGPU for an adapter; src/main/engine/choose-engine-host.ts decides from the answer.
// Engines asked for before the answer get a deferred handle (src/main/engine/deferred-launcher.ts).
import { BrowserWindow } from 'electron';
import { chooseEngineHost, type WebGpuProbe } from '../src/main/engine/choose-engine-host.ts';
import { deferredLauncher } from '../src/main/engine/deferred-launcher.ts';
import type { EngineLauncher } from '../src/main/engine/launcher.ts';
import type { BackendName } from '../src/shared/basics.ts';
import { createUtilityProcessLauncher } from './engine-launcher.ts';
import { createEngineWindowLauncher, engineWindowPage, markHidden } from './engine-window.ts';

const PROBE_TIMEOUT_MS = 10_000;

// Runs in the probe window's page (a blank local file, no preload): the same request as the engine's.
const PROBE_SCRIPT = `(async () => {
  if (!navigator.gpu) return { adapter: null, reason: 'navigator.gpu is missing' };
  const adapter = await navigator.gpu.requestAdapter({ powerPreference: 'high-performance' });
  if (!adapter) return { adapter: null, reason: 'requestAdapter gave no adapter' };
  const i = adapter.info || {};
  return { adapter: { vendor: i.vendor, architecture: i.architecture, device: i.device, description: i.description,
    isFallbackAdapter: i.isFallbackAdapter === true || adapter.isFallbackAdapter === true } };
})()`;

async function probeWebGpu(mainDir: string): Promise<WebGpuProbe> {
  const window = markHidden(
    new BrowserWindow({
      show: false,
      webPreferences: { sandbox: true, contextIsolation: true, nodeIntegration: false, backgroundThrottling: false },
    }),
  );
  let timer: NodeJS.Timeout | undefined;
  try {
    await window.loadFile(engineWindowPage(mainDir));
    const timeout = new Promise<WebGpuProbe>((resolve) => {
      timer = setTimeout(
        () => resolve({ adapter: null, reason: `no answer within ${PROBE_TIMEOUT_MS / 1000} s` }),
        PROBE_TIMEOUT_MS,
      );
    });
    return await Promise.race([window.webContents.executeJavaScript(PROBE_SCRIPT) as Promise<WebGpuProbe>, timeout]);
  } catch (error) {
    return { adapter: null, reason: error instanceof Error ? error.message : String(error) };
  } finally {
    clearTimeout(timer);
    if (!window.isDestroyed()) window.destroy();
  }
}

/** Call once the app is ready. The launcher works at once; engines start when the probe has answered. */
export function chooseLauncher(mainDir: string, forced: BackendName | undefined): EngineLauncher {
  const choice = probeWebGpu(mainDir).then((probe) => {
    const { host, reason } = chooseEngineHost(probe, forced);
    console.log(`[diptych] ${reason}`);
    return host === 'engine-window' ? createEngineWindowLauncher(mainDir) : createUtilityProcessLauncher(mainDir);
  });
  return deferredLauncher(choice);
}
