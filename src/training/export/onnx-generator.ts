// Diptych's generators (src/training/models: the ResNet and the U-Net) as an ONNX graph in NCHW,
// layer for layer as generator-graph.ts writes them for TensorFlow.js: reflection padding as Pad
// (mode reflect), the norm as InstanceNormalization (scale 1, bias 0, ε 1e-5), transposed convs as
// ConvTranspose with PyTorch's padding and output_padding. The architecture is read from the
// parameters' names and shapes; tests/training/export/onnx-export.test.ts checks the output
// against the engine's own forward pass in onnxruntime.
import type * as tf from '@tensorflow/tfjs-core';
import type { ParamStore } from '../nn/params.ts';
import { OnnxGraphBuilder, type OnnxRef } from './onnx-builder.ts';

/** nn/layers.ts's instance norm epsilon. */
export const INSTANCE_NORM_EPSILON = 1e-5;
const LEAKY_SLOPE = 0.2;
export const ONNX_INPUT = 'input';
export const ONNX_OUTPUT = 'output';

/**
 * How the graph normalises. standard: InstanceNormalization (the exported file). capture: the same
 * arithmetic in plain ops, and each norm's per-channel mean and variance are extra outputs
 * (`norm<i>_mean`, `norm<i>_variance`, [N, C, 1, 1]). replay: each norm takes its mean and inverse
 * standard deviation as extra inputs (`norm<i>_mean`, `norm<i>_inverse_std`, [1, C, 1, 1]) instead
 * of computing them — how the tiles of one large image are normalised alike in ONNX Runtime
 * (inference/onnx-translator.ts; the tfjs path does the same with a hook, norm-statistics.ts).
 */
export type OnnxNormMode = 'standard' | 'capture' | 'replay';

export interface OnnxGenerator {
  builder: OnnxGraphBuilder;
  kind: 'resnet' | 'unet';
  sizeMultiple: number;
  channels: { in: number; out: number };
  /** Each norm's channel count, in the order the forward pass runs them (capture / replay tensors). */
  norms: number[];
}

export const normMeanName = (index: number) => `norm${index}_mean`;
export const normVarianceName = (index: number) => `norm${index}_variance`;
export const normInverseStdName = (index: number) => `norm${index}_inverse_std`;

type Param = { shape: number[]; data: Float32Array };

async function readParams(store: ParamStore): Promise<Map<string, Param>> {
  const values = new Map<string, Param>();
  const prefix = `${store.name}/`;
  for (const [name, variable] of store.variables) {
    const key = name.startsWith(prefix) ? name.slice(prefix.length) : name;
    values.set(key, { shape: [...variable.shape], data: Float32Array.from(await (variable as tf.Tensor).data()) });
  }
  return values;
}

/** [a, b, c, d] → [d, c, a, b]: TF.js HWIO (or a transposed conv's [k, k, out, in]) to ONNX's layout. */
function toOnnxKernel({ shape, data }: Param): Param {
  const [h, w, c, d] = shape as [number, number, number, number];
  const out = new Float32Array(data.length);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++)
      for (let i = 0; i < c; i++)
        for (let o = 0; o < d; o++) out[((o * c + i) * h + y) * w + x] = data[((y * w + x) * c + i) * d + o] as number;
  return { shape: [d, c, h, w], data: out };
}

interface Ops {
  conv(key: string, x: OnnxRef, stride: number, pad: number): OnnxRef;
  convTranspose(key: string, x: OnnxRef, pad: number, outputPad: number): OnnxRef;
  /** Instance norm of the output of the layer `key` (its channels are that layer's). */
  norm(key: string, x: OnnxRef): OnnxRef;
}

