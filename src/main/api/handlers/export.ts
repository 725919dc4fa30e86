// checkpoint:export: a CycleGAN generator as a TensorFlow.js graph model for a web page.
import { exportRunCheckpoint } from '../../jobs/export.ts';
import type { HostServices } from '../services.ts';
import type { HandlerGroup } from './types.ts';

export function exportHandlers(host: HostServices): HandlerGroup<'checkpoint:export'> {
  return {
    'checkpoint:export': async ({ runId, step, direction, out }) => {
      if (out) await host.folders.usableOutput(out);
      const written = await exportRunCheckpoint(host, { runId, step, direction, out });
      host.media.allowFolder(written.folder);
      return written;
    },
  };
}
