// The smallest words every side of Diptych shares: which backend a job ran on, which run, which
// step, which way a translation goes. Each is declared here once, as a zod schema and its type,
// and the contract, the engine protocol, the compare and convert messages, the engine and the UI
// import it from here. This module imports nothing of ours, so any other module can stand on it.
import { z } from 'zod';

/** The TensorFlow.js backends, best first: the order in which the engine tries them (its ladder). */
export const BACKEND_NAMES = ['tensorflow-gpu', 'webgpu', 'tensorflow', 'wasm', 'cpu'] as const;
export const BackendName = z.enum(BACKEND_NAMES);
export type BackendName = z.infer<typeof BackendName>;

/** Run ids are short, URL-safe and sortable (time first); the pattern also keeps them safe as folder names. */
export const RunId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'a run id is 1 to 64 letters, digits, _ or -');
export type RunId = z.infer<typeof RunId>;

/** A training step: how many iterations a run has done (0 before the first). */
export const Step = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
export type Step = z.infer<typeof Step>;

/** A checkpoint as a person names it: the one saved at a step, or the run's newest ('latest'). */
export const StepOrLatest = z.union([Step, z.literal('latest')]);
export type StepOrLatest = z.infer<typeof StepOrLatest>;

/**
 * Which way a translation goes: AtoB makes an image of domain A look like domain B (CycleGAN's
 * G_A), BtoA the other way (G_B). These two spellings are stored (the conversions table's CHECK,
 * cached comparisons, export folders) and sent (IPC, the engine protocol, `--direction`): they
 * never change.
 */
export const DIRECTIONS = ['AtoB', 'BtoA'] as const;
export const Direction = z.enum(DIRECTIONS);
export type Direction = z.infer<typeof Direction>;

/** What `diptych export` writes: a TensorFlow.js graph model (the default) or an ONNX model. */
export const EXPORT_FORMATS = ['tfjs', 'onnx'] as const;
export const ExportFormat = z.enum(EXPORT_FORMATS);
export type ExportFormat = z.infer<typeof ExportFormat>;
