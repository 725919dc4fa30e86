// A batch's work list, whether it was given a folder or loose files: where each image is read
// from, what events call it, and the output name it gets, after the safety rules of folders.ts.
// The host counts the same list before starting an engine, so both agree on the total.
import path from 'node:path';
import { type ConvertInputs, type ConvertShard, convertInputsProblem } from '../../shared/convert.ts';
import { checkConvertFiles, checkConvertFolders } from './folders.ts';
import { looseOutputNames, outputNames } from './names.ts';
import { inputsOfShard } from './shard.ts';
import { listInputImages } from './walk.ts';

/** The folder every path lies in (their deepest common ancestor). */
function commonFolder(files: readonly string[]): string {
  let folder = path.dirname(files[0] as string);
  while (
    !files.every((file) => file === folder || file.startsWith(folder.endsWith(path.sep) ? folder : folder + path.sep))
  )
    folder = path.dirname(folder);
  return folder;
}

/** Checks the inputs and the output folder (creating it) and lists the work. */
export async function collectConvertInputs(options: {
  inDir?: string | undefined;
  files?: string[] | undefined;
  outDir: string;
  format: string;
  shard?: ConvertShard | undefined;
}): Promise<ConvertInputs> {
  const all = await collectAll(options);
  return options.shard ? { ...all, inputs: inputsOfShard(all.inputs, options.shard) } : all;
}

async function collectAll(options: {
  inDir?: string | undefined;
  files?: string[] | undefined;
  outDir: string;
  format: string;
}): Promise<ConvertInputs> {
  const problem = convertInputsProblem(options);
  if (problem) throw new Error(problem);
  if (options.files) {
    const { files, outDir } = await checkConvertFiles(options.files, options.outDir);
    const names = looseOutputNames(files, options.format);
    return {
      inDir: commonFolder(files),
      outDir,
      loose: true,
      inputs: files.map((file, i) => ({ source: file, input: file, output: names[i] as string })),
    };
  }
  const { inDir, outDir } = await checkConvertFolders(options.inDir as string, options.outDir);
  const relative = await listInputImages(inDir);
  const names = outputNames(relative, options.format);
  return {
    inDir,
    outDir,
    loose: false,
    inputs: relative.map((input) => ({
      source: path.join(inDir, input),
      input,
      output: names.get(input) as string,
    })),
  };
}
