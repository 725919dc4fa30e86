// How numbers, durations and sizes read on screen: short, and the same on every screen.

export function formatLoss(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  const abs = Math.abs(value);
  if (abs !== 0 && (abs < 0.001 || abs >= 10_000)) return value.toExponential(2);
  return value.toPrecision(3);
}

export function formatDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return '—';
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${String(s % 60).padStart(2, '0')} s`;
  const h = Math.floor(m / 60);
  return `${h} h ${String(m % 60).padStart(2, '0')} min`;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}

export function formatRate(value: number): string {
  return value >= 10 ? value.toFixed(0) : value.toFixed(value >= 1 ? 1 : 2);
}

export function formatWhen(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return date.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

/** The folder's last name: what a person calls it. */
export function baseName(path: string): string {
  const parts = path.split(/[\\/]/).filter(Boolean);
  return parts.at(-1) ?? path;
}

export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count.toLocaleString()} ${count === 1 ? one : many}`;
}

const BACKEND_NAMES: Record<string, string> = {
  'tensorflow-gpu': 'TensorFlow GPU',
  webgpu: 'WebGPU',
  tensorflow: 'TensorFlow CPU',
  wasm: 'WebAssembly',
  cpu: 'JavaScript CPU',
};

/**
 * What does the training, as a person reads it: "the GPU" for a GPU backend on real hardware; a
 * software WebGPU adapter (only used when asked for) is the CPU pretending to be a GPU, and is said so.
 */
export function trainsOn(backend: { name: string; adapter?: { software: boolean } | undefined }): string {
  if (backend.name === 'tensorflow-gpu') return 'the GPU';
  if (backend.name === 'webgpu') return backend.adapter?.software ? 'a software GPU (the CPU, slowly)' : 'the GPU';
  return 'the CPU';
}

/** "WebGPU · NVIDIA GeForce RTX 4090": which GPU trains a run, where one does. */
export function backendWithAdapter(
  name: string,
  adapter: { description: string; vendor: string; architecture: string; software: boolean } | null,
): string {
  if (!adapter) return backendLabel(name);
  const gpu =
    adapter.description || [adapter.vendor, adapter.architecture].filter(Boolean).join(' ') || 'unnamed adapter';
  return `${backendLabel(name)} · ${gpu}${adapter.software ? ' (software, not a GPU)' : ''}`;
}

/** The engine in the "Trains on … with …" sentence. */
export function engineWords(name: string): string {
  return name === 'wasm'
    ? 'WebAssembly'
    : name === 'cpu'
      ? 'plain JavaScript'
      : name === 'webgpu'
        ? 'WebGPU'
        : 'TensorFlow';
}

/** A backend's name as people read it ("wasm" → "WebAssembly"); an unknown one as it is. */
export function backendLabel(name: string): string {
  return BACKEND_NAMES[name] ?? name;
}
