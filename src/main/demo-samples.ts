// The demo's sample pair in the workspace (<workspace>/samples/stripes): what "Try it with sample
// folders" writes and `diptych demo` trains on. The folder belongs to the app, not to a person, so
// files an older version of the generator wrote there are replaced instead of refused: the button
// must work on every workspace (a run trained on the old images then says its folder changed).
import path from 'node:path';
import { DEMO_SAMPLES } from '../shared/demo.ts';
import { type SampleFolders, writeSamples } from './samples.ts';

/** Where the workspace keeps the app's sample folders (the web host lets pages use them). */
export function samplesRoot(workspaceRoot: string): string {
  return path.join(workspaceRoot, 'samples');
}

export function demoSamplesFolder(workspaceRoot: string): string {
  return path.join(samplesRoot(workspaceRoot), DEMO_SAMPLES.kind);
}

export function writeDemoSamples(
  workspaceRoot: string,
  onProgress?: (done: number, total: number) => void,
): Promise<SampleFolders> {
  return writeSamples({ out: demoSamplesFolder(workspaceRoot), ...DEMO_SAMPLES, force: true, onProgress });
}
