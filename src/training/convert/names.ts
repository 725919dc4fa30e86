// Output names: the input's relative path with the output format's extension. Two inputs that
// would get the same name (a.jpg and a.png, or A.jpg and a.jpg on a case-insensitive disk) both
// keep their own extension (a.jpg.png, a.png.png), and any clash left gets -2, -3…; the names
// depend only on the input list, so a resumed batch finds the names it wrote before.
import path from 'node:path';

const key = (name: string) => name.toLowerCase();

function withoutExtension(relative: string): string {
  const extension = path.posix.extname(relative);
  return extension ? relative.slice(0, -extension.length) : relative;
}

/** Output relative path for each input relative path (sorted inputs give stable names). */
export function outputNames(inputs: readonly string[], format: string): Map<string, string> {
  const byStem = new Map<string, string[]>();
  for (const input of inputs) {
    const stem = key(withoutExtension(input));
    byStem.set(stem, [...(byStem.get(stem) ?? []), input]);
  }
  const names = new Map<string, string>();
  const taken = new Set<string>();
  for (const input of inputs) {
    const shared = (byStem.get(key(withoutExtension(input))) ?? []).length > 1;
    const base = shared ? input : withoutExtension(input);
    let name = `${base}.${format}`;
    for (let n = 2; taken.has(key(name)); n++) name = `${base}-${n}.${format}`;
    taken.add(key(name));
    names.set(input, name);
  }
  return names;
}
