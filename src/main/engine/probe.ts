// Asks a short-lived engine process which backend this machine gives it. The host itself
// never loads TensorFlow.js: that would tie its event loop and memory to the engine's.
import type { BackendInfo } from '../../shared/backend.ts';
import type { BackendName } from '../../shared/basics.ts';
import type { EngineLauncher } from './launcher.ts';

export function probeBackend(launch: EngineLauncher, forced?: BackendName, timeoutMs = 60_000): Promise<BackendInfo> {
  return new Promise((resolve, reject) => {
    const engine = launch();
    let settled = false;
    const finish = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      engine.send({ type: 'exit' });
      setTimeout(() => engine.kill(), 2_000).unref();
      outcome();
    };
    const timer = setTimeout(
      () => finish(() => reject(new Error(`The engine did not report a backend within ${timeoutMs / 1000} s.`))),
      timeoutMs,
    );
    engine.onMessage((message) => {
      if (message.type === 'ready') engine.send({ type: 'probe', backend: forced });
      else if (message.type === 'backend') finish(() => resolve(message.info));
      else if (message.type === 'fatal') finish(() => reject(new Error(message.message)));
    });
    engine.onExit((code) =>
      finish(() => reject(new Error(`The engine process exited (code ${code}) before reporting a backend.`))),
    );
  });
}
