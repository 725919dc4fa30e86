// The new-run form's knowledge: every option a run may override on its preset, in the words a
// person reads next to it, and how a typed value becomes an override (or a plain-words error).
import type { DatasetPreview, RequestOf } from '../../shared/contract.ts';

export type Overrides = NonNullable<RequestOf<'training:start'>['overrides']>;
export type OptionKey = keyof Overrides;

export interface DatasetChoice {
  path: string | null;
  preview: DatasetPreview | null;
  loading: boolean;
  error: string | null;
}

interface Base {
  key: OptionKey;
  label: string;
  help: string;
}
export type OptionField =
  | (Base & { kind: 'int' | 'number'; min: number; max: number; unit?: string })
  | (Base & { kind: 'steps' })
  | (Base & { kind: 'choice'; choices: { value: string; label: string }[] })
  | (Base & { kind: 'yes-no' });

// One constructor per kind of field, so each option below is one line of facts and its help.
const whole = (
  key: OptionKey,
  label: string,
  [min, max, unit]: [number, number, string?],
  help: string,
): OptionField => ({ key, label, help, kind: 'int', min, max, ...(unit ? { unit } : {}) });
const decimal = (key: OptionKey, label: string, [min, max]: [number, number], help: string): OptionField => ({
  key,
  label,
  help,
  kind: 'number',
  min,
  max,
});
const choice = (key: OptionKey, label: string, choices: [string, string][], help: string): OptionField => ({
  key,
  label,
  help,
  kind: 'choice',
  choices: choices.map(([value, label]) => ({ value, label })),
});
const yesNo = (key: OptionKey, label: string, help: string): OptionField => ({ key, label, help, kind: 'yes-no' });
const steps = (key: OptionKey, label: string, help: string): OptionField => ({ key, label, help, kind: 'steps' });

export const OPTION_GROUPS: { title: string; fields: OptionField[] }[] = [
  {
    title: 'Images',
    fields: [
      whole(
        'cropSize',
        'Crop size',
        [8, 4096, 'px'],
        'The side of the square pieces the model learns from: bigger sees more detail but trains much slower (a multiple of 4).',
      ),
      whole(
        'loadSize',
        'Load size',
        [8, 4096, 'px'],
        'Pictures are scaled to this size first and a random square of the crop size is cut from them, so the model sees varied framings.',
      ),
      yesNo(
        'flip',
        'Mirror images',
        'Also learn from mirrored copies of your pictures: more variety for free, unless left and right matter in them.',
      ),
    ],
  },
  {
    title: 'How long',
    fields: [
      whole(
        'nEpochs',
        'Epochs',
        [0, 100_000],
        'How many times training goes through all your pictures at full learning speed.',
      ),
      whole(
        'nEpochsDecay',
        'Slow-down epochs',
        [0, 100_000],
        'How many more passes while the learning speed fades to zero, which lets the result settle.',
      ),
      steps(
        'maxSteps',
        'Max steps',
        'Stop after this many training steps, whatever the epochs say; leave it empty to train every epoch.',
      ),
      whole(
        'previewEvery',
        'Preview every',
        [1, 1_000_000, 'steps'],
        'How often to save a preview grid, so you can watch the pictures change while it learns.',
      ),
    ],
  },
  {
    title: 'Networks',
    fields: [
      choice(
        'netG',
        'Generator',
        [
          ['resnet_9blocks', 'ResNet 9 blocks'],
          ['resnet_6blocks', 'ResNet 6 blocks'],
          ['unet_128', 'U-Net 128'],
          ['unet_256', 'U-Net 256'],
        ],
        'The network that paints the translated picture: ResNet keeps the layout and changes the look; U-Net passes more fine detail straight through.',
      ),
      choice(
        'netD',
        'Discriminator',
        [
          ['basic', 'PatchGAN 70 px'],
          ['n_layers', 'PatchGAN n layers'],
          ['pixel', 'Per pixel'],
        ],
        'The critic that judges whether a picture looks real: PatchGAN judges small patches, per pixel judges colours only.',
      ),
      whole(
        'ngf',
        'Generator width',
        [1, 256],
        'How many feature channels the painting networks have: more can learn richer changes, but is slower and bigger.',
      ),
      whole(
        'ndf',
        'Discriminator width',
        [1, 256],
        'How many feature channels the critics have: a stronger critic pushes for more convincing pictures.',
      ),
    ],
  },
  {
    title: 'Learning',
    fields: [
      choice(
        'ganMode',
        'GAN objective',
        [
          ['lsgan', 'LSGAN'],
          ['vanilla', 'Vanilla GAN'],
          ['wgangp', 'WGAN-GP'],
          ['bgan', 'Boundary-seeking'],
        ],
        "How the critic scores pictures: least squares is the paper's steady choice; the others can help when training misbehaves.",
      ),
      decimal(
        'lambdaA',
        'Cycle weight A',
        [0, 1000],
        'How strongly A → B → A must come back to the original picture: higher keeps more of what was in it.',
      ),
      decimal('lambdaB', 'Cycle weight B', [0, 1000], 'The same for B → A → B.'),
      decimal(
        'lambdaIdentity',
        'Identity weight',
        [0, 10],
        'How much a picture already in the target style should be left alone: helps keep colours; 0 turns it off.',
      ),
      whole(
        'poolSize',
        'Fake pool',
        [0, 1000],
        'How many earlier fakes the critic keeps seeing again, which calms training; 0 shows it only the newest.',
      ),
      decimal(
        'lr',
        'Learning rate',
        [1e-8, 1],
        'How big each adjustment is: too high and training wobbles, too low and it crawls.',
      ),
      whole(
        'seed',
        'Seed',
        [0, 2 ** 32 - 1],
        'The starting number for all the randomness: the same seed and settings give the same run again.',
      ),
    ],
  },
];

