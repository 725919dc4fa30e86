// Threads for tfjs-backend-wasm under Node (work in progress).
export function configureWasmThreads(threads: number): number {
  return threads > 1 ? 1 : 1;
}
