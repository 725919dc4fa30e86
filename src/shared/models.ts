// What every side needs to know about each model, in one table: its name, the words the New-run
// screen shows (with the advice on when to pick it), which directions its checkpoints translate,
// whether a generator can be exported, and what its preview columns are. The engine's registry
// (src/training/models/registry.ts) holds the code; this holds the facts the host, the CLI and the
// renderer read, so none of them tests `model === 'cogan'` on its own. Browser-safe: zod only.
import { z } from 'zod';
import type { Direction } from './basics.ts';

export const MODEL_NAMES = ['cyclegan', 'cogan', 'cut'] as const;
export const ModelName = z.enum(MODEL_NAMES);
export type ModelName = z.infer<typeof ModelName>;

export interface ModelFacts {
  name: ModelName;
  label: string;
  /** One line on the New-run screen. */
  summary: string;
  /** When to pick it, in plain words (New run, docs/TRAINING.md). */
  advice: string;
  /** The directions a checkpoint translates; a one-way model lists one. */
  directions: readonly Direction[];
  /**
   * Whether Compare measures an identity pass: the generator applied to images already in its
   * target domain (G_A(b) against b), as CycleGAN's identity loss and CUT's identity NCE pass train
   * it to leave them alone. CoGAN translates by searching a code and has no such pass.
   */
  identityPass: boolean;
  /** Whether a checkpoint's generator can be exported (a web model, later ONNX). */
  exportable: boolean;
  /** Whether a translation is one forward pass at any size (CoGAN searches a code at its own size). */
  anySize: boolean;
  /** The columns of a preview row, left to right (CoGAN's are pairs of codes, drawn by the UI itself). */
  previewColumns: readonly string[];
}

export const MODELS: Record<ModelName, ModelFacts> = {
  cyclegan: {
    name: 'cyclegan',
    label: 'CycleGAN',
    summary: 'Turns any picture of one folder into the look of the other, at any size (Zhu et al. 2017).',
    advice:
      'Both ways (A → B and B → A) from one run, and every change must be undoable, which keeps the picture’s content: the safe choice when both directions matter.',
    directions: ['AtoB', 'BtoA'],
    identityPass: true,
    exportable: true,
    anySize: true,
    previewColumns: ['real_A', 'fake_B', 'rec_A', 'real_B', 'fake_A', 'rec_B'],
  },
  cut: {
    name: 'cut',
    label: 'CUT',
    summary:
      'Turns pictures of folder A into the look of B by matching patches of the input and the output (Park et al. 2020): one way, half the networks.',
    advice:
      'One direction only (A → B), with half CycleGAN’s networks and often truer to the target look (on a CPU a CUT step takes about 0.8× CycleGAN’s time, a FastCUT step about half); FastCUT (Mode: FastCUT) uses a stronger patch loss and a shorter schedule. On the demo, tiny and quick presets it also keeps colours (Keep colours). Pick it when you only need A → B.',
    directions: ['AtoB'],
    identityPass: true,
    exportable: true,
    anySize: true,
    previewColumns: ['real_A', 'fake_B', 'real_B', 'idt_B'],
  },
  cogan: {
    name: 'cogan',
    label: 'CoGAN',
    summary:
      'Learns to draw matching pairs of small pictures from one shared code (Liu & Tuzel 2016); translates by searching for a code.',
    advice:
      'Learns what the two folders have in common without translating directly: small fixed-size pictures (32–128 px), slow to convert. Pick it to explore pairs, not to convert photos.',
    directions: ['AtoB', 'BtoA'],
    identityPass: false,
    exportable: false,
    anySize: false,
    previewColumns: [],
  },
};

/** The models in the order the New-run screen offers them. */
export const MODELS_IN_ORDER: readonly ModelFacts[] = [MODELS.cyclegan, MODELS.cut, MODELS.cogan];

/** Whether a model's checkpoints translate in a direction; the message says why not, in words. */
export function directionProblem(model: ModelName, direction: Direction): string | null {
  const facts = MODELS[model];
  if (facts.directions.includes(direction)) return null;
  return `${facts.label} translates one way only, A → B: it trains no B → A generator. Train a CycleGAN for both directions.`;
}
