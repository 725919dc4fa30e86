// The bench report's merge for `--only` runs: the cases run replace their rows (and the profile when
// they made one); the others keep their earlier rows, in the cases' order.
import { describe, expect, it } from 'vitest';
import {
  type BenchResult,
  generatedBlock,
  mergeReport,
  renderReport,
  replaceGeneratedBlock,
} from '../../bench/report.ts';

const machine = { date: '2026-11-22', cpu: 'CPU × 2', memory_gib: 24, os: 'Linux', node: 'v24', pytorch: '1.13' };
const result = (name: string, ms: number, profile?: BenchResult['profile']): BenchResult => ({
  case: name,
  description: name,
  backend: 'wasm',
  device: 'cpu',
  diptych_ms: ms,
  min_ms: ms,
  images_per_s: 1,
  pytorch_ms: 100,
  ratio: ms / 100,
  peak_rss_mb: 10,
  tensors_flat: true,
  ...(profile ? { profile } : {}),
});
const order = ['a', 'b', 'c'];

describe('mergeReport', () => {
  const full = renderReport(
    [result('a', 300, [{ kernel: 'Conv2D', ms: 9, calls: 3 }]), result('b', 400), result('c', 500)],
    machine,
  );
  const doc = replaceGeneratedBlock('# Performance\n\nprose before\n', full);

  it('replaces the rows of the cases run and keeps the others and their order', () => {
    const merged = mergeReport(generatedBlock(doc), [result('b', 222)], machine, order);
    const rows = merged.split('\n').filter((l) => /^\| [abc] \|/.test(l));
    expect(rows.map((l) => l.split(' | ')[2])).toEqual(['300', '222', '500']);
    expect(merged).toContain('This run measured b');
    // b made no profile: a's earlier profile stays.
    expect(merged).toContain('| Conv2D | 9 |');
  });

  it('takes the new profile when the run made one, and starts from nothing without a previous block', () => {
    const merged = mergeReport(
      generatedBlock(doc),
      [result('a', 111, [{ kernel: 'Add', ms: 5, calls: 2 }])],
      machine,
      order,
    );
    expect(merged).toContain('| Add | 5 |');
    expect(merged).not.toContain('| Conv2D |');
    const alone = mergeReport(null, [result('c', 7)], machine, order);
    expect(alone.split('\n').filter((l) => /^\| [abc] \|/.test(l))).toHaveLength(1);
    expect(replaceGeneratedBlock(doc, merged)).toContain('prose before');
  });
});

describe('renderReport', () => {
  it('says how many threads a wasm case ran with', () => {
    const row = (device: string) => ({ ...result('a', 1), device });
    const report = renderReport(
      [row('AMD EPYC (2 cores), wasm SIMD, 1 thread (small networks), 7 Diptych kernels')],
      machine,
    );
    expect(report).toContain('| a | wasm, 1 thread |');
    expect(renderReport([row('CPU, wasm SIMD, 2 threads (one per core), 7 Diptych kernels')], machine)).toContain(
      '| a | wasm, 2 threads |',
    );
    expect(renderReport([row('cpu')], machine)).toContain('| a | wasm |');
  });
});

describe('a conversion row', () => {
  it('names ONNX Runtime, its provider and threads as its backend; a tfjs row keeps the tfjs backend', () => {
    const onnx = { ...result('a', 800), engine: 'onnx', engine_note: 'ONNX Runtime 1.30.0, CPU, 2 threads' };
    const tfjs = { ...result('b', 5000), engine: 'tfjs' };
    const rows = renderReport([onnx, tfjs], machine)
      .split('\n')
      .filter((l) => /^\| [ab] \|/.test(l));
    expect(rows.map((l) => l.split(' | ')[1])).toEqual(['onnx, CPU, 2 threads', 'wasm']);
  });
});
