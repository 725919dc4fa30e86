// Ground-truth numbers as words, for every place that prints them: the CLI (demo, train) and the
// Run screen. dB are PSNR against the truth: higher is closer.
import { BASELINE_LABELS, type TruthReport } from './truth.ts';

/** "21.3 dB" */
export function formatDb(value: number): string {
  return `${value.toFixed(1)} dB`;
}

/** "+1.8 dB" or "−0.4 dB" (a real minus sign); a change that rounds to nothing reads "±0.0 dB". */
export function formatGain(value: number): string {
  const rounded = Math.round(value * 10) / 10;
  if (rounded === 0) return '±0.0 dB';
  return `${rounded > 0 ? '+' : '−'}${Math.abs(rounded).toFixed(1)} dB`;
}

/** One line for a report: the model, the best trivial answer, and the difference. */
export function describeTruthReport(report: TruthReport): string {
  const best = report.baselines[report.best];
  return `step ${report.step}: PSNR ${formatDb(report.model.psnr)} (higher is closer), SSIM ${report.model.ssim.toFixed(2)}; best trivial answer, ${BASELINE_LABELS[report.best]}: ${formatDb(best.psnr)}; the model ${report.gainDb > 0 ? 'beats it by' : 'is behind it by'} ${formatGain(report.gainDb)}`;
}

/** The demo's closing lines: before and after, every baseline, and the verdict. */
export function describeTruthChange(before: TruthReport, after: TruthReport): string[] {
  const lines = [
    `How close fake_B comes to the truth on ${after.images} sample A images (PSNR, higher is closer; SSIM, 1 is identical structure):`,
    `  before training (step ${before.step}): ${formatDb(before.model.psnr)}, SSIM ${before.model.ssim.toFixed(2)}`,
    `  after training  (step ${after.step}): ${formatDb(after.model.psnr)}, SSIM ${after.model.ssim.toFixed(2)}`,
  ];
  for (const [name, scores] of Object.entries(after.baselines) as [
    keyof typeof BASELINE_LABELS,
    { psnr: number; ssim: number },
  ][])
    lines.push(`  trivial answer, ${BASELINE_LABELS[name]}: ${formatDb(scores.psnr)}, SSIM ${scores.ssim.toFixed(2)}`);
  lines.push(
    after.gainDb > 0
      ? `The model beats the best trivial answer (${BASELINE_LABELS[after.best]}) by ${formatGain(after.gainDb)}.`
      : `The model does not yet beat the best trivial answer (${BASELINE_LABELS[after.best]}): ${formatGain(after.gainDb)}. Train longer (--minutes) or resume the run.`,
  );
  return lines;
}
