// The loss history a chart draws: one shared step axis and a column per loss, built from the
// host's downsampled series and grown by live metrics events. Kept out of Svelte's deep
// reactivity on purpose: thousands of numbers, redrawn at a throttled pace.
import type { MetricSeries } from '../../shared/contract.ts';

/** The paper's order: the A side, then the B side. */
export const PAPER_LOSSES = ['D_A', 'G_A', 'cycle_A', 'idt_A', 'D_B', 'G_B', 'cycle_B', 'idt_B'] as const;

export interface LossTable {
  losses: string[];
  steps: number[];
  columns: Map<string, (number | null)[]>;
  /** Points appended live since the last load from the host. */
  liveCount: number;
}

export function orderLosses(names: Iterable<string>): string[] {
  const set = new Set(names);
  const known = PAPER_LOSSES.filter((name) => set.has(name));
  const others = [...set].filter((name) => !(PAPER_LOSSES as readonly string[]).includes(name)).sort();
  return [...known, ...others];
}

export function emptyTable(losses: string[] = []): LossTable {
  return { losses, steps: [], columns: new Map(losses.map((l) => [l, []])), liveCount: 0 };
}

/** Series may have different steps (a loss recorded only sometimes): they are joined on step. */
export function tableFromSeries(series: MetricSeries[], lossNames: string[] = []): LossTable {
  const losses = orderLosses([...lossNames, ...series.map((s) => s.loss)]);
  const steps = [...new Set(series.flatMap((s) => s.steps))].sort((a, b) => a - b);
  const index = new Map(steps.map((step, i) => [step, i]));
  const columns = new Map<string, (number | null)[]>();
  for (const loss of losses) columns.set(loss, new Array<number | null>(steps.length).fill(null));
  for (const s of series) {
    const column = columns.get(s.loss);
    if (!column) continue;
    s.steps.forEach((step, i) => {
      const at = index.get(step);
      if (at !== undefined) column[at] = s.values[i] ?? null;
    });
  }
  return { losses, steps, columns, liveCount: 0 };
}

/** Appends one step's losses; a step at or before the last one is already drawn and is skipped. */
export function appendPoint(table: LossTable, step: number, losses: Record<string, number>): boolean {
  const last = table.steps.at(-1);
  if (last !== undefined && step <= last) return false;
  for (const name of Object.keys(losses)) {
    if (!table.columns.has(name)) {
      table.columns.set(name, new Array<number | null>(table.steps.length).fill(null));
      table.losses = orderLosses([...table.losses, name]);
    }
  }
  table.steps.push(step);
  for (const [name, column] of table.columns) {
    const value = losses[name];
    column.push(value !== undefined && Number.isFinite(value) ? value : null);
  }
  table.liveCount++;
  return true;
}

/**
 * TensorBoard's smoothing: an exponential moving average with its start-up bias removed, so
 * the first points are not dragged towards zero. Gaps stay gaps.
 */
export function smooth(values: (number | null)[], weight: number): (number | null)[] {
  if (weight <= 0) return values;
  let last = 0;
  let count = 0;
  return values.map((value) => {
    if (value === null || !Number.isFinite(value)) return null;
    last = last * weight + (1 - weight) * value;
    count++;
    return last / (1 - weight ** count);
  });
}

/** Log scales cannot show zero or negative values (a WGAN critic's loss): those become gaps. */
export function positiveOnly(values: (number | null)[]): (number | null)[] {
  return values.map((value) => (value !== null && value > 0 ? value : null));
}
