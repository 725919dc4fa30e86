import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import type { BackendName } from '../../../shared/basics.ts';
import { createHost, forcedBackendFromEnv } from '../../host.ts';
import { startWebHost } from '../../web-host/server.ts';
import { resolveWorkspaceRoot } from '../../workspace.ts';
import { backendOption, wholeNumber } from '../options.ts';

const builtRenderer = fileURLToPath(new URL('../../../../out/renderer', import.meta.url));

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('serve the Diptych UI and API to a browser (token required; 127.0.0.1 unless --host is given)')
    .option('--host <address>', 'address to bind; anything but 127.0.0.1 exposes Diptych to that network', '127.0.0.1')
    .option('--port <port>', 'port (0 picks a free one)', wholeNumber('--port', 0, 65_535), 7860)
    .option('--home <dir>', 'workspace folder (default ~/.diptych)')
    .option('--backend <name>', 'force a TensorFlow.js backend', backendOption)
    .option('--renderer <dir>', 'built renderer to serve', builtRenderer)
    .action(async (options: { host: string; port: number; home?: string; backend?: BackendName; renderer: string }) => {
      const host = createHost({
        kind: 'web',
        home: resolveWorkspaceRoot(options.home),
        backend: options.backend ?? forcedBackendFromEnv(),
      });
      const web = await startWebHost({
        dispatch: host.dispatch,
        events: host.events,
        media: host.media,
        rendererDir: path.resolve(options.renderer),
        host: options.host,
        port: options.port,
      });
      if (options.host !== '127.0.0.1' && options.host !== 'localhost' && options.host !== '::1') {
        process.stderr.write(
          `Warning: listening on ${options.host}; anyone who can reach it and has the token can use Diptych.\n`,
        );
      }
      process.stdout.write(
        `Diptych is served at ${web.url}\nWorkspace: ${host.workspace.root}\nPress Ctrl-C to stop.\n`,
      );
      const stop = async () => {
        await web.close();
        host.close();
        process.exit(0);
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
}
