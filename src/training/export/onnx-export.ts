// Exports one generator as an ONNX model: OUT/model.onnx (graph and weights in one file, with the
// facts a user needs as metadata props) and OUT/README.md. Each file is written under a temporary
// name and renamed, the README first and model.onnx last.
import path from 'node:path';
import { writeFileAtomic } from '../../node/atomic.ts';
import type { ParamStore } from '../nn/params.ts';
import { prepareExportFolder } from './export-folder.ts';
import { ONNX_OPSET } from './onnx-builder.ts';
import { buildOnnxGenerator, ONNX_INPUT, ONNX_OUTPUT } from './onnx-generator.ts';
import { onnxReadme } from './onnx-readme.ts';
import type { ExportInfo } from './readme.ts';

export const ONNX_MODEL_FILE = 'model.onnx';
export const ONNX_README_FILE = 'README.md';
const OWN_FILES = new Set([ONNX_MODEL_FILE, ONNX_README_FILE]);

export interface OnnxExportInfo extends ExportInfo {
  /** The checkpoint's model: 'cyclegan' or 'cut'. */
  model?: string | undefined;
}

export interface OnnxExportResult {
  folder: string;
  files: string[];
  bytes: number;
  sizeMultiple: number;
}

/** The metadata props written into model.onnx. */
export function onnxMetadata(info: OnnxExportInfo, sizeMultiple: number): Record<string, string> {
  return {
    layout: 'NCHW',
    value_range: '[-1, 1]',
    size_multiple: String(sizeMultiple),
    direction: info.direction,
    step: String(info.step),
    ...(info.runId ? { run_id: info.runId } : {}),
    model: info.model ?? 'cyclegan',
    net_g: info.netG,
    ...(info.trainedSize ? { trained_size: String(info.trainedSize) } : {}),
  };
}

/** Writes the generator in `store` as model.onnx + README.md into `folder`. */
export async function writeOnnxExport(
  store: ParamStore,
  folder: string,
  info: OnnxExportInfo,
): Promise<OnnxExportResult> {
  const target = path.resolve(folder);
  await prepareExportFolder(target, OWN_FILES);
  const generator = await buildOnnxGenerator(store);
  const model = info.model ?? 'cyclegan';
  const bytes = generator.builder.finish({
    graphName: `diptych_${store.name}`,
    input: { name: ONNX_INPUT, channels: generator.channels.in },
    output: { name: ONNX_OUTPUT, channels: generator.channels.out },
    metadata: onnxMetadata(info, generator.sizeMultiple),
    docString: `Diptych ${model} generator ${info.netG}, ${info.direction}, step ${info.step}: NCHW in [-1, 1], sides multiples of ${generator.sizeMultiple}`,
  });
  const readme = onnxReadme({ ...info, model, sizeMultiple: generator.sizeMultiple });
  await writeFileAtomic(path.join(target, ONNX_README_FILE), readme);
  await writeFileAtomic(path.join(target, ONNX_MODEL_FILE), bytes);
  return {
    folder: target,
    files: [ONNX_MODEL_FILE, ONNX_README_FILE].map((name) => path.join(target, name)),
    bytes: bytes.byteLength + Buffer.byteLength(readme),
    sizeMultiple: generator.sizeMultiple,
  };
}

export { ONNX_OPSET };
