// WebGPU for plain Node (the engine process, the CLI, tests): the `webgpu` package (Google's Dawn,
// prebuilt for Linux, macOS and Windows). It does not load inside Electron (Electron's memory cage
// refuses Dawn's external buffers, dawn-gpu/node-webgpu#5): the app runs WebGPU work in an engine
// window with Chromium's own navigator.gpu instead (electron/engine-window.ts).

let installed: GPU | undefined;

/**
 * Loads Dawn once and installs what tfjs-backend-webgpu expects of a browser: the WebGPU constants
 * (GPUBufferUsage, GPUMapMode, …) as globals and navigator.gpu. Node 24's `navigator` is a built-in
 * getter, so plain assignment would be ignored: properties are defined instead.
 */
export async function nodeGpu(): Promise<GPU> {
  if (installed) return installed;
  if ('versions' in process && (process.versions as { electron?: string }).electron)
    throw new Error('the webgpu package does not run inside Electron; the app trains on WebGPU in its engine window');
  const { create, globals } = await import('webgpu');
  for (const [name, value] of Object.entries(globals as Record<string, unknown>)) {
    if (!(name in globalThis)) Object.defineProperty(globalThis, name, { value, configurable: true, writable: true });
  }
  const gpu = create([]);
  Object.defineProperty(globalThis.navigator, 'gpu', { value: gpu, configurable: true });
  installed = gpu;
  return gpu;
}
