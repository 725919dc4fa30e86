// `diptych train`'s option flags come from the option table: a flag for every row that names one,
// with the row's bounds, today's flag names, and a refusal of a flag the chosen model has no row for.
import { Command, Option } from 'commander';
import { describe, expect, it, vi } from 'vitest';
import { registerTrain } from '../../../src/main/cli/commands/train.ts';
import {
  addOptionFlags,
  optionFlags,
  otherModelFlagsMessage,
  overridesFromFlags,
} from '../../../src/main/cli/option-flags.ts';
import { rowsWithKey, widest } from '../../../src/shared/options/lookup.ts';
import type { OptionRow } from '../../../src/shared/options/row.ts';
import { OPTION_ROWS } from '../../../src/shared/options/table.ts';

/** A train-like command whose action only records what it was given. */
function command() {
  const action = vi.fn();
  const cmd = new Command('t')
    .exitOverride()
    .configureOutput({ writeErr: () => {}, writeOut: () => {} })
    .addOption(new Option('--model <model>').choices(['cyclegan', 'cogan', 'cut']).default('cyclegan'));
  addOptionFlags(cmd).action((flags: Record<string, unknown>) => action(flags));
  const parse = (args: string[]) => cmd.parseAsync(['node', 't', ...args]);
  return { cmd, action, parse };
}

function trainCommand(): Command {
  const program = new Command().exitOverride().configureOutput({ writeErr: () => {}, writeOut: () => {} });
  registerTrain(program);
  const train = program.commands.find((c) => c.name() === 'train');
  if (!train) throw new Error('no train command');
  return train;
}

describe('diptych train option flags', () => {
  it('has a flag for every row that names one, with the names it always had', () => {
    const longs = trainCommand().options.map((option) => option.long);
    const rows: readonly OptionRow[] = OPTION_ROWS;
    for (const row of rows) if (row.cli) expect(longs, row.key).toContain(new Option(row.cli.flag).long);
    for (const flag of [
      '--steps',
      '--ngf',
      '--ndf',
      '--lr',
      '--gan-mode',
      '--lambda-identity',
      '--pool-size',
      '--crop-size',
      '--load-size',
      '--no-flip',
      '--seed',
      '--preview-every',
      '--batch-size',
      '--z-dim',
      '--shared-g',
      '--shared-d',
      '--weight-decay',
      '--relation',
    ])
      expect(longs).toContain(flag);
    // Each flag once, and the command's own flags beside them.
    expect(new Set(longs).size).toBe(longs.length);
    expect(longs).toEqual(expect.arrayContaining(['--a', '--b', '--model', '--preset', '--epochs', '--backend']));
  });

  it("parses every flag with its rows' widest bounds, saying what it accepts", async () => {
    for (const flag of optionFlags()) {
      const { row } = flag;
      expect(row).toEqual(widest(rowsWithKey(flag.key)));
      if (row.kind !== 'int' && row.kind !== 'number') continue;
      const name = new Option(flag.flag).long as string;
      const models = flag.models.includes('cyclegan') ? [] : ['--model', flag.models[0] as string];
      const ok = command();
      await ok.parse([...models, name, String(row.max)]);
      expect(ok.action.mock.calls[0]?.[0][flag.attribute], name).toBe(row.max);
      await expect(command().parse([...models, name, String(row.max + 1)]), name).rejects.toThrow(
        row.kind === 'int'
          ? `${name} must be a whole number from ${row.min} to ${row.max}.`
          : `${name} must be a number`,
      );
      await expect(command().parse([...models, name, '']), name).rejects.toThrow(/must be a (whole )?number/);
    }
    await expect(command().parse(['--crop-size', '4'])).rejects.toThrow(
      '--crop-size must be a whole number from 8 to 4096.',
    );
    await expect(command().parse(['--lr', '0'])).rejects.toThrow('--lr must be a number above 0 and at most 1.');
    await expect(command().parse(['--gan-mode', 'hinge'])).rejects.toThrow(
      /Allowed choices are lsgan, vanilla, wgangp, bgan/,
    );
  });

  it('refuses CoGAN-only flags on a CycleGAN run, and CycleGAN-only flags on a CoGAN run', async () => {
    const cyclegan = command();
    await expect(cyclegan.parse(['--z-dim', '8', '--relation', 'negative'])).rejects.toThrow(
      '--z-dim, --relation are CoGAN options; add --model cogan, or leave them out for a CycleGAN run.',
    );
    expect(cyclegan.action).not.toHaveBeenCalled();
    await expect(command().parse(['--model', 'cogan', '--lambda-identity', '1'])).rejects.toThrow(
      '--lambda-identity is a CycleGAN option; add --model cyclegan, or leave it out for a CoGAN run.',
    );
    // The real command refuses before anything is trained.
    await expect(
      trainCommand().parseAsync(['node', 'train', '--a', '/a', '--b', '/b', '--batch-size', '4']),
    ).rejects.toThrow('--batch-size is a CoGAN option; add --model cogan, or leave it out for a CycleGAN run.');
  });

  it("says which model's options they are, from the rows' models", () => {
    const flags = optionFlags();
    const zDim = flags.filter((flag) => flag.key === 'zDim');
    expect(otherModelFlagsMessage(zDim, 'cogan')).toBeNull();
    expect(
      otherModelFlagsMessage(
        flags.filter((flag) => flag.key === 'seed'),
        'cyclegan',
      ),
    ).toBeNull();
    expect(flags.filter((flag) => flag.models.length === 1 && flag.models[0] === 'cogan').map((f) => f.key)).toEqual([
      'batchSize',
      'zDim',
      'sharedGeneratorLayers',
      'sharedDiscriminatorLayers',
      'weightDecay',
      'relation',
    ]);
  });

  it("turns the given flags into the model's config overrides", async () => {
    const cogan = command();
    await cogan.parse(['--model', 'cogan', '--shared-g', '2', '--steps', '30', '--no-flip', '--gan-mode', 'lsgan']);
    expect(overridesFromFlags(cogan.action.mock.calls[0]?.[0], 'cogan')).toEqual({
      sharedGeneratorLayers: 2,
      maxSteps: 30,
      flip: false,
      ganMode: 'lsgan',
    });
    const cyclegan = command();
    await cyclegan.parse(['--crop-size', '64', '--lambda-identity', '0']);
    expect(overridesFromFlags(cyclegan.action.mock.calls[0]?.[0], 'cyclegan')).toEqual({
      cropSize: 64,
      lambdaIdentity: 0,
      flip: true,
    });
  });
});
