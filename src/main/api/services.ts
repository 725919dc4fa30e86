// What the API handlers work with: the job context (store, workspace, metrics, engine launcher) plus
// the host's registries of running jobs, its event bus, the media it may show and the rules for
// which folders a request may name. One object, built once by createHost, handed to each handler group.
import type { BackendInfo } from '../../shared/backend.ts';
import type { AppInfo } from '../../shared/contract.ts';
import type { EventBus } from '../events.ts';
import type { CompareRegistry } from '../jobs/compare-registry.ts';
import type { TrainingContext } from '../jobs/context.ts';
import type { ConvertRegistry } from '../jobs/convert-registry.ts';
import type { JobRegistry } from '../jobs/registry.ts';
import type { MediaAccess } from '../media/access.ts';
import type { FolderAccess } from './folder-access.ts';

export interface HostServices extends TrainingContext {
  kind: AppInfo['host'];
  events: EventBus;
  media: MediaAccess;
  jobs: JobRegistry;
  compares: CompareRegistry;
  conversions: ConvertRegistry;
  folders: FolderAccess;
  /** Before a listing: runs and conversions whose engine died since the start are marked so. */
  refresh(): void;
  /** The backend an engine gets on this machine (asked once per host), or why none could be asked. */
  backend(): Promise<{ backend: BackendInfo | null; backendError: string | null }>;
}
