// The seam where a CoGAN checkpoint's pixel agreement enters a comparison. CoGAN translation itself
// needs nothing here: it comes through the Translator interface (latent inversion), once a CoGAN
// translator loader is registered with src/training/inference. The agreement needs the coupled
// generators and the run's domain relation, which the CoGAN code owns.
import type { CheckpointScores } from '../../shared/compare.ts';

export type AgreementReader = (checkpointDir: string) => Promise<CheckpointScores['agreement']>;

let reader: AgreementReader | null = null;

/** The CoGAN code registers how to measure a checkpoint's agreement. */
export function registerAgreementReader(read: AgreementReader): void {
  reader = read;
}

/** The agreement of a CoGAN checkpoint, or null while no reader is registered or no relation is known. */
export async function coganAgreementFor(checkpointDir: string): Promise<CheckpointScores['agreement']> {
  return reader ? reader(checkpointDir) : null;
}
