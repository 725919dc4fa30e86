import { resolve } from 'node:path';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'electron-vite';
import type { Plugin } from 'vite';

// Optional native backends: absent where their libtensorflow download failed, and
// loaded at run time only where present (the backend ladder).
const optionalNativeBackends = ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node'];

/**
 * The blank page of the engine windows (docs/ENGINE-WINDOW.md), next to their preload: a local file,
 * because WebGPU needs a secure context and about:blank is not one.
 */
function engineWindowPage(): Plugin {
  return {
    name: 'diptych-engine-window-page',
    generateBundle(_options, bundle) {
      if (!('engine-window.cjs' in bundle)) return;
      this.emitFile({
        type: 'asset',
        fileName: 'engine-window.html',
        source:
          '<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>Diptych engine</title></head><body></body></html>\n',
      });
    },
  };
}

// Three bundles, as in the electron-vite svelte-ts template. The main bundle has two
// entries: the Electron main process and the engine process it starts with utilityProcess.
// The preload bundle has two isolated entries: the app window's sandboxed preload and the
// engine window's (src/training/engine-window.ts: the engine, where Chromium's WebGPU trains).
export default defineConfig({
  main: {
    build: {
      rollupOptions: {
        input: {
          index: resolve('electron/main.ts'),
          engine: resolve('src/training/engine-process.ts'),
        },
        external: optionalNativeBackends,
      },
    },
  },
  preload: {
    build: {
      // Each entry one file, sharing no chunk with the other.
      isolatedEntries: true,
      rollupOptions: {
        input: {
          index: resolve('electron/preload.ts'),
          'engine-window': resolve('src/training/engine-window.ts'),
        },
        // A sandboxed preload cannot require() chunks: keep it one CommonJS file. The engine
        // window's preload is not sandboxed: it require()s node_modules (kept external, as in the
        // engine process) at run time.
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
        external: optionalNativeBackends,
      },
    },
    plugins: [engineWindowPage()],
  },
  renderer: {
    root: resolve('src/renderer'),
    build: {
      rollupOptions: { input: { index: resolve('src/renderer/index.html') } },
    },
    // Svelte 5 reads TypeScript in <script lang="ts"> itself: no preprocessor, no config file.
    plugins: [svelte({ configFile: false })],
  },
});
