// The README.md written beside an ONNX export: what it is, its input and output, and how to run it
// with onnxruntime (Python and Node).
import type { ExportInfo } from './readme.ts';

export function onnxReadme(info: ExportInfo & { sizeMultiple: number; model: string }): string {
  const from = info.direction === 'AtoB' ? 'A' : 'B';
  const to = info.direction === 'AtoB' ? 'B' : 'A';
  const trained = info.trainedSize
    ? ` It was trained on ${info.trainedSize}×${info.trainedSize} crops and translates best near that scale.`
    : '';
  const label = info.model === 'cut' ? 'CUT' : 'CycleGAN';
  const m = info.sizeMultiple;
  return `# Diptych generator (ONNX): domain ${from} → domain ${to}

Exported by Diptych from ${info.runId ? `run \`${info.runId}\`, ` : ''}checkpoint step ${info.step}
(${label} generator \`${info.netG}\`, direction ${info.direction}).${trained}

File: \`model.onnx\` (ONNX opset 17, float32; the weights are inside). Its metadata
(\`layout\`, \`value_range\`, \`size_multiple\`, \`direction\`, \`step\`, \`run_id\`, \`model\`, \`net_g\`) say the same as this file.

## Input and output

- Input \`input\`: a float32 tensor \`[batch, 3, height, width]\` (**NCHW**, RGB) with values in **[-1, 1]**
  (pixel / 127.5 − 1).
- Height and width must be **multiples of ${m}** (pad or resize first); any size works otherwise
  (the network is fully convolutional; height and width are dynamic axes).
- Output \`output\`: the same shape, values in [-1, 1]: (value + 1) × 127.5 gives 0–255 pixels.

## Python (onnxruntime)

\`\`\`python
import numpy as np, onnxruntime as ort
from PIL import Image

session = ort.InferenceSession("model.onnx", providers=["CPUExecutionProvider"])
m = ${m}
image = Image.open("photo.jpg").convert("RGB")
w, h = image.size
image = image.resize((max(m, round(w / m) * m), max(m, round(h / m) * m)))
x = np.asarray(image, dtype=np.float32).transpose(2, 0, 1)[None] / 127.5 - 1
(y,) = session.run(["output"], {"input": x})
Image.fromarray(((y[0].transpose(1, 2, 0) + 1) * 127.5).clip(0, 255).astype(np.uint8)).save("translated.png")
\`\`\`

## Node (onnxruntime-node)

\`\`\`js
import * as ort from 'onnxruntime-node';

const session = await ort.InferenceSession.create('model.onnx');
// data: a Float32Array of 3·H·W values in [-1, 1], channel by channel (NCHW); H and W multiples of ${m}
const { output } = await session.run({ input: new ort.Tensor('float32', data, [1, 3, H, W]) });
// output.data: the same layout and range
\`\`\`
`;
}
