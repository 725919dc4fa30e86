// The whole test suite, as the README and CI run it (under Node 24, after the toolchain set-up):
// static checks, the build, Vitest (unit + integration + engine), Playwright (browser e2e).
// Ends with one line `N passed, N failed` summed over every phase; a static check or build
// that fails counts as one failed test, so nothing red can hide behind a green count.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { useSwiftShaderForWebGpu } from './webgpu-env.mjs';

fs.mkdirSync('reports', { recursive: true });
// The suite runs many engines side by side on a 2-core machine: each gets one wasm thread, so
// thread pools do not oversubscribe the cores (the app's default is one per core, up to 4; the
// threaded path has its own tests, which set their thread count themselves).
process.env.DIPTYCH_WASM_THREADS ??= '1';
// The webgpu tests (kernel pack, steps against cpu, the ladder's refusal of a software adapter) run on
// SwiftShader, Chromium's software Vulkan driver, which `npm test` installs with Chromium.
const webGpuNote = useSwiftShaderForWebGpu();
process.stdout.write(
  `${webGpuNote ?? 'WebGPU: no SwiftShader (Debian chromium) here; the webgpu tests will say they are skipped'}\n`,
);
// Each tool runs under this same Node (24, from the toolchain): a .bin shim's `#!/usr/bin/env node`
// could otherwise pick an older Node from the PATH.
const tool = (name) => [process.execPath, `node_modules/.bin/${name}`];
if (Number(process.versions.node.split('.')[0]) < 24) {
  process.stderr.write(`run-tests needs Node 24 (this is ${process.version}); run it through \`npm test\`.\n`);
  process.exit(1);
}
let passed = 0;
let failed = 0;
let skipped = 0;
const lines = [];

function run(label, commandLine) {
  const [command, ...args] = commandLine;
  process.stdout.write(`\n=== ${label}: ${args.join(' ')}\n`);
  const started = Date.now();
  const result = spawnSync(command, args, { stdio: 'inherit' });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  return { ok: result.status === 0, seconds };
}

function check(label, commandLine) {
  const { ok, seconds } = run(label, commandLine);
  if (ok) passed++;
  else failed++;
  lines.push(`${label}: ${ok ? 'ok' : 'FAILED'} (${seconds} s)`);
}

function readJson(file) {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return null;
  }
}

const only = process.argv.slice(2);
const wants = (phase) => only.length === 0 || only.includes(phase);

if (wants('lint')) check('lint', [...tool('biome'), 'check', '.']);
if (wants('typecheck')) {
  check('typecheck (node)', [...tool('tsc'), '-p', 'tsconfig.node.json', '--noEmit']);
  check('typecheck (renderer)', [
    ...tool('svelte-check'),
    '--tsconfig',
    'tsconfig.web.json',
    '--fail-on-warnings',
    '--output',
    'human',
  ]);
}
if (wants('build') || wants('e2e')) check('build', [...tool('electron-vite'), 'build', '--logLevel', 'warn']);

// Vitest in two passes: everything in parallel, then the `*.serial.test.ts` files alone — they
// measure the host's responsiveness (issue 6: event-loop delay during a run), which other test
// files training beside them on two cores would measure instead.
function vitest(label, configArgs) {
  const reportFile = `reports/${label}.json`;
  fs.rmSync(reportFile, { force: true });
  const { ok, seconds } = run(label, [
    ...tool('vitest'),
    'run',
    ...configArgs,
    '--reporter=default',
    '--reporter=json',
    `--outputFile.json=${reportFile}`,
  ]);
  const report = readJson(reportFile);
  if (report) {
    passed += report.numPassedTests;
    failed += report.numFailedTests;
    skipped += report.numPendingTests + (report.numTodoTests ?? 0);
    // A file that fails to load has no tests to count; count it so it cannot pass unseen.
    let brokenFiles = report.testResults.filter(
      (file) => file.status === 'failed' && file.assertionResults.length === 0,
    ).length;
    // A red exit with nothing failed counted (no test files found, an unhandled error) is a failure too.
    if (!ok && report.numFailedTests + brokenFiles === 0) brokenFiles = 1;
    failed += brokenFiles;
    lines.push(
      `${label}: ${report.numPassedTests} passed, ${report.numFailedTests + brokenFiles} failed, ${report.numPendingTests} skipped (${seconds} s)`,
    );
  } else {
    failed++;
    lines.push(`${label}: no report (exit ${ok ? 0 : 'non-zero'})`);
  }
}

if (wants('unit')) vitest('vitest', []);
if (wants('unit') || wants('serial')) vitest('vitest-serial', ['--config', 'vitest.serial.config.ts']);

if (wants('e2e')) {
  fs.rmSync('reports/playwright.json', { force: true });
  const { ok, seconds } = run('playwright', [...tool('playwright'), 'test']);
  const report = readJson('reports/playwright.json');
  if (report) {
    const { expected, unexpected, skipped: skippedE2e, flaky } = report.stats;
    const errors = unexpected + (report.errors?.length ?? 0);
    passed += expected + flaky;
    failed += !ok && errors === 0 ? 1 : errors;
    skipped += skippedE2e;
    lines.push(
      `playwright: ${expected + flaky} passed, ${unexpected} failed, ${skippedE2e} skipped (${seconds} s); screenshots in test-results/artifacts`,
    );
  } else {
    failed++;
    lines.push('playwright: no report');
  }
}

process.stdout.write(`\n=== summary\n${lines.join('\n')}\n${skipped} skipped (each printed its reason above)\n`);
process.stdout.write(`${passed} passed, ${failed} failed\n`);
process.exit(failed === 0 ? 0 : 1);
