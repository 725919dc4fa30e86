// Follows a conversion in a terminal: a progress bar with rate and ETA (JSON lines of the events
// with --json), each failed file on its own line, Ctrl-C to cancel cleanly between tiles (a second
// Ctrl-C leaves at once; the next run removes any temporary file left), and a summary.
import { conversionEngineWords } from '../../shared/convert.ts';
import type { ConvertEvent, ConvertOutcome } from '../jobs/convert.ts';
import type { FollowedConversion } from './api.ts';

export function formatDuration(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds)) return '—';
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  return h > 0 ? `${h}h${String(m).padStart(2, '0')}m` : `${m}m${String(s % 60).padStart(2, '0')}s`;
}

/** Progress as work units: files finished (skipped ones do not count toward the pace) plus the current file's tiles. */
export function createConvertMeter(now: () => number = () => performance.now() / 1000) {
  let total = 0;
  let existing = 0;
  let done = 0;
  let worked = 0;
  let partial = 0;
  let started: number | null = null;
  return {
    onEvent(event: ConvertEvent) {
      if (event.type === 'convert-started') {
        total = event.total;
        existing = event.existing;
        started = now();
      }
      if (event.type === 'convert-tile') partial = event.done / event.total;
      if (event.type === 'convert-file') {
        done = event.done;
        partial = 0;
        if (!(event.status === 'skipped' && event.reason === 'the output exists')) worked++;
      }
    },
    get done() {
      return done;
    },
    get total() {
      return total;
    },
    /** Images per second over this session's work. */
    rate(): number | null {
      if (started === null || worked === 0) return null;
      return worked / Math.max(1e-9, now() - started);
    },
    etaSeconds(): number | null {
      if (started === null) return null;
      const units = worked + partial;
      const remaining = total - existing - worked - partial;
      if (units <= 0) return null;
      return ((now() - started) / units) * Math.max(0, remaining);
    },
  };
}

function bar(done: number, total: number, width = 24): string {
  const filled = total === 0 ? width : Math.round((done / total) * width);
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}]`;
}

export async function followConvert(handle: FollowedConversion, json: boolean): Promise<ConvertOutcome> {
  const meter = createConvertMeter();
  const tty = process.stderr.isTTY === true;
  const failures: string[] = [];
  handle.onEvent((event) => {
    meter.onEvent(event);
    if (json) {
      process.stdout.write(`${JSON.stringify(event)}\n`);
      return;
    }
    if (event.type === 'convert-started') {
      process.stderr.write(
        `Converting ${event.total} images with step ${event.step} on ${conversionEngineWords(event)}${event.existing > 0 ? ` (${event.existing} done already, skipped)` : ''}.\n`,
      );
      if (event.engine === 'tfjs' && event.engineNote) process.stderr.write(`${event.engineNote}\n`);
      if (event.note) process.stderr.write(`${event.note}\n`);
      return;
    }
    if (event.type === 'convert-file' && event.status === 'failed') {
      failures.push(`${event.input}: ${event.reason}`);
      process.stderr.write(`${tty ? '\r\x1b[K' : ''}failed ${event.input}: ${event.reason}\n`);
    }
    if (event.type === 'convert-file' || event.type === 'convert-tile') {
      const rate = meter.rate();
      const line = `${bar(meter.done, meter.total)} ${meter.done}/${meter.total} · ${rate === null ? '—' : rate.toFixed(2)} img/s · ETA ${formatDuration(meter.etaSeconds())}`;
      if (tty)
        process.stderr.write(
          `\r\x1b[K${line}${event.type === 'convert-tile' ? ` · ${event.input} ${event.unit === 'inversion steps' ? 'inversion step' : 'tile'} ${event.done}/${event.total}` : ''}`,
        );
      else if (event.type === 'convert-file') process.stderr.write(`${line}\n`);
      if (event.type === 'convert-file' && event.reconstructionError !== undefined)
        process.stderr.write(
          `${tty ? '\r\x1b[K' : ''}${event.input}: reconstruction error ${event.reconstructionError.toFixed(4)}\n`,
        );
    }
  });
  let interrupts = 0;
  const onInterrupt = () => {
    interrupts++;
    if (interrupts === 1) {
      process.stderr.write(
        '\nCancelling after the current tile; finished outputs stay (Ctrl-C again to leave at once)...\n',
      );
      handle.cancel();
    } else {
      process.stderr.write('\nLeft at once; `--skip-existing` resumes where this stopped.\n');
      handle.abandon();
      process.exit(130);
    }
  };
  process.on('SIGINT', onInterrupt);
  const outcome = await handle.done;
  process.off('SIGINT', onInterrupt);
  const summary = {
    type: 'summary',
    conversionId: handle.conversionId,
    status: outcome.status,
    converted: outcome.converted,
    skipped: outcome.skipped,
    failed: outcome.failed,
    outDir: handle.outDir,
    error: outcome.error,
  };
  if (json) process.stdout.write(`${JSON.stringify(summary)}\n`);
  else {
    if (tty) process.stderr.write('\n');
    if (outcome.status === 'failed') process.stderr.write(`The conversion failed: ${outcome.error}\n`);
    // A batch that stopped itself (the disk is full) says why instead of "Cancelled".
    const stoppedItself = outcome.status === 'stopped' && outcome.error;
    if (stoppedItself) process.stderr.write(`${outcome.error}\n`);
    process.stderr.write(
      `${outcome.status === 'stopped' ? (stoppedItself ? 'Stopped' : 'Cancelled') : 'Done'}: ${outcome.converted} converted, ${outcome.skipped} skipped, ${outcome.failed} failed → ${handle.outDir}\n`,
    );
    if (outcome.status === 'stopped' && !stoppedItself)
      process.stderr.write('Run the same command with --skip-existing to convert the rest.\n');
  }
  return outcome;
}

/** 0: all converted; 2: some files failed; 130: cancelled; 1: the conversion failed. */
export function exitCodeOf(outcome: ConvertOutcome): number {
  if (outcome.status === 'failed') return 1;
  if (outcome.status === 'stopped') return 130;
  return outcome.failed > 0 ? 2 : 0;
}
