// One worker's part of a batch split across N workers (`diptych convert --shard I/N`): a stable
// split of the batch's sorted input list, so N workers started on the same folder — a Kubernetes
// Indexed Job, a Slurm job array — convert every image exactly once between them and each output
// gets the name one whole run would give it (names are resolved over the whole list first).
// Round-robin over the sorted list rather than contiguous ranges: neighbouring files (a video's
// frames, a camera's burst) are alike in size, so each worker gets a similar amount of work.
import type { ConvertInput, ConvertShard } from '../../shared/convert.ts';

/** "I/N" with 0 ≤ I < N (I as Kubernetes' JOB_COMPLETION_INDEX counts), or a message saying what is wrong. */
export function parseShard(text: string): ConvertShard | string {
  const match = /^(\d+)\/(\d+)$/.exec(text.trim());
  if (!match) return `--shard takes I/N (this worker's index I from 0, of N workers), got ${JSON.stringify(text)}`;
  const index = Number(match[1]);
  const count = Number(match[2]);
  if (count < 1) return '--shard I/N needs at least one worker (N ≥ 1)';
  if (index >= count) return `--shard ${index}/${count}: the index counts from 0, so it must be below ${count}`;
  return { index, count };
}

/** The inputs of one shard, in the batch's own order: those whose rank in the sorted list is I modulo N. */
export function inputsOfShard(inputs: readonly ConvertInput[], shard: ConvertShard): ConvertInput[] {
  const sorted = [...inputs].sort((a, b) => (a.input < b.input ? -1 : a.input > b.input ? 1 : 0));
  const mine = new Set(sorted.filter((_, rank) => rank % shard.count === shard.index));
  return inputs.filter((input) => mine.has(input));
}
