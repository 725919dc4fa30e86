// Where a machine has no GPU, WebGPU can still be tested on SwiftShader, the software Vulkan driver
// that ships in Debian's chromium package (Debian's own lavapipe is too old for Dawn). This points a
// process environment at it, for the test suite and for `npm run bench` (whose webgpu figures it
// then labels "software adapter, not a GPU"). Plain JavaScript: run-tests.mjs loads it before any
// TypeScript runs.
import fs from 'node:fs';

const CHROMIUM_DIR = '/usr/lib/chromium';
const SWIFTSHADER_ICD = `${CHROMIUM_DIR}/vk_swiftshader_icd.json`;
// The Vulkan loader Dawn opens by name; Chromium carries its own copy where the system has none.
const SYSTEM_LOADERS = [
  '/usr/lib/x86_64-linux-gnu/libvulkan.so.1',
  '/usr/lib/aarch64-linux-gnu/libvulkan.so.1',
  '/usr/lib64/libvulkan.so.1',
  '/usr/lib/libvulkan.so.1',
];

/**
 * Sets VK_ICD_FILENAMES to SwiftShader (unless the caller set one: a real GPU can be tested by setting
 * it to that GPU's driver), and adds Chromium's Vulkan loader to LD_LIBRARY_PATH where the system has
 * no libvulkan.so.1. Returns a line saying what it did, or null where SwiftShader is not installed.
 */
export function useSwiftShaderForWebGpu(env = process.env) {
  if (process.platform !== 'linux' || !fs.existsSync(SWIFTSHADER_ICD)) return null;
  env.VK_ICD_FILENAMES ??= SWIFTSHADER_ICD;
  const hasLoader = SYSTEM_LOADERS.some((file) => fs.existsSync(file));
  if (!hasLoader && fs.existsSync(`${CHROMIUM_DIR}/libvulkan.so.1`)) {
    env.LD_LIBRARY_PATH = env.LD_LIBRARY_PATH ? `${CHROMIUM_DIR}:${env.LD_LIBRARY_PATH}` : CHROMIUM_DIR;
  }
  return `WebGPU: Vulkan driver ${env.VK_ICD_FILENAMES}${hasLoader ? '' : ` (loader from ${CHROMIUM_DIR})`}`;
}
