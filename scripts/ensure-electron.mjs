// Electron's binary comes from GitHub, which some machines (these build machines among them)
// cannot reach, so installing Diptych never downloads it. The first `npm start`/`npm run dist`
// does, through Electron's own installer, and says plainly what to do when it cannot.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
const electronDir = path.dirname(require.resolve('electron/package.json'));
const pathFile = path.join(electronDir, 'path.txt');

if (!fs.existsSync(pathFile) && !process.env.ELECTRON_OVERRIDE_DIST_PATH) {
  console.error('[diptych] Downloading the Electron binary (first start only)...');
  const result = spawnSync(process.execPath, [path.join(electronDir, 'install.js')], { stdio: 'inherit' });
  if (result.status !== 0 || !fs.existsSync(pathFile)) {
    console.error(
      [
        '',
        '[diptych] The Electron binary could not be downloaded (it comes from github.com).',
        '  - On a machine with internet access, run `npm start` again.',
        '  - Behind a mirror, set ELECTRON_MIRROR (see https://www.electronjs.org/docs/latest/tutorial/installation).',
        '  - With an Electron already unpacked somewhere, set ELECTRON_OVERRIDE_DIST_PATH to its folder.',
        '  - Without Electron, the same app runs in a browser: `npm run serve`.',
      ].join('\n'),
    );
    process.exit(1);
  }
}
