// samples:create: "Try it with sample folders" writes the demo's sample pair into the workspace.
import fs from 'node:fs';
import path from 'node:path';
import type { SampleFolders } from '../../../shared/contract.ts';
import { DEMO_MODEL, DEMO_PRESET, DEMO_SAMPLES } from '../../../shared/demo.ts';
import { writeDemoSamples } from '../../demo-samples.ts';
import type { HostServices } from '../services.ts';
import type { HandlerGroup } from './types.ts';

export function sampleHandlers(host: HostServices): HandlerGroup<'samples:create'> {
  const createSamples = async (): Promise<SampleFolders> => {
    let shown = 0;
    const folders = await writeDemoSamples(host.workspace.root, (done, total) => {
      // A few updates a second are enough for a progress line; the last one always goes.
      if (done < total && Date.now() - shown < 100) return;
      shown = Date.now();
      host.events.publish({ type: 'samples', done, total });
    });
    // Real paths, as datasets:preview answers them: New run recognises its folders as the samples.
    const folder = await fs.promises.realpath(path.dirname(folders.a));
    return {
      folder,
      a: path.join(folder, path.basename(folders.a)),
      b: path.join(folder, path.basename(folders.b)),
      truth: path.join(folder, path.basename(folders.truth)),
      images: DEMO_SAMPLES.count,
      size: DEMO_SAMPLES.size,
      written: folders.written,
      model: DEMO_MODEL,
      preset: DEMO_PRESET,
    };
  };
  // Two windows asking at once share one writing of the sample pair (the same files).
  let writing: Promise<SampleFolders> | null = null;
  return {
    'samples:create': () =>
      (writing ??= createSamples().finally(() => {
        writing = null;
      })),
  };
}
