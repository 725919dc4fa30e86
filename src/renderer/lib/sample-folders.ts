// "Try it with sample folders": the words that explain the sample pair, and the hand-over from the
// Runs screen to New run, which opens with both folders and the demo preset chosen. The hand-over
// is taken once: a later visit to New run starts empty again.
import type { SampleFolders } from '../../shared/contract.ts';

export const SAMPLES_EXPLAINED =
  'Shapes → the same shapes with stripes. The app knows the right answer for these pictures, so it can show you how close the training gets.';

/** What a run on the sample folders is called unless the person names it. */
export const SAMPLE_RUN_NAME = 'Sample: shapes → striped shapes';

let offered: SampleFolders | null = null;

export function offerSamples(folders: SampleFolders): void {
  offered = folders;
}

export function takeOfferedSamples(): SampleFolders | null {
  const folders = offered;
  offered = null;
  return folders;
}

/** The busy button's words while the host writes the pictures. */
export function samplesProgressText(progress: { done: number; total: number } | null): string {
  if (!progress || progress.done >= progress.total) return 'Preparing the sample folders…';
  return `Writing sample pictures… ${progress.done} of ${progress.total}`;
}
