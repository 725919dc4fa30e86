// The run store's channels: list, detail, rename, delete, metrics, notes and tags.
import { readSeries } from '../../store/metrics.ts';
import { addNote, deleteRun, getRun, listRuns, renameRun, requireRun, setTags } from '../../store/runs.ts';
import type { HostServices } from '../services.ts';
import type { HandlerGroup } from './types.ts';

type RunChannels =
  | 'runs:list'
  | 'runs:get'
  | 'runs:rename'
  | 'runs:delete'
  | 'runs:metrics'
  | 'runs:note'
  | 'runs:tags';

export function runHandlers(host: HostServices): HandlerGroup<RunChannels> {
  return {
    'runs:list': () => {
      host.refresh();
      return listRuns(host.db);
    },
    'runs:get': ({ id }) => {
      host.refresh();
      return getRun(host.db, host.workspace, id);
    },
    'runs:rename': ({ id, name }) => renameRun(host.db, id, name),
    'runs:delete': ({ id }) => {
      host.metrics.flush();
      return deleteRun(host.db, host.workspace, id, host.isAlive);
    },
    'runs:metrics': ({ id, ...query }) => {
      requireRun(host.db, id);
      host.metrics.flush();
      return readSeries(host.db, id, query);
    },
    'runs:note': ({ id, body }) => addNote(host.db, id, body),
    'runs:tags': ({ id, tags }) => setTags(host.db, id, tags),
  };
}
