// The model registry: each model it lists says its name, directions and losses, and a checkpoint
// its own trainer writes opens through the registry as that model's translator, in every direction
// it offers; a model it does not list is refused by name. A model added to the registry is covered
// here without a new test, provided it has a `tiny` preset.
import fs from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MODELS, type ModelName } from '../../../src/shared/models.ts';
import { buildRunConfig, type ModelKind, type RunConfig } from '../../../src/shared/run-config.ts';
import { selectBackend } from '../../../src/training/backend/ladder.ts';
import { COGAN_LOSS_NAMES } from '../../../src/training/cogan/step.ts';
import { CYCLEGAN_LOSS_NAMES } from '../../../src/training/cyclegan/step.ts';
import { loadTranslator } from '../../../src/training/inference/load.ts';
import { findModelDefinition, MODEL_DEFINITIONS, modelDefinition } from '../../../src/training/models/registry.ts';
import { saveRunCheckpoint } from '../../../src/training/trainer/run-checkpoint.ts';
import { sampleDomains, tempDir } from '../cyclegan/helpers.ts';

const dirs: string[] = [];
let files: { filesA: string[]; filesB: string[] };
let data: { a: string; b: string };
beforeAll(async () => {
  await selectBackend('cpu');
  data = await sampleDomains('negative', 2, 32);
  dirs.push(path.dirname(data.a));
  const list = (folder: string) =>
    fs
      .readdirSync(folder)
      .sort()
      .map((f) => path.join(folder, f));
  files = { filesA: list(data.a), filesB: list(data.b) };
});
afterAll(() => {
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

describe('the model registry', () => {
  it('lists CycleGAN and CoGAN, each once, with their directions and losses', () => {
    const names = MODEL_DEFINITIONS.map((d) => d.name);
    expect(names).toContain('cyclegan');
    expect(names).toContain('cogan');
    expect(new Set(names).size).toBe(names.length);
    expect(modelDefinition('cyclegan').directions).toEqual(['AtoB', 'BtoA']);
    expect(modelDefinition('cyclegan').lossNames).toEqual(CYCLEGAN_LOSS_NAMES);
    expect(modelDefinition('cogan').directions).toEqual(['AtoB', 'BtoA']);
    expect(modelDefinition('cogan').lossNames).toEqual(COGAN_LOSS_NAMES);
    for (const definition of MODEL_DEFINITIONS) {
      // The engine's and the host's word on a model's directions are one.
      expect(definition.directions).toEqual(MODELS[definition.name as ModelName].directions);
      expect(definition.directions).toContain('AtoB');
      expect(definition.lossNames.length).toBeGreaterThan(0);
    }
  });

  it('refuses a model it does not list, naming the ones it knows', () => {
    expect(findModelDefinition('pix2pix')).toBeUndefined();
    expect(() => modelDefinition('pix2pix')).toThrow(
      /this version of Diptych has no model named "pix2pix" \(it knows cyclegan, cut, cogan/,
    );
  });

  it.each(MODEL_DEFINITIONS.map((d) => [d.name, d] as const))(
    'a %s checkpoint finds its translator through the registry, in each of its directions',
    { timeout: 60_000 },
    async (name, definition) => {
      const config = buildRunConfig(name as ModelKind, 'tiny', { dataA: data.a, dataB: data.b }) as RunConfig;
      const runDir = tempDir(`diptych-registry-${name}-`);
      dirs.push(runDir);
      const dir = path.join(runDir, 'checkpoints', '000000003');
      const trainer = await definition.createTrainer(config, files);
      try {
        const extra = { runId: 'registry' };
        await saveRunCheckpoint(dir, definition.name, trainer, { runDir, step: 3, epoch: 1, config, extra });
      } finally {
        trainer.dispose();
      }
      const translator = await loadTranslator(dir, { inversionSteps: 2 });
      try {
        expect(translator.model).toBe(name);
        expect(translator.step).toBe(3);
        const side = translator.fixedSize ?? 32;
        const image = tf.zeros([1, side, side, 3]) as tf.Tensor4D;
        for (const direction of definition.directions) {
          const output = await translator.translate(image, direction);
          expect(output.shape).toEqual([1, side, side, 3]);
          output.dispose();
        }
        image.dispose();
      } finally {
        translator.dispose();
      }
    },
  );
});
