// A run's config picks its networks: every generator option reaches the trainer.
import { expect, test } from 'vitest';
import { selectBackend } from '../../../src/training/backend/ladder.ts';
import { disposeNetworks, networksForConfig, parameterCounts } from '../../../src/training/cyclegan/networks.ts';
import { unetGenerator } from '../../../src/training/models/unet-generator.ts';
import { countParams, disposeParams } from '../../../src/training/nn/params.ts';

test.each([
  ['unet_32', 5],
  ['unet_64', 6],
  ['unet_128', 7],
  ['unet_256', 8],
] as const)('netG %s builds the U-Net', async (netG, downs) => {
  await selectBackend('cpu');
  const nets = networksForConfig({ netG, netD: 'basic', ngf: 4, ndf: 4, nLayersD: 3, seed: 1 });
  const reference = unetGenerator({ name: 'reference', ngf: 4, downs, seed: 1 });
  expect(parameterCounts(nets).G_A).toBe(countParams(reference.params));
  disposeParams(reference.params);
  disposeNetworks(nets);
});

test('netG resnet_9blocks and resnet_6blocks differ by three blocks', async () => {
  await selectBackend('cpu');
  const nine = networksForConfig({ netG: 'resnet_9blocks', netD: 'basic', ngf: 4, ndf: 4, nLayersD: 3, seed: 1 });
  const six = networksForConfig({ netG: 'resnet_6blocks', netD: 'basic', ngf: 4, ndf: 4, nLayersD: 3, seed: 1 });
  // A block is two 3×3 convs of 4·ngf = 16 channels with biases.
  expect(parameterCounts(nine).G_A - parameterCounts(six).G_A).toBe(3 * 2 * (9 * 16 * 16 + 16));
  disposeNetworks(nine);
  disposeNetworks(six);
});
