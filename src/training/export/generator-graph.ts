// Diptych's generators (src/training/models: the ResNet and the U-Net) written out as graph ops,
// layer for layer as their forward functions compute them, with the parameters as constants. The
// architecture is read from the parameters themselves (names and shapes), so an export always
// fits its weights; tests/training/export checks the graph's output against the engine's own.
import type * as tf from '@tensorflow/tfjs-core';
import type { ParamStore } from '../nn/params.ts';
import { GraphBuilder, type Ref } from './graph-builder.ts';

const INSTANCE_NORM_EPSILON = 1e-5;
const LEAKY_SLOPE = 0.2;

export type GeneratorKind = 'resnet' | 'unet';

export interface GeneratorGraph {
  builder: GraphBuilder;
  input: Ref;
  output: Ref;
  kind: GeneratorKind;
  /** Height and width must be multiples of this. */
  sizeMultiple: number;
  channels: { in: number; out: number };
}

/** The parameter values of a store by their key inside the network (`stem/kernel`), read once. */
async function readParams(store: ParamStore): Promise<Map<string, { shape: number[]; data: Float32Array }>> {
  const values = new Map<string, { shape: number[]; data: Float32Array }>();
  const prefix = `${store.name}/`;
  for (const [name, variable] of store.variables) {
    const key = name.startsWith(prefix) ? name.slice(prefix.length) : name;
    values.set(key, { shape: [...variable.shape], data: Float32Array.from(await (variable as tf.Tensor).data()) });
  }
  return values;
}

export async function buildGeneratorGraph(store: ParamStore): Promise<GeneratorGraph> {
  const params = await readParams(store);
  const g = new GraphBuilder();
  const param = (key: string) => {
    const value = params.get(key);
    if (!value) throw new Error(`generator ${store.name} has no parameter ${key}: it is not a Diptych generator`);
    return value;
  };
  const constant = (key: string): Ref => {
    const { data, shape } = param(key);
    return g.constant(key, data, shape);
  };
  const conv = (key: string, x: Ref, stride: number, pad: number): Ref =>
    g.binary(key, 'AddV2', g.conv2d(key, x, constant(`${key}/kernel`), stride, pad), constant(`${key}/bias`));
  /** PyTorch's ConvTranspose2d(k, stride 2, padding p, output_padding op), as nn/layers.ts computes it. */
  const convTranspose = (key: string, x: Ref, pad: number, outputPad: number): Ref => {
    const [k, , cout] = param(`${key}/kernel`).shape as [number, number, number, number];
    const y = g.conv2dTransposeStride2(key, x, constant(`${key}/kernel`), pad, k - 2 - 2 * pad + outputPad, cout);
    return g.binary(key, 'AddV2', y, constant(`${key}/bias`));
  };
  /** tf.moments then (x − mean) / sqrt(variance + ε), the ops of nn/layers.ts's instanceNorm. */
  const instanceNorm = (scope: string, x: Ref): Ref => {
    const mean = g.mean(`${scope}/norm`, x, [1, 2]);
    const variance = g.mean(`${scope}/norm`, g.binary(`${scope}/norm`, 'SquaredDifference', x, mean), [1, 2]);
    const std = g.unary(
      `${scope}/norm`,
      'Sqrt',
      g.binary(`${scope}/norm`, 'AddV2', variance, g.scalar(`${scope}/norm/epsilon`, INSTANCE_NORM_EPSILON)),
    );
    return g.binary(`${scope}/norm`, 'RealDiv', g.binary(`${scope}/norm`, 'Sub', x, mean), std);
  };

  const stem = params.get('stem/kernel');
  const unetOuter = params.get('down0/kernel');
  if (stem) {
    const input = g.placeholder('image', stem.shape[2] as number);
    const output = resnet(g, input, params, { conv, convTranspose, instanceNorm });
    const out = (params.get('head/kernel')?.shape[3] ?? 3) as number;
    return {
      builder: g,
      input,
      output: g.identity('translated', output),
      kind: 'resnet',
      sizeMultiple: 4,
      channels: { in: stem.shape[2] as number, out },
    };
  }
  if (unetOuter) {
    let downs = 0;
    while (params.has(`down${downs}/kernel`)) downs++;
    const inC = unetOuter.shape[2] as number;
    const input = g.placeholder('image', inC);
    const outC = param('up0/kernel').shape[2] as number;
    const output = unet(g, input, downs, { conv, convTranspose, instanceNorm });
    return {
      builder: g,
      input,
      output: g.identity('translated', output),
      kind: 'unet',
      sizeMultiple: 2 ** downs,
      channels: { in: inC, out: outC },
    };
  }
  throw new Error(`network ${store.name} is neither a ResNet nor a U-Net generator; only generators can be exported`);
}

interface Ops {
  conv(key: string, x: Ref, stride: number, pad: number): Ref;
  convTranspose(key: string, x: Ref, pad: number, outputPad: number): Ref;
  instanceNorm(scope: string, x: Ref): Ref;
}

/** models/resnet-generator.ts: c7s1-ngf, d2ngf, d4ngf, R×blocks, u2ngf, ungf, c7s1-3, tanh. */
function resnet(g: GraphBuilder, input: Ref, params: Map<string, unknown>, ops: Ops): Ref {
  let x = ops.conv('stem', g.mirrorPadReflect('stem', input, 3), 1, 0);
  x = g.unary('stem', 'Relu', ops.instanceNorm('stem', x));
  for (let i = 0; i < 2; i++)
    x = g.unary(`down${i}`, 'Relu', ops.instanceNorm(`down${i}`, ops.conv(`down${i}`, x, 2, 1)));
  for (let i = 0; params.has(`block${i}/conv0/kernel`); i++) {
    const scope = `block${i}`;
    let y = ops.conv(`${scope}/conv0`, g.mirrorPadReflect(`${scope}/conv0`, x, 1), 1, 0);
    y = g.unary(`${scope}/conv0`, 'Relu', ops.instanceNorm(`${scope}/conv0`, y));
    y = ops.conv(`${scope}/conv1`, g.mirrorPadReflect(`${scope}/conv1`, y, 1), 1, 0);
    y = ops.instanceNorm(`${scope}/conv1`, y);
    x = g.binary(scope, 'AddV2', x, y);
  }
  for (let i = 0; i < 2; i++)
    x = g.unary(`up${i}`, 'Relu', ops.instanceNorm(`up${i}`, ops.convTranspose(`up${i}`, x, 1, 1)));
  x = ops.conv('head', g.mirrorPadReflect('head', x, 3), 1, 0);
  return g.unary('head', 'Tanh', x);
}

/** models/unet-generator.ts: nested skip blocks, 4×4 stride-2 convs down and transposed convs up. */
function unet(g: GraphBuilder, input: Ref, downs: number, ops: Ops): Ref {
  const block = (level: number, x: Ref): Ref => {
    const innermost = level === downs - 1;
    if (level === 0) {
      const h = ops.conv('down0', x, 2, 1);
      const fromBelow = block(1, h);
      return g.unary('up0', 'Tanh', ops.convTranspose('up0', g.unary('up0', 'Relu', fromBelow), 1, 0));
    }
    const h = ops.conv(`down${level}`, g.leakyRelu(`down${level}`, x, LEAKY_SLOPE), 2, 1);
    const fromBelow = innermost ? h : block(level + 1, ops.instanceNorm(`down${level}`, h));
    const up = ops.convTranspose(`up${level}`, g.unary(`up${level}`, 'Relu', fromBelow), 1, 0);
    return g.concatChannels(`up${level}`, [x, ops.instanceNorm(`up${level}`, up)]);
  };
  return block(0, input);
}
