// Every model's checkpoint loader, registered once: the engine jobs that translate (compare,
// convert) import this file, so a CoGAN checkpoint opens in each of them alike and a new model
// is added here, not in every job. load.ts itself knows only CycleGAN, so it stays free of the
// CoGAN code for callers that do not need it.
import { loadCoGanTranslator } from '../cogan/translator.ts';
import { registerTranslatorLoader } from './load.ts';

// CoGAN checkpoints translate through latent inversion.
registerTranslatorLoader('cogan', (dir, manifest, options) =>
  loadCoGanTranslator(dir, manifest, options?.inversionSteps === undefined ? {} : { steps: options.inversionSteps }),
);
