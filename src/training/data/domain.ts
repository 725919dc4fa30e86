// One domain's list of image files as training reads it: a file that fails to decode is
// skipped, remembered, reported once, and replaced by the next file of the list, so the
// replacement is the same on every run and on resume. Also the up-front check that a domain
// has something readable, so a bad folder fails before training starts, not an hour in.
import path from 'node:path';
import type { ImageData32 } from './load-image.ts';

/** Decodes one file with the given random draws (crop, flip). */
export type ImageLoader = (file: string, random: () => number) => Promise<ImageData32>;

/** Called once for each distinct file that could not be read. */
export type SkipReporter = (file: string, reason: string) => void;

/** The up-front check decodes the first images in order until this many succeed... */
const VALIDATE_WANTED = 3;
/** ...giving up (the folder is unreadable) after this many attempts without one success. */
const VALIDATE_ATTEMPTS = 16;

export interface LoadedImage {
  image: ImageData32;
  file: string;
}

/** The folder the files share, for messages: the deepest common parent directory. */
export function commonFolder(files: readonly string[]): string | undefined {
  if (files.length === 0) return undefined;
  const [first, ...rest] = files as [string, ...string[]];
  let parts = path.dirname(path.resolve(first)).split(path.sep);
  for (const file of rest) {
    const other = path.dirname(path.resolve(file)).split(path.sep);
    let same = 0;
    while (same < parts.length && same < other.length && parts[same] === other[same]) same++;
    parts = parts.slice(0, same);
  }
  return parts.join(path.sep) || path.sep;
}

function reasonOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export class ImageDomain {
  readonly name: string;
  readonly files: readonly string[];
  /** "domain A (/photos/summer)": how messages name this domain. */
  readonly label: string;
  private readonly loader: ImageLoader;
  private readonly report: SkipReporter;
  /** Index → why it failed; a file that failed once is never decoded again. */
  private readonly unreadable = new Map<number, string>();

  constructor(name: string, files: readonly string[], loader: ImageLoader, report: SkipReporter, folder?: string) {
    this.name = name;
    this.files = files;
    this.loader = loader;
    this.report = report;
    const where = folder ?? commonFolder(files);
    this.label = where ? `domain ${name} (${where})` : `domain ${name}`;
  }

  private fileAt(index: number): string {
    const file = this.files[index];
    if (file === undefined) throw new Error(`No image ${index} in ${this.label} (it has ${this.files.length}).`);
    return file;
  }

  private async attempt(index: number, random: () => number): Promise<ImageData32 | undefined> {
    const file = this.fileAt(index);
    try {
      return await this.loader(file, random);
    } catch (error) {
      const reason = reasonOf(error);
      this.unreadable.set(index, reason);
      this.report(file, reason);
      return undefined;
    }
  }

  /**
   * The image at `index`, or if that file cannot be read, the next readable one after it
   * (wrapping around). `makeRandom` is called afresh for each attempt so a replacement
   * receives the same draws the original would have.
   */
  async load(index: number, makeRandom: () => () => number): Promise<LoadedImage> {
    const count = this.files.length;
    for (let step = 0; step < count; step++) {
      const at = (index + step) % count;
      if (this.unreadable.has(at)) continue;
      const image = await this.attempt(at, makeRandom());
      if (image) return { image, file: this.fileAt(at) };
    }
    throw new Error(`None of the ${count} images of ${this.label} can be read; ${this.firstProblem()}.`);
  }

  /** Throws, naming the folder, when the domain is empty or its first images do not decode. */
  async validate(): Promise<void> {
    if (this.files.length === 0) throw new Error(`There are no images in ${this.label}.`);
    let good = 0;
    let tried = 0;
    for (let index = 0; index < this.files.length && tried < VALIDATE_ATTEMPTS && good < VALIDATE_WANTED; index++) {
      tried++;
      if (await this.attempt(index, () => 0)) good++;
    }
    if (good === 0) {
      const which = tried === this.files.length ? `all ${tried}` : `the first ${tried}`;
      throw new Error(`No image in ${this.label} can be read (${which} failed); ${this.firstProblem()}.`);
    }
  }

  private firstProblem(): string {
    const first = [...this.unreadable.entries()].sort(([a], [b]) => a - b)[0];
    return first ? `for example ${path.basename(this.fileAt(first[0]))}: ${first[1]}` : 'no reason recorded';
  }
}
