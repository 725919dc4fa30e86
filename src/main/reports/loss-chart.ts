// Loss curves as a PNG, for headless runs (the demo, a remote box): Vega-Lite draws the chart as
// SVG without a browser, sharp (librsvg) rasterises it. The UI draws its own live charts.
import sharp from 'sharp';
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { writeFileAtomic } from '../../node/atomic.ts';
import type { MetricSeries } from '../../shared/contract.ts';

export async function renderLossChartPng(series: MetricSeries[], title: string, file: string): Promise<void> {
  const values = series.flatMap((s) =>
    s.steps.map((step, i) => ({ step, loss: s.loss, value: s.values[i] })).filter((p) => p.value !== null),
  );
  if (values.length === 0) throw new Error('There are no losses to draw yet.');
  const spec: TopLevelSpec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title,
    background: 'white',
    width: 720,
    height: 360,
    data: { values },
    mark: { type: 'line', strokeWidth: 1.5 },
    encoding: {
      x: { field: 'step', type: 'quantitative', title: 'step' },
      y: { field: 'value', type: 'quantitative', title: 'loss', scale: { type: 'symlog' } },
      color: { field: 'loss', type: 'nominal', title: null },
    },
  };
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' });
  const svg = await view.toSVG(2);
  view.finalize();
  await writeFileAtomic(file, await sharp(Buffer.from(svg)).png().toBuffer());
}
