// CoGAN as the trainer skeleton takes it (src/training/trainer): the coupled networks' six parameter
// stores and two Adams, one step on a batch of batchSize images per domain at the networks' one
// size, a constant learning rate (as the paper), previews of fixed codes, the agreement with a known
// relation as its own figures, and its checkpoints' translator (latent inversion, both directions).
import * as tf from '@tensorflow/tfjs-core';
import { MODELS } from '../../shared/models.ts';
import type { CoGanConfig } from '../../shared/run-config.ts';
import type { ModelDefinition, ModelTrainer } from '../trainer/model-definition.ts';
import { measureAgreement } from './agreement.ts';
import { LATENT_STREAM, latentCodes, seedFor } from './latent.ts';
import { coganNetworksForConfig, coganStores, disposeCoGanNetworks } from './networks.ts';
import { writeCoGanPreview } from './previews.ts';
import { COGAN_LOSS_NAMES, createCoGanStepper } from './step.ts';
import { loadCoGanTranslator } from './translator.ts';

/** The metric names the agreement evaluation reports (in the metrics table beside the losses). */
export const AGREEMENT_METRICS = ['agreement', 'agreement_chance', 'agreement_kappa'] as const;

async function createCoGanTrainer(config: CoGanConfig): Promise<ModelTrainer> {
  const nets = coganNetworksForConfig(config);
  // The codes and penalty draws of step k are functions of (seed, k): resume stays exact.
  let currentStep = 0;
  const stepper = createCoGanStepper(nets, {
    objective: config.ganMode,
    learningRate: config.lr,
    beta1: config.beta1,
    weightDecay: config.weightDecay,
    lambdaGp: config.lambdaGp,
    nCritic: config.nCritic,
    latent: (iteration, n) => latentCodes(n, config.zDim, config.seed, currentStep, LATENT_STREAM.training, iteration),
    penaltySeed: (critic) => seedFor(config.seed, currentStep, LATENT_STREAM.penalty, critic),
  });
  const previewCodes = latentCodes(config.previewSamples, config.zDim, config.seed, 0, LATENT_STREAM.preview);
  const agreementCodes =
    config.relation === 'none'
      ? null
      : latentCodes(Math.max(2, config.agreementSamples), config.zDim, config.seed, 0, LATENT_STREAM.agreement);

  return {
    batchSize: config.batchSize,
    imageSize: config.cropSize,
    // No learning-rate schedule: CoGAN trains at the constant config.lr (as the paper), so a maxSteps
    // beyond nEpochs just trains on at that rate (nothing to stretch, unlike CycleGAN's schedules).
    schedule: null,
    networks: coganStores(nets),
    optimizers: stepper.optimizers,
    step(real, step) {
      currentStep = step;
      return stepper.step(real.a, real.b);
    },
    writePreview: (file) => writeCoGanPreview(nets.G, previewCodes, file),
    async measure() {
      if (!agreementCodes) return null;
      const result = await measureAgreement(nets.G, config.relation, agreementCodes, config.agreementTolerance);
      if (!result) return null;
      return { agreement: result.agreement, agreement_chance: result.chance, agreement_kappa: result.kappa };
    },
    dispose() {
      tf.dispose([previewCodes, ...(agreementCodes ? [agreementCodes] : [])]);
      stepper.dispose();
      disposeCoGanNetworks(nets);
    },
  };
}

export const coGanModel: ModelDefinition<CoGanConfig> = {
  name: 'cogan',
  // The shared facts' directions (src/shared/models.ts), which the host and the UI read too.
  directions: MODELS.cogan.directions,
  lossNames: COGAN_LOSS_NAMES,
  createTrainer: createCoGanTrainer,
  // Searching per image: the inversion's steps are the caller's to choose (convert, compare).
  loadTranslator: (dir, manifest, options) =>
    loadCoGanTranslator(dir, manifest, options.inversionSteps === undefined ? {} : { steps: options.inversionSteps }),
};
