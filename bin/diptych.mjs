#!/usr/bin/env node
// The `diptych` command. Plain JavaScript so that any Node can start it: an older Node
// (Debian's 20, say) hands over to the project's Node 24, which runs the TypeScript CLI as is.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const major = Number(process.versions.node.split('.')[0]);

if (major < 24) {
  const toolchain = path.join(root, 'scripts', 'toolchain.mjs');
  const self = fileURLToPath(import.meta.url);
  const result = spawnSync(process.execPath, [toolchain, '--quiet', 'node', self, ...process.argv.slice(2)], {
    stdio: 'inherit',
  });
  process.exit(result.status ?? 1);
} else {
  await import(pathToFileURL(path.join(root, 'src', 'main', 'cli', 'index.ts')).href);
}
