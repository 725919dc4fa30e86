// A launcher whose choice of launcher is still being made (the Electron app's WebGPU probe at start,
// docs/ENGINE-WINDOW.md): engines asked for meanwhile get a handle at once, which starts the real engine
// when the choice is known, and passes on what was sent, listened to or killed before.
import type { EngineToHost, HostToEngine } from '../../shared/engine-protocol.ts';
import type { EngineHandle, EngineLauncher } from './launcher.ts';

export function deferredLauncher(choice: Promise<EngineLauncher>): EngineLauncher {
  let chosen: EngineLauncher | null = null;
  void choice.then((launcher) => {
    chosen = launcher;
  });
  return (options) => {
    if (chosen) return chosen(options);
    let real: EngineHandle | null = null;
    let killed = false;
    const outbox: HostToEngine[] = [];
    const messageListeners: ((message: EngineToHost) => void)[] = [];
    const exitListeners: ((code: number | null) => void)[] = [];
    void choice.then((launcher) => {
      if (killed) {
        for (const listener of exitListeners) listener(null);
        return;
      }
      const handle = launcher(options);
      real = handle;
      for (const listener of messageListeners) handle.onMessage(listener);
      for (const listener of exitListeners) handle.onExit(listener);
      for (const message of outbox.splice(0)) handle.send(message);
    });
    return {
      get pid() {
        return real?.pid;
      },
      send: (message) => {
        if (real) real.send(message);
        else outbox.push(message);
      },
      onMessage: (listener) => {
        if (real) real.onMessage(listener);
        else messageListeners.push(listener);
      },
      onExit: (listener) => {
        if (real) real.onExit(listener);
        else exitListeners.push(listener);
      },
      kill: () => {
        if (real) real.kill();
        else killed = true;
      },
    };
  };
}
