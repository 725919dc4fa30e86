// Every channel's handler, one group per file: the host composes them here and nowhere else, and
// the type checker says when a channel of the contract has none.
import type { Handlers } from '../dispatch.ts';
import type { HostServices } from '../services.ts';
import { appHandlers } from './app.ts';
import { compareHandlers } from './compare.ts';
import { convertHandlers } from './convert.ts';
import { datasetHandlers } from './datasets.ts';
import { exportHandlers } from './export.ts';
import { runHandlers } from './runs.ts';
import { sampleHandlers } from './samples.ts';
import { trainingHandlers } from './training.ts';

export function createHandlers(host: HostServices): Handlers {
  return {
    ...appHandlers(host),
    ...runHandlers(host),
    ...datasetHandlers(host),
    ...trainingHandlers(host),
    ...compareHandlers(host),
    ...exportHandlers(host),
    ...convertHandlers(host),
    ...sampleHandlers(host),
  };
}
