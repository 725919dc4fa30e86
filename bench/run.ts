// `npm run bench`: Diptych's training and inference speed beside the PyTorch yardstick
// (../shared/bench/cyclegan_ref.py), measured in the same invocation on the same machine.
//   npm run bench [-- --json] [--only NAME[,NAME]] [--backend wasm] [--no-pytorch] [--no-write] [--software-webgpu]
// Running every case rewrites the generated block of docs/PERFORMANCE.md; --only updates the rows it ran.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import { useSwiftShaderForWebGpu } from '../scripts/webgpu-env.mjs';
import { CASES } from './cases.ts';
import { type BenchResult, generatedBlock, mergeReport, renderReport, replaceGeneratedBlock } from './report.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const yardstick = path.resolve(root, '..', 'shared', 'bench', 'cyclegan_ref.py');
const python = '/usr/bin/python3';

const options = new Command()
  .option('--json', 'one JSON line per case', false)
  .option('--only <names>', `comma-separated cases: ${CASES.map((c) => c.name).join(', ')}`)
  .option('--backend <name>', 'force a backend (default: the ladder)')
  .option('--no-pytorch', 'skip the PyTorch yardstick')
  .option('--no-write', 'do not update docs/PERFORMANCE.md')
  .option('--case-minutes <m>', 'give up on a case after this many minutes (it is reported as timed out)', '12')
  .option(
    '--software-webgpu',
    'run the webgpu cases on a software adapter (SwiftShader) too; its figures are labelled "software adapter, not a GPU"',
    false,
  )
  .parse()
  .opts<{
    json: boolean;
    only?: string;
    backend?: string;
    pytorch: boolean;
    write: boolean;
    caseMinutes: string;
    softwareWebgpu: boolean;
  }>();

// Asked for: point Vulkan at SwiftShader where this machine has it (the cases' processes inherit it).
if (options.softwareWebgpu) useSwiftShaderForWebGpu();

const chosen = options.only ? options.only.split(',').map((s) => s.trim()) : CASES.map((c) => c.name);
for (const name of chosen)
  if (!CASES.some((c) => c.name === name))
    throw new Error(`unknown case ${name}; known: ${CASES.map((c) => c.name).join(', ')}`);

function lastJsonLine(output: string): Record<string, unknown> | null {
  const line = output
    .trim()
    .split('\n')
    .reverse()
    .find((l) => l.startsWith('{'));
  return line ? (JSON.parse(line) as Record<string, unknown>) : null;
}

function torchVersion(): string | null {
  if (!options.pytorch || !fs.existsSync(python) || !fs.existsSync(yardstick)) return null;
  const probe = spawnSync(python, ['-c', 'import torch; print(torch.__version__)'], { encoding: 'utf8' });
  return probe.status === 0 ? probe.stdout.trim() : null;
}

const torch = torchVersion();

/** The GPU PyTorch can use here (cuda, mps), the yardstick of the webgpu cases; null where it has none. */
function torchGpu(): string | null {
  if (!torch) return null;
  const probe = spawnSync(
    python,
    [
      '-c',
      "import torch; print('cuda' if torch.cuda.is_available() else 'mps' if getattr(torch.backends, 'mps', None) and torch.backends.mps.is_available() else '')",
    ],
    { encoding: 'utf8' },
  );
  return probe.status === 0 && probe.stdout.trim() ? probe.stdout.trim() : null;
}
const gpuDevice = CASES.some((c) => c.backend === 'webgpu' && chosen.includes(c.name)) ? torchGpu() : null;
if (!options.json && options.pytorch && !torch) {
  process.stderr.write(
    `PyTorch yardstick unavailable (needs ${python} with torch: apt-get install python3-torch, and ${yardstick}); pytorch_ms will be null.\n`,
  );
}

/** A result without a measurement: the case timed out (or failed, with the note replaced). */
function timedOut(definition: (typeof CASES)[number], minutes: number): BenchResult {
  return {
    case: definition.name,
    description: definition.description,
    backend: options.backend ?? 'ladder',
    device: '',
    diptych_ms: null,
    min_ms: null,
    images_per_s: 0,
    pytorch_ms: null,
    ratio: null,
    peak_rss_mb: 0,
    tensors_flat: true,
    note: `timed out after ${minutes} min`,
  };
}

/** PyTorch's median ms for a script and arguments, run once per invocation (two engines' cases share one). */
const yardsticks = new Map<string, number | null>();
function yardstickMs(script: string, args: string[]): number | null {
  const key = JSON.stringify([script, args]);
  if (!yardsticks.has(key)) {
    const ref = spawnSync(python, [script, ...args], { encoding: 'utf8' });
    yardsticks.set(key, (lastJsonLine(ref.stdout)?.median_ms as number | undefined) ?? null);
  }
  return yardsticks.get(key) ?? null;
}

