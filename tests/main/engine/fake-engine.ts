// An engine that does nothing by itself: a test decides what it says and when it dies.
import type { EngineHandle, EngineLauncher } from '../../../src/main/engine/launcher.ts';
import type { EngineToHost, HostToEngine } from '../../../src/shared/engine-protocol.ts';

export class FakeEngine implements EngineHandle {
  readonly pid = 4242;
  readonly sent: HostToEngine[] = [];
  killed = 0;
  private messageListeners: ((message: EngineToHost) => void)[] = [];
  private exitListeners: ((code: number | null) => void)[] = [];
  send(message: HostToEngine): void {
    this.sent.push(message);
  }
  onMessage(listener: (message: EngineToHost) => void): void {
    this.messageListeners.push(listener);
  }
  onExit(listener: (code: number | null) => void): void {
    this.exitListeners.push(listener);
  }
  kill(): void {
    this.killed++;
  }
  say(message: EngineToHost): void {
    for (const listener of this.messageListeners) listener(message);
  }
  die(code: number | null): void {
    for (const listener of this.exitListeners) listener(code);
  }
}

export function fakeLauncher(): { engine: FakeEngine; launch: EngineLauncher } {
  const engine = new FakeEngine();
  return { engine, launch: () => engine };
}
