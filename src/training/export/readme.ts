// The README.md written beside an exported generator: what it is, and the few lines a web page
// needs to run it (the input and output range and the size multiple are where people go wrong).
import type { Direction } from '../../shared/basics.ts';

export interface ExportInfo {
  /** What was exported, for the README and model.json's metadata. */
  direction: Direction;
  step: number;
  runId?: string | undefined;
  netG: string;
  /** The crop size the network was trained at: the size it translates best. */
  trainedSize?: number | undefined;
}

export function exportReadme(info: ExportInfo & { sizeMultiple: number }): string {
  const from = info.direction === 'AtoB' ? 'A' : 'B';
  const to = info.direction === 'AtoB' ? 'B' : 'A';
  const trained = info.trainedSize
    ? ` It was trained on ${info.trainedSize}×${info.trainedSize} crops and translates best near that scale.`
    : '';
  return `# Diptych generator: domain ${from} → domain ${to}

Exported by Diptych from ${info.runId ? `run \`${info.runId}\`, ` : ''}checkpoint step ${info.step}
(CycleGAN generator \`${info.netG}\`, direction ${info.direction}).${trained}

Files: \`model.json\` (a TensorFlow.js graph model) and \`generator.weights.bin\` (its weights).
Serve both from the same folder; \`model.json\` names the weights file relative to itself.

## Input and output

- Input: a float32 tensor \`[batch, height, width, 3]\` (NHWC, RGB) with values in **[-1, 1]**
  (pixel / 127.5 − 1).
- Height and width must be **multiples of ${info.sizeMultiple}** (pad or resize first); any size works otherwise
  (the network is fully convolutional).
- Output: the same shape, values in [-1, 1]: (value + 1) × 127.5 gives 0–255 pixels.

## In a web page

\`\`\`html
<script src="https://cdn.jsdelivr.net/npm/@tensorflow/tfjs@4/dist/tf.min.js"></script>
<img id="photo" src="photo.jpg"> <canvas id="result"></canvas>
<script>
  (async () => {
    const model = await tf.loadGraphModel('model.json');
    const m = ${info.sizeMultiple};
    const output = tf.tidy(() => {
      const pixels = tf.browser.fromPixels(document.getElementById('photo'));
      const [h, w] = pixels.shape;
      const size = [Math.max(m, Math.round(h / m) * m), Math.max(m, Math.round(w / m) * m)];
      const input = tf.image.resizeBilinear(pixels, size).div(127.5).sub(1).expandDims(0);
      const translated = model.predict(input);
      return translated.squeeze(0).add(1).div(2).clipByValue(0, 1);
    });
    await tf.browser.toPixels(output, document.getElementById('result'));
    output.dispose();
  })();
</script>
\`\`\`

In Node, \`tf.loadGraphModel('file://…/model.json')\` needs \`@tensorflow/tfjs-node\`; with plain
\`@tensorflow/tfjs\`, read the two files and pass them through \`tf.io.fromMemory\`.
`;
}
