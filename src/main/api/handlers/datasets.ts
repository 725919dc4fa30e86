// datasets:preview: what training would see in a folder, before a run is started on it.
import path from 'node:path';
import { scanDataset } from '../../datasets/scan.ts';
import { sampleRelationOfFolder } from '../../jobs/sample-relation.ts';
import type { HostServices } from '../services.ts';
import type { HandlerGroup } from './types.ts';

export function datasetHandlers(host: HostServices): HandlerGroup<'datasets:preview'> {
  return {
    'datasets:preview': async ({ path: requested }) => {
      const folder = await host.folders.usableFolder(requested);
      const scan = await scanDataset(folder);
      host.media.allowFolder(scan.folder);
      return {
        folder: scan.folder,
        imageCount: scan.images.length,
        sizeRange: scan.sizeRange,
        problems: scan.problems.slice(0, 50),
        problemCount: scan.problems.length,
        thumbnails: scan.images.slice(0, 8).map((file) => path.join(scan.folder, file)),
        sampleRelation: await sampleRelationOfFolder(scan.folder),
      };
    },
  };
}
