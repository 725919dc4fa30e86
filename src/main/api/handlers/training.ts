// training:start, training:control and runs:resume: the one place a training request is validated
// and started, whichever door it came in by (a window, a browser, the command line).
import { buildRunConfig } from '../../../shared/run-config.ts';
import { relationFor } from '../../jobs/sample-relation.ts';
import { resumeTraining, startTraining } from '../../jobs/training.ts';
import type { HostServices } from '../services.ts';
import type { HandlerGroup } from './types.ts';

export function trainingHandlers(
  host: HostServices,
): HandlerGroup<'training:start' | 'training:control' | 'runs:resume'> {
  return {
    'training:start': async ({ dataA, dataB, preset, name, overrides, model }) => {
      const kind = model ?? 'cyclegan';
      await host.folders.usableFolder(dataA);
      await host.folders.usableFolder(dataB);
      // A CoGAN on the sample domains measures its agreement unless told another relation.
      const relation = kind === 'cogan' ? { relation: await relationFor(dataA, dataB, overrides?.relation) } : {};
      const config = buildRunConfig(kind, preset, { ...overrides, ...relation, dataA, dataB });
      const handle = await startTraining(host, { config, name });
      host.jobs.add(handle);
      host.media.allowFolder(handle.runDir);
      return { runId: handle.runId, runDir: handle.runDir };
    },
    'training:control': ({ id, action }) => {
      const job = host.jobs.get(id);
      if (!job) throw new Error(`Run ${id} is not training in this session; a stopped run can be continued instead.`);
      job[action]();
      return { id, action };
    },
    'runs:resume': async ({ id, lr }) => {
      const handle = await resumeTraining(host, id, { lr });
      host.jobs.add(handle);
      host.media.allowFolder(handle.runDir);
      return { runId: handle.runId, runDir: handle.runDir };
    },
  };
}
