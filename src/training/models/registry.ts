// Every model the engine trains and translates with, listed once: the engine picks a job's trainer
// here by `config.model`, inference a checkpoint's translator by its manifest's `model`. Adding a
// model is one line below (and its own folder; its options in src/shared/options/table.ts), not an
// edit of every job that trains or translates. The facts the host and the UI read without the engine
// (labels, advice, directions) are src/shared/models.ts.
import { coGanModel } from '../cogan/definition.ts';
import { cutModel } from '../cut/definition.ts';
import { cycleGanModel } from '../cyclegan/definition.ts';
import type { ModelDefinition } from '../trainer/model-definition.ts';

export const MODEL_DEFINITIONS: readonly ModelDefinition[] = [cycleGanModel, cutModel, coGanModel];

/** The definition of a model, or undefined where this version has none by that name. */
export function findModelDefinition(name: string): ModelDefinition | undefined {
  return MODEL_DEFINITIONS.find((definition) => definition.name === name);
}

/** The definition of a model; a name this version does not know fails saying which ones it does. */
export function modelDefinition(name: string): ModelDefinition {
  const definition = findModelDefinition(name);
  if (!definition)
    throw new Error(
      `this version of Diptych has no model named ${JSON.stringify(name)} (it knows ${MODEL_DEFINITIONS.map((d) => d.name).join(', ')})`,
    );
  return definition;
}
