import { resolve } from 'node:path';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'electron-vite';

// Three bundles, as in the electron-vite svelte-ts template. The main bundle has two
// entries: the Electron main process and the engine process it starts with utilityProcess.
export default defineConfig({
  main: {
    build: {
      rollupOptions: {
        input: {
          index: resolve('electron/main.ts'),
          engine: resolve('src/training/engine-process.ts'),
        },
        // Optional native backends: absent where their libtensorflow download failed, and
        // loaded at run time only where present (the backend ladder).
        external: ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node'],
      },
    },
  },
  preload: {
    build: {
      rollupOptions: {
        input: { index: resolve('electron/preload.ts') },
        // A sandboxed preload cannot require() chunks: keep it one CommonJS file.
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
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
