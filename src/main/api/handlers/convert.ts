// convert:start, convert:cancel and convert:list: batch conversion with a run's checkpoint.
import path from 'node:path';
import { ConvertOptions } from '../../../shared/convert.ts';
import { startConvert } from '../../jobs/convert.ts';
import { listConversions } from '../../store/artifacts.ts';
import { requireRun } from '../../store/runs.ts';
import type { HostServices } from '../services.ts';
import type { HandlerGroup } from './types.ts';

export function convertHandlers(host: HostServices): HandlerGroup<'convert:start' | 'convert:cancel' | 'convert:list'> {
  return {
    'convert:start': async ({ runId, step, memoryBudgetMb, ...convert }) => {
      // A page may read and write only under the roots (the output folder is opened to /media).
      if (convert.inDir) await host.folders.usableFolder(convert.inDir);
      for (const file of convert.files ?? []) await host.folders.usableFolder(path.dirname(file));
      await host.folders.usableOutput(convert.outDir);
      const handle = await startConvert(host, {
        ...ConvertOptions.parse(convert),
        runId,
        step,
        memoryBudgetBytes: memoryBudgetMb === undefined ? undefined : memoryBudgetMb * 1024 * 1024,
      });
      host.conversions.add(handle);
      host.media.allowFolder(handle.outDir);
      return {
        conversionId: handle.conversionId,
        step: handle.step,
        total: handle.total,
        inDir: handle.inDir,
        outDir: handle.outDir,
      };
    },
    'convert:cancel': ({ conversionId }) => {
      const handle = host.conversions.get(conversionId);
      handle?.cancel();
      return { conversionId, cancelled: handle !== undefined };
    },
    'convert:list': ({ runId }) => {
      requireRun(host.db, runId);
      host.refresh();
      return listConversions(host.db, runId);
    },
  };
}
