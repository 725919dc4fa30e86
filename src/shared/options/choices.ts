// The choice lists the engine's code names as well as the option table: each value with the label
// the form shows for it. The table's rows take them from here, the engine takes the value types.

/** CycleGAN's generators: the reference's two ResNets, and its U-Net at four depths. */
export const GENERATOR_CHOICES = {
  resnet_9blocks: 'ResNet 9 blocks',
  resnet_6blocks: 'ResNet 6 blocks',
  unet_32: 'U-Net 32',
  unet_64: 'U-Net 64',
  unet_128: 'U-Net 128',
  unet_256: 'U-Net 256',
} as const;
export type GeneratorName = keyof typeof GENERATOR_CHOICES;
export const GENERATOR_NAMES = Object.keys(GENERATOR_CHOICES) as readonly GeneratorName[];

/** CUT's two settings of the paper (Park et al. 2020): CUT, and FastCUT (stronger NCE, no identity term, flip equivariance). */
export const CUT_MODE_CHOICES = { cut: 'CUT', fastcut: 'FastCUT' } as const;
export type CutMode = keyof typeof CUT_MODE_CHOICES;

/** Known per-pixel relations between the domains, for CoGAN's agreement evaluation (the sample domains). */
export const RELATION_CHOICES = {
  none: 'None',
  negative: 'Negative (B = 1 − A)',
  palette: 'Palette rotation',
} as const;
export type DomainRelation = keyof typeof RELATION_CHOICES;
export const DOMAIN_RELATIONS = Object.keys(RELATION_CHOICES) as readonly DomainRelation[];
