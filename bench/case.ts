// Runs one benchmark case in this process and prints one JSON line: its timing, the backend
// and this process's peak RSS. Started by bench/run.ts.
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { BackendName } from '../src/shared/basics.ts';
import { selectBackend } from '../src/training/backend/ladder.ts';
import { CASES } from './cases.ts';

const { values } = parseArgs({
  options: { case: { type: 'string' }, backend: { type: 'string' }, 'software-webgpu': { type: 'boolean' } },
});
const definition = CASES.find((c) => c.name === values.case);
if (!definition) throw new Error(`unknown case ${values.case}; known: ${CASES.map((c) => c.name).join(', ')}`);
// A case that does not use TensorFlow (the run store) starts no backend; it names SQLite instead.
const backend =
  definition.engine === false
    ? { name: 'none', device: `SQLite ${new Database(':memory:').prepare('SELECT sqlite_version()').pluck().get()}` }
    : await selectBackend(definition.backend ?? (values.backend ? BackendName.parse(values.backend) : undefined), {
        // The thread count the engine would use for a training job with the case's networks.
        shapes: definition.shapes ?? null,
      });
// A webgpu case on a software adapter measures the CPU emulating a GPU: only when asked for.
if ('adapter' in backend && backend.adapter?.software && !values['software-webgpu']) {
  process.stdout.write(
    `${JSON.stringify({ case: definition.name, backend: backend.name, device: backend.device, skipped: 'only a software WebGPU adapter here (not a GPU); --software-webgpu runs it anyway' })}\n`,
  );
  process.exit(0);
}
const timing = await definition.run();
const peakRssMb = Math.round(process.resourceUsage().maxRSS / 1024);
process.stdout.write(
  `${JSON.stringify({ case: definition.name, backend: backend.name, device: backend.device, ...timing, peak_rss_mb: peakRssMb })}\n`,
);
