// compare:start and compare:get: checkpoints scored side by side on the same images.
import { startCompare } from '../../jobs/compare.ts';
import type { HostServices } from '../services.ts';
import type { HandlerGroup } from './types.ts';

export function compareHandlers(host: HostServices): HandlerGroup<'compare:start' | 'compare:get'> {
  return {
    'compare:start': async (request) => {
      for (const folder of [request.a, request.b, request.truthA]) if (folder) await host.folders.usableFolder(folder);
      if (request.out) await host.folders.usableOutput(request.out);
      const handle = await startCompare(host, request);
      host.compares.add(handle);
      return { jobId: handle.jobId };
    },
    'compare:get': ({ jobId }) => host.compares.get(jobId),
  };
}
