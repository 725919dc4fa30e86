// Output names: the input's relative path with the output format's extension. Two inputs that
// would get the same name (a.jpg and a.png, or A.jpg and a.jpg on a case-insensitive disk) both
// keep their own extension (a.jpg.png, a.png.png), and any clash left gets -2, -3…; the names
// depend only on the input list, so a resumed batch finds the names it wrote before. Loose files
// (looseOutputNames) are named by their file names alone, flat in the output folder.
import path from 'node:path';

const key = (name: string) => name.toLowerCase();

function withoutExtension(relative: string): string {
  const extension = path.posix.extname(relative);
  return extension ? relative.slice(0, -extension.length) : relative;
}

/** One output name per wanted name (a relative path with '/'), in order, none colliding. */
function collisionFreeNames(wanted: readonly string[], format: string): string[] {
  const byStem = new Map<string, number>();
  for (const input of wanted) {
    const stem = key(withoutExtension(input));
    byStem.set(stem, (byStem.get(stem) ?? 0) + 1);
  }
  const taken = new Set<string>();
  return wanted.map((input) => {
    const shared = (byStem.get(key(withoutExtension(input))) ?? 0) > 1;
    const base = shared ? input : withoutExtension(input);
    let name = `${base}.${format}`;
    for (let n = 2; taken.has(key(name)); n++) name = `${base}-${n}.${format}`;
    taken.add(key(name));
    return name;
  });
}

/** Output relative path for each input relative path (sorted inputs give stable names). */
export function outputNames(inputs: readonly string[], format: string): Map<string, string> {
  const names = collisionFreeNames(inputs, format);
  return new Map(inputs.map((input, i) => [input, names[i] as string]));
}

/**
 * Flat output names for loose files (absolute paths), in their order: each file's own name with
 * the format's extension, made distinct as above (two photos named IMG_0001.jpg from different
 * folders become IMG_0001.jpg.png and IMG_0001.jpg-2.png). The same list gives the same names.
 */
export function looseOutputNames(files: readonly string[], format: string): string[] {
  return collisionFreeNames(
    files.map((file) => path.basename(file)),
    format,
  );
}