export async function buildOnnxGenerator(store: ParamStore, mode: OnnxNormMode = 'standard'): Promise<OnnxGenerator> {
  const params = await readParams(store);
  const g = new OnnxGraphBuilder();
  const norms: number[] = [];
  const param = (key: string): Param => {
    const value = params.get(key);
    if (!value) throw new Error(`generator ${store.name} has no parameter ${key}: it is not a Diptych generator`);
    return value;
  };
  const weights = (key: string) => {
    const kernel = toOnnxKernel(param(`${key}/kernel`));
    const bias = param(`${key}/bias`);
    return {
      kernel: g.constant(`${key}/kernel`, kernel.data, kernel.shape),
      bias: g.constant(`${key}/bias`, bias.data, bias.shape),
      size: kernel.shape[2] as number,
    };
  };
  const ops: Ops = {
    conv: (key, x, stride, pad) => {
      const w = weights(key);
      return g.conv(key, x, w.kernel, w.bias, w.size, stride, pad);
    },
    convTranspose: (key, x, pad, outputPad) => {
      const w = weights(key);
      return g.convTranspose(key, x, w.kernel, w.bias, w.size, 2, pad, outputPad);
    },
    norm: (key, x) => {
      const channels = param(`${key}/bias`).shape[0] as number;
      const index = norms.push(channels) - 1;
      if (mode === 'standard') return g.instanceNorm(key, x, channels, INSTANCE_NORM_EPSILON);
      if (mode === 'replay')
        return g.normaliseWith(
          key,
          x,
          g.input(normMeanName(index), [1, channels, 1, 1]),
          g.input(normInverseStdName(index), [1, channels, 1, 1]),
        );
      const { output, mean, variance } = g.instanceNormExplicit(key, x, INSTANCE_NORM_EPSILON);
      g.output(mean, normMeanName(index), ['batch', channels, 1, 1]);
      g.output(variance, normVarianceName(index), ['batch', channels, 1, 1]);
      return output;
    },
  };

  const stem = params.get('stem/kernel');
  const unetOuter = params.get('down0/kernel');
  if (stem) {
    const inC = stem.shape[2] as number;
    const outC = param('head/kernel').shape[3] as number;
    resnet(g, params, ops);
    return { builder: g, kind: 'resnet', sizeMultiple: 4, channels: { in: inC, out: outC }, norms };
  }
  if (unetOuter) {
    let downs = 0;
    while (params.has(`down${downs}/kernel`)) downs++;
    const inC = unetOuter.shape[2] as number;
    const outC = param('up0/kernel').shape[2] as number;
    unet(g, downs, ops);
    return { builder: g, kind: 'unet', sizeMultiple: 2 ** downs, channels: { in: inC, out: outC }, norms };
  }
  throw new Error(`network ${store.name} is neither a ResNet nor a U-Net generator; only generators can be exported`);
}

/** models/resnet-generator.ts: c7s1-ngf, d2ngf, d4ngf, R×blocks, u2ngf, ungf, c7s1-3, tanh. */
function resnet(g: OnnxGraphBuilder, params: Map<string, unknown>, ops: Ops): void {
  let x = ops.conv('stem', g.reflectPad('stem', ONNX_INPUT, 3), 1, 0);
  x = g.unary('stem', 'Relu', ops.norm('stem', x));
  for (let i = 0; i < 2; i++) x = g.unary(`down${i}`, 'Relu', ops.norm(`down${i}`, ops.conv(`down${i}`, x, 2, 1)));
  for (let i = 0; params.has(`block${i}/conv0/kernel`); i++) {
    const scope = `block${i}`;
    let y = ops.conv(`${scope}/conv0`, g.reflectPad(`${scope}/conv0`, x, 1), 1, 0);
    y = g.unary(`${scope}/conv0`, 'Relu', ops.norm(`${scope}/conv0`, y));
    y = ops.conv(`${scope}/conv1`, g.reflectPad(`${scope}/conv1`, y, 1), 1, 0);
    y = ops.norm(`${scope}/conv1`, y);
    x = g.add(scope, x, y);
  }
  for (let i = 0; i < 2; i++) x = g.unary(`up${i}`, 'Relu', ops.norm(`up${i}`, ops.convTranspose(`up${i}`, x, 1, 1)));
  x = ops.conv('head', g.reflectPad('head', x, 3), 1, 0);
  g.node('head', 'Tanh', [x], [], ONNX_OUTPUT);
}

/** models/unet-generator.ts: nested skip blocks, 4×4 stride-2 convs down and transposed convs up. */
function unet(g: OnnxGraphBuilder, downs: number, ops: Ops): void {
  const block = (level: number, x: OnnxRef): OnnxRef => {
    const innermost = level === downs - 1;
    if (level === 0) {
      const h = ops.conv('down0', x, 2, 1);
      const fromBelow = block(1, h);
      return g.node(
        'up0',
        'Tanh',
        [ops.convTranspose('up0', g.unary('up0', 'Relu', fromBelow), 1, 0)],
        [],
        ONNX_OUTPUT,
      );
    }
    const h = ops.conv(`down${level}`, g.leakyRelu(`down${level}`, x, LEAKY_SLOPE), 2, 1);
    const fromBelow = innermost ? h : block(level + 1, ops.norm(`down${level}`, h));
    const up = ops.convTranspose(`up${level}`, g.unary(`up${level}`, 'Relu', fromBelow), 1, 0);
    return g.concatChannels(`up${level}`, [x, ops.norm(`up${level}`, up)]);
  };
  block(0, ONNX_INPUT);
}
