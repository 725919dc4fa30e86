// Checkpoints as the compare screen's address names them: "RUN:STEP", the CLI's spelling.

export interface ChosenCheckpoint {
  runId: string;
  step: number;
}

/** "RUN:STEP" → the checkpoint, or null for anything else (a hand-edited address). */
export function parseCheckpointRef(text: string): ChosenCheckpoint | null {
  const match = /^([A-Za-z0-9_-]{1,64}):(\d{1,15})$/.exec(text);
  return match?.[1] && match[2] ? { runId: match[1], step: Number(match[2]) } : null;
}

export function checkpointRef(checkpoint: ChosenCheckpoint): string {
  return `${checkpoint.runId}:${checkpoint.step}`;
}

/** The address's checkpoints, each once, at most `max`. */
export function parseCheckpointRefs(texts: string[], max = 4): ChosenCheckpoint[] {
  const seen = new Set<string>();
  const out: ChosenCheckpoint[] = [];
  for (const text of texts) {
    const parsed = parseCheckpointRef(text);
    if (!parsed || seen.has(checkpointRef(parsed)) || out.length >= max) continue;
    seen.add(checkpointRef(parsed));
    out.push(parsed);
  }
  return out;
}

/** A run's checkpoints to compare, from its checkpoint list: the one clicked first, then the newest others. */
export function preselectFrom(runId: string, steps: number[], clicked: number, max = 4): ChosenCheckpoint[] {
  const others = steps.filter((s) => s !== clicked).sort((a, b) => b - a);
  return [clicked, ...others].slice(0, max).map((step) => ({ runId, step }));
}
