// checkpoint:export: a CycleGAN or CUT generator as a TensorFlow.js graph model for a web page, or as ONNX.
import { exportRunCheckpoint } from '../../jobs/export.ts';
import type { HostServices } from '../services.ts';
import type { HandlerGroup } from './types.ts';

export function exportHandlers(host: HostServices): HandlerGroup<'checkpoint:export'> {
  return {
    'checkpoint:export': async ({ runId, step, direction, out, format }) => {
      if (out) await host.folders.usableOutput(out);
      const written = await exportRunCheckpoint(host, { runId, step, direction, out, format });
      host.media.allowFolder(written.folder);
      return written;
    },
  };
}
