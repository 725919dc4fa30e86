// What New run's "Known relation" means when left empty: the host then recognises Diptych's
// sample folders by itself (src/main/jobs/sample-relation.ts), so the form says "Automatic" and,
// once both previews are in, what it recognised — rather than the preset's bare "None".
import type { DatasetPreview } from '../../shared/contract.ts';

/** A default the host decides from the data, shown as "Automatic (…)" rather than "… · preset". */
export interface AutomaticDefault {
  automatic: string;
}

export function isAutomaticDefault(value: unknown): value is AutomaticDefault {
  return typeof value === 'object' && value !== null && typeof (value as AutomaticDefault).automatic === 'string';
}

const parts = (folder: string) => folder.split(/[\\/]+/).filter(Boolean);

/** The relation the host will recognise for folders A and B, from their previews; null: none. */
export function recognisedRelation(
  a: DatasetPreview | null | undefined,
  b: DatasetPreview | null | undefined,
): 'negative' | 'palette' | null {
  if (!a?.sampleRelation || a.sampleRelation !== b?.sampleRelation) return null;
  const pa = parts(a.folder);
  const pb = parts(b.folder);
  const sameSet = pa.length === pb.length && pa.slice(0, -1).join('/') === pb.slice(0, -1).join('/');
  return sameSet && pa.at(-1) === 'A' && pb.at(-1) === 'B' ? a.sampleRelation : null;
}

/** The relation field's default as the form shows it. */
export function relationDefault(
  a: DatasetPreview | null | undefined,
  b: DatasetPreview | null | undefined,
): AutomaticDefault {
  const relation = recognisedRelation(a, b);
  return {
    automatic: relation
      ? `recognised: ${relation === 'negative' ? 'negative' : 'palette rotation'}`
      : 'sample folders are recognised',
  };
}
