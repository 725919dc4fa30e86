// Follows a training job in a terminal: a one-line progress display with ETA (or JSON lines of
// the engine's events with --json), Ctrl-C for a clean stop with a checkpoint, a second Ctrl-C
// to leave at once (the run is then marked interrupted and can be resumed).
import type { EngineToHost } from '../../shared/engine-protocol.ts';
import { describeTruthReport } from '../../shared/truth-text.ts';
import type { JobOutcome } from '../jobs/training.ts';
import type { FollowedTraining } from './api.ts';

function duration(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds)) return '—';
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  return h > 0 ? `${h}h${String(m).padStart(2, '0')}m` : `${m}m${String(s % 60).padStart(2, '0')}s`;
}

function describe(event: EngineToHost, losses: Record<string, number>): string | null {
  switch (event.type) {
    case 'started':
      return `Training on ${event.backend.name} (${event.backend.device}); ${event.totalSteps} steps, ${event.epochLength} per epoch${event.startStep > 0 ? `, resuming at step ${event.startStep}` : ''}.${event.note ? `\n${event.note}` : ''}`;
    case 'progress': {
      const shown = Object.entries(losses)
        .map(([name, value]) => `${name} ${value.toFixed(3)}`)
        .join(' ');
      return `\rstep ${event.step}/${event.totalSteps} · epoch ${event.epoch + 1} · ${event.imagesPerSecond.toFixed(2)} img/s · ETA ${duration(event.etaSeconds)} · lr ${event.learningRate.toExponential(1)} · ${shown}`;
    }
    case 'checkpoint':
      return `\ncheckpoint at step ${event.step}: ${event.path}`;
    case 'truth':
      return `\nagainst the ground truth at ${describeTruthReport(event.report)}`;
    case 'skipped':
      return `\nskipped ${event.file}: ${event.reason}`;
    case 'paused':
      return `\n${event.message}`;
    case 'finished':
      return `\nTraining ${event.status} at step ${event.step}.`;
    case 'log':
      return event.level === 'info' ? null : `\n${event.level}: ${event.message}`;
    case 'fatal':
      return `\nThe engine failed: ${event.message}`;
    default:
      return null;
  }
}

export async function followJob(handle: FollowedTraining, json: boolean): Promise<JobOutcome> {
  let losses: Record<string, number> = {};
  handle.onEvent((event) => {
    // Nobody at a terminal resumes a run the NaN guard paused: stop it (its checkpoint is the rolled-back
    // state) instead of waiting forever; the text output says how to go on.
    if (event.type === 'paused' && event.reason === 'non-finite-loss') handle.stop();
    if (json) {
      process.stdout.write(`${JSON.stringify(event)}\n`);
      return;
    }
    if (event.type === 'metrics') losses = event.losses;
    if (event.type === 'paused' && event.reason === 'non-finite-loss') {
      process.stderr.write(
        `\n${event.message}\nStopping the run here; \`diptych resume ${handle.runId} --lr <a lower rate>\` continues from that checkpoint.\n`,
      );
      return;
    }
    const line = describe(event, losses);
    if (line)
      process.stderr.write(
        event.type === 'progress' && !process.stderr.isTTY
          ? `${line.slice(1)}\n`
          : line.startsWith('\r')
            ? line
            : `${line}\n`,
      );
  });
  let interrupts = 0;
  const onInterrupt = () => {
    interrupts++;
    if (interrupts === 1) {
      process.stderr.write('\nStopping after this step, with a checkpoint (Ctrl-C again to leave at once)...\n');
      handle.stop();
    } else {
      process.stderr.write(
        `\nLeft without a final checkpoint; \`diptych resume ${handle.runId}\` continues from the last one.\n`,
      );
      process.exit(130);
    }
  };
  process.on('SIGINT', onInterrupt);
  const { outcome, error } = await handle.done;
  process.off('SIGINT', onInterrupt);
  if (!json) {
    if (outcome === 'failed') process.stderr.write(`\nRun ${handle.runId} failed: ${error}\n`);
    else process.stderr.write(`Run ${handle.runId}: ${handle.runDir}\n`);
  }
  return outcome;
}
