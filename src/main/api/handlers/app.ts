// app:info, presets:list and fs:list: what the UI asks before anything else.
import packageJson from '../../../../package.json' with { type: 'json' };
import { presetsOf } from '../../../shared/run-config.ts';
import { allowedRoots, listFolder } from '../../datasets/folders.ts';
import type { HostServices } from '../services.ts';
import type { HandlerGroup } from './types.ts';

export function appHandlers(host: HostServices): HandlerGroup<'app:info' | 'presets:list' | 'fs:list'> {
  return {
    'app:info': async () => ({
      name: 'Diptych',
      version: packageJson.version,
      host: host.kind,
      workspace: host.workspace.root,
      ...(await host.backend()),
    }),
    'presets:list': ({ model }) => presetsOf(model ?? 'cyclegan'),
    'fs:list': ({ path: folder }) => listFolder(folder, allowedRoots()),
  };
}
