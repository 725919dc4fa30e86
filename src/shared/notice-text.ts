// What the desktop notification (or the web page's toast) says when a run ends on its own:
// finished, or failed. A run the person stopped themselves needs no notification.
import type { EngineToHost } from './engine-protocol.ts';

export interface NoticeText {
  title: string;
  body: string;
  tone: 'ok' | 'danger';
}

export function noticeFor(event: EngineToHost, runName: string): NoticeText | null {
  if (event.type === 'finished' && event.status === 'completed')
    return {
      title: 'Training finished',
      body: `${runName} completed ${event.step.toLocaleString('en-US')} steps. Its checkpoints are ready to compare and convert with.`,
      tone: 'ok',
    };
  if (event.type === 'fatal')
    return {
      title: 'Training failed',
      body: `${runName} stopped with an error: ${firstLine(event.message)} Open the run to continue from its last checkpoint.`,
      tone: 'danger',
    };
  return null;
}

function firstLine(message: string): string {
  const line = (message.split('\n')[0] ?? '').trim();
  const short = line.length > 160 ? `${line.slice(0, 157)}…` : line;
  return /[.!?…]$/.test(short) ? short : `${short}.`;
}
