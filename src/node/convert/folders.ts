// The safety rules of a batch, checked before any work: the input folder exists, and the output
// folder is neither the input folder nor inside it nor around it. So no output can land in an
// input folder, none can replace an input, and a second run never finds the first one's outputs
// among its inputs. Symbolic links are resolved first, so a link cannot get around the rules.
// Once the rules pass, the output folder is created, so a folder that cannot be is reported
// before any work too. Loose files (checkConvertFiles) follow the same rules with each file's own
// folder as an input folder, except that an output folder inside one is allowed: loose files are
// named one by one, so a later batch cannot pick outputs up as inputs.
import fs from 'node:fs/promises';
import path from 'node:path';
import { describeFsError } from '../checkpoint/atomic-dir.ts';
import { CONVERTIBLE_EXTENSIONS } from './walk.ts';

/** The real path of `target`, resolving the part that exists (an output folder may not yet). */
async function realPathOfMaybeMissing(target: string): Promise<string> {
  const absolute = path.resolve(target);
  const missing: string[] = [];
  let current = absolute;
  for (;;) {
    try {
      return path.join(await fs.realpath(current), ...missing.reverse());
    } catch (error) {
      // ENOTDIR: a part of the path is a file; the folder cannot be created, which mkdir reports.
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'ENOTDIR') throw error;
      const parent = path.dirname(current);
      if (parent === current) return absolute;
      missing.push(path.basename(current));
      current = parent;
    }
  }
}

/** Whether `inner` is `outer` or lies inside it (case-insensitive where the platform is). */
export function isSameOrInside(inner: string, outer: string): boolean {
  const fold = (p: string) => (process.platform === 'win32' || process.platform === 'darwin' ? p.toLowerCase() : p);
  const relative = path.relative(fold(outer), fold(inner));
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}

export interface CheckedFolders {
  inDir: string;
  outDir: string;
}

/** Checks the rules and creates the output folder; the real paths of both folders. */
export async function checkConvertFolders(inDir: string, outDir: string): Promise<CheckedFolders> {
  const input = await realPathOfMaybeMissing(inDir);
  let stat: Awaited<ReturnType<typeof fs.stat>>;
  try {
    stat = await fs.stat(input);
  } catch {
    throw new Error(`The input folder ${inDir} does not exist.`);
  }
  if (!stat.isDirectory()) throw new Error(`The input ${inDir} is not a folder.`);
  const output = await realPathOfMaybeMissing(outDir);
  if (isSameOrInside(output, input))
    throw new Error(
      output === input
        ? `The output folder is the input folder (${input}): choose another folder, so no input is ever overwritten.`
        : `The output folder ${output} is inside the input folder ${input}: choose a folder outside it, so outputs never mix with inputs.`,
    );
  if (isSameOrInside(input, output))
    throw new Error(
      `The input folder ${input} is inside the output folder ${output}: choose an output folder that does not contain the inputs.`,
    );
  await createOutputFolder(output, outDir);
  return { inDir: input, outDir: output };
}

async function createOutputFolder(output: string, given: string): Promise<void> {
  try {
    await fs.mkdir(output, { recursive: true });
  } catch (error) {
    throw new Error(`The output folder ${output} cannot be created: ${describeFsError(error)}`, { cause: error });
  }
  if (!(await fs.stat(output)).isDirectory()) throw new Error(`The output ${given} exists and is not a folder.`);
}

export interface CheckedFiles {
  /** Real paths, each once, in the order given. */
  files: string[];
  outDir: string;
}

/**
 * Checks loose input files (each exists, is a file, is an image by its extension) and that the
 * output folder is none of their folders, then creates the output folder.
 */
export async function checkConvertFiles(files: readonly string[], outDir: string): Promise<CheckedFiles> {
  if (files.length === 0) throw new Error('Choose at least one image file to convert.');
  const real: string[] = [];
  for (const file of files) {
    let resolved: string;
    try {
      resolved = await fs.realpath(path.resolve(file));
    } catch {
      throw new Error(`The input file ${file} does not exist.`);
    }
    if (!(await fs.stat(resolved)).isFile()) throw new Error(`The input ${file} is not a file.`);
    if (!CONVERTIBLE_EXTENSIONS.has(path.extname(resolved).toLowerCase()))
      throw new Error(
        `The input ${file} is not an image Diptych converts (${[...CONVERTIBLE_EXTENSIONS].join(', ')}).`,
      );
    if (!real.includes(resolved)) real.push(resolved);
  }
  const output = await realPathOfMaybeMissing(outDir);
  for (const file of real) {
    const folder = path.dirname(file);
    if (isSameOrInside(folder, output) && isSameOrInside(output, folder))
      throw new Error(
        `The output folder ${output} is the folder of the input ${file}: choose another folder, so no input is ever overwritten.`,
      );
  }
  await createOutputFolder(output, outDir);
  return { files: real, outDir: output };
}