const results: BenchResult[] = [];
for (const definition of CASES.filter((c) => chosen.includes(c.name))) {
  if (!options.json) process.stderr.write(`running ${definition.name}: ${definition.description}...\n`);
  const args = [
    path.join(root, 'bench', 'case.ts'),
    '--case',
    definition.name,
    ...(options.backend ? ['--backend', options.backend] : []),
    ...(options.softwareWebgpu ? ['--software-webgpu'] : []),
  ];
  const run = spawnSync(process.execPath, args, {
    encoding: 'utf8',
    maxBuffer: 64 << 20,
    timeout: (definition.minutes ?? Number(options.caseMinutes)) * 60_000,
  });
  // A case that runs past its time is a result too (it says where the engine is too slow), not a crash of the bench.
  if ((run.error as NodeJS.ErrnoException | undefined)?.code === 'ETIMEDOUT') {
    const minutes = definition.minutes ?? Number(options.caseMinutes);
    const result = timedOut(definition, minutes);
    results.push(result);
    process.stdout.write(
      options.json ? `${JSON.stringify(result)}\n` : `${definition.name.padEnd(16)} timed out after ${minutes} min\n`,
    );
    continue;
  }
  const measured = lastJsonLine(run.stdout);
  if (run.status !== 0 || !measured) {
    // A case that fails (e.g. wasm's 32-bit memory at 1024 px) is reported with its reason; the others still run.
    const lines = run.stderr.split('\n');
    const reason = (
      lines.find((line) => /\w*Error: /.test(line)) ??
      lines.find((line) => line.includes('Aborted')) ??
      `exit ${run.status}`
    ).trim();
    const result = { ...timedOut(definition, 0), note: `failed: ${reason}` };
    results.push(result);
    process.stdout.write(
      options.json ? `${JSON.stringify(result)}\n` : `${definition.name.padEnd(16)} failed: ${reason}\n`,
    );
    continue;
  }
  if (typeof measured.skipped === 'string') {
    const result = {
      ...timedOut(definition, 0),
      device: String(measured.device),
      note: `not run: ${measured.skipped}`,
    };
    results.push(result);
    process.stdout.write(
      options.json ? `${JSON.stringify(result)}\n` : `${definition.name.padEnd(16)} not run: ${measured.skipped}\n`,
    );
    continue;
  }
  let pytorchMs: number | null = null;
  // A GPU case is measured against PyTorch on this machine's GPU, never against PyTorch on its CPU.
  const gpuCase = definition.backend === 'webgpu';
  if (torch && definition.pytorchArgs && (!gpuCase || gpuDevice)) {
    const script = definition.pytorchScript ? path.join(root, 'bench', definition.pytorchScript) : yardstick;
    const deviceArgs = gpuCase && gpuDevice ? ['--device', gpuDevice] : [];
    pytorchMs = yardstickMs(script, [...definition.pytorchArgs, ...deviceArgs]);
  }
  const diptychMs = measured.median_ms as number;
  const result: BenchResult = {
    case: definition.name,
    description: definition.description,
    backend: measured.backend as string,
    device: measured.device as string,
    diptych_ms: diptychMs,
    min_ms: measured.min_ms as number,
    images_per_s: measured.images_per_s as number,
    pytorch_ms: pytorchMs,
    ratio: pytorchMs ? Math.round((diptychMs / pytorchMs) * 100) / 100 : null,
    peak_rss_mb: measured.peak_rss_mb as number,
    tensors_flat: measured.tensors_before === measured.tensors_after,
    ...(gpuCase && !gpuDevice ? { note: 'no PyTorch GPU (CUDA/MPS) on this machine to compare with' } : {}),
    ...(measured.profile ? { profile: measured.profile as BenchResult['profile'] } : {}),
    ...(measured.throughput ? { throughput: measured.throughput as BenchResult['throughput'] } : {}),
    ...(typeof measured.engine === 'string' ? { engine: measured.engine } : {}),
    ...(typeof measured.engine_note === 'string' ? { engine_note: measured.engine_note } : {}),
  };
  results.push(result);
  if (options.json) {
    const { profile: _profile, ...line } = result;
    process.stdout.write(`${JSON.stringify(line)}\n`);
  } else {
    process.stdout.write(
      `${result.case.padEnd(16)} ${String(result.diptych_ms).padStart(9)} ms  ${result.throughput ? `${result.throughput.value} ${result.throughput.unit}` : `${result.images_per_s} img/s`}  pytorch ${result.pytorch_ms ?? '—'} ms  ratio ${result.ratio ?? '—'}  peak RSS ${result.peak_rss_mb} MB  tensors ${result.tensors_flat ? 'flat' : 'LEAKING'}\n`,
    );
  }
}

const everyCase = chosen.length === CASES.length;
if (options.write) {
  const machine = {
    cpu: `${os.cpus()[0]?.model.trim()} × ${os.cpus().length}`,
    memory_gib: Math.round(os.totalmem() / 2 ** 30),
    os: `${os.type()} ${os.release()}`,
    node: process.version,
    pytorch: torch,
    date: new Date().toISOString().slice(0, 10),
  };
  const file = path.join(root, 'docs', 'PERFORMANCE.md');
  const previous = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const temporary = `${file}.tmp`;
  const block = everyCase
    ? renderReport(results, machine)
    : mergeReport(
        generatedBlock(previous),
        results,
        machine,
        CASES.map((c) => c.name),
      );
  fs.writeFileSync(temporary, replaceGeneratedBlock(previous, block));
  fs.renameSync(temporary, file);
  if (!options.json) process.stderr.write(`updated ${path.relative(process.cwd(), file)}\n`);
}