export const OPTION_FIELDS: OptionField[] = OPTION_GROUPS.flatMap((group) => group.fields);

export type OptionValues = Record<OptionKey, string>;

/** Every field empty: the preset decides everything. */
export function emptyOptionValues(): OptionValues {
  return Object.fromEntries(OPTION_FIELDS.map((field) => [field.key, ''])) as OptionValues;
}

/** What the form shows for a preset's default. */
export function describeDefault(field: OptionField, value: unknown): string {
  if (field.kind === 'steps') return value === null || value === undefined ? 'every epoch' : String(value);
  if (field.kind === 'yes-no') return value ? 'yes' : 'no';
  if (field.kind === 'choice') return field.choices.find((c) => c.value === value)?.label ?? String(value ?? '');
  return value === undefined ? '' : String(value);
}

/**
 * Turns the typed values (empty = the preset's default) into overrides, or says what is wrong
 * with each field in words. Rules between fields (load ≥ crop, multiples of 4) are the host's.
 */
export function parseOverrides(values: OptionValues): {
  overrides: Overrides;
  errors: Partial<Record<OptionKey, string>>;
} {
  const overrides: Record<string, unknown> = {};
  const errors: Partial<Record<OptionKey, string>> = {};
  for (const field of OPTION_FIELDS) {
    const raw = values[field.key].trim();
    if (raw === '') continue;
    if (field.kind === 'choice') overrides[field.key] = raw;
    else if (field.kind === 'yes-no') overrides[field.key] = raw === 'yes';
    else {
      const value = Number(raw);
      const whole = field.kind !== 'number';
      const [min, max] = field.kind === 'steps' ? [1, 100_000_000] : [field.min, field.max];
      if (!Number.isFinite(value)) errors[field.key] = 'Type a number.';
      else if (whole && !Number.isInteger(value)) errors[field.key] = 'Type a whole number.';
      else if (value < min || value > max)
        errors[field.key] =
          field.key === 'lr'
            ? 'Use a value above 0 and at most 1.'
            : `Use a value from ${min} to ${max.toLocaleString()}.`;
      else overrides[field.key] = value;
    }
  }
  return { overrides: overrides as Overrides, errors };
}

/**
 * The host answers a bad combination with "Invalid training options: loadSize: …; cropSize: …".
 * Each part goes next to its field; the rest stays a general message.
 */
export function splitHostErrors(message: string): { fields: Partial<Record<OptionKey, string>>; rest: string | null } {
  const prefix = 'Invalid training options: ';
  if (!message.startsWith(prefix)) return { fields: {}, rest: message };
  const fields: Partial<Record<OptionKey, string>> = {};
  const rest: string[] = [];
  for (const part of message.slice(prefix.length).split('; ')) {
    const match = /^(\w+): (.*)$/.exec(part);
    const field = match && OPTION_FIELDS.find((f) => f.key === match[1]);
    if (match && field) fields[field.key] = sentence(match[2] ?? '');
    else rest.push(part);
  }
  return { fields, rest: rest.length > 0 ? rest.join('; ') : null };
}

/** "loadSize (18) must be at least cropSize (32)" → "Load size (18) must be at least crop size (32)." */
function sentence(text: string): string {
  let trimmed = text.trim();
  for (const field of OPTION_FIELDS) trimmed = trimmed.replaceAll(field.key, field.label.toLowerCase());
  return trimmed ? `${trimmed[0]?.toUpperCase()}${trimmed.slice(1)}${/[.!?]$/.test(trimmed) ? '' : '.'}` : trimmed;
}
