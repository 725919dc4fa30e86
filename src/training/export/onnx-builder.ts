// Builds an ONNX model (opset 17) through the generated onnx.proto classes of `onnx-proto`
// (protobufjs): only the few ops Diptych's generators use, in NCHW as ONNX wants them. Constants
// are graph initializers; the names are the parameters' own (`block0/conv0/kernel`), so a viewer
// such as Netron shows the network as the engine names it.
import onnxProto, { type onnx as Onnx } from 'onnx-proto';

// onnx-proto is CommonJS (module.exports = the protobufjs root), so Node's ESM loader gives it only as
// the default export: a named import works under a bundler but not in the engine process.
const { onnx } = onnxProto;

export const ONNX_OPSET = 17;
/** IR version 8 goes with opset 17 (onnx/docs/Versioning.md). */
const IR_VERSION = 8;

/** A tensor in the graph being built: its name. */
export type OnnxRef = string;

const FLOAT = onnx.TensorProto.DataType.FLOAT;
const INT64 = onnx.TensorProto.DataType.INT64;
const A = onnx.AttributeProto.AttributeType;

type Attr =
  | { name: string; f: number }
  | { name: string; i: number }
  | { name: string; ints: number[] }
  | { name: string; s: string };

function attribute(attr: Attr): Onnx.IAttributeProto {
  if ('f' in attr) return { name: attr.name, type: A.FLOAT, f: attr.f };
  if ('i' in attr) return { name: attr.name, type: A.INT, i: attr.i };
  if ('ints' in attr) return { name: attr.name, type: A.INTS, ints: attr.ints };
  return { name: attr.name, type: A.STRING, s: new TextEncoder().encode(attr.s) };
}

/** A float tensor's type with these dims: a number is fixed, a string a named (dynamic) dim. */
function floatType(dims: readonly (number | string)[]): Onnx.ITypeProto {
  return {
    tensorType: {
      elemType: FLOAT,
      shape: { dim: dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) },
    },
  };
}

export class OnnxGraphBuilder {
  private readonly nodes: Onnx.INodeProto[] = [];
  private readonly initializers: Onnx.ITensorProto[] = [];
  private readonly names = new Set<string>();
  private readonly extraInputs: Onnx.IValueInfoProto[] = [];
  private readonly extraOutputs: Onnx.IValueInfoProto[] = [];
  private counter = 0;

  private name(scope: string, op: string): string {
    let name = `${scope}/${op}`;
    while (this.names.has(name)) name = `${scope}/${op}_${++this.counter}`;
    this.names.add(name);
    return name;
  }

  /** One node with one output, named after `scope` and the op. */
  node(scope: string, op: string, inputs: OnnxRef[], attrs: Attr[] = [], output?: string): OnnxRef {
    const name = this.name(scope, op);
    const out = output ?? name;
    if (output) this.names.add(output);
    this.nodes.push({ name, opType: op, input: inputs, output: [out], attribute: attrs.map(attribute) });
    return out;
  }

  /** A float32 initializer (little-endian raw data). */
  constant(name: string, values: Float32Array, dims: readonly number[]): OnnxRef {
    const size = dims.reduce((a, b) => a * b, 1);
    if (size !== values.length) throw new Error(`initializer ${name}: ${values.length} values for shape [${dims}]`);
    if (this.names.has(name)) throw new Error(`initializer ${name} is defined twice`);
    this.names.add(name);
    return this.floats(name, values, dims);
  }

  /** A float32 initializer under a name already taken for it. */
  private floats(name: string, values: Float32Array, dims: readonly number[]): OnnxRef {
    const raw = new Uint8Array(values.byteLength);
    new Float32Array(raw.buffer).set(values);
    this.initializers.push({ name, dataType: FLOAT, dims: [...dims], rawData: raw });
    return name;
  }

  /** An int64 initializer (Pad's pads). */
  int64s(scope: string, values: readonly number[]): OnnxRef {
    const name = this.name(scope, 'const');
    const raw = new Uint8Array(values.length * 8);
    const view = new DataView(raw.buffer);
    values.forEach((v, i) => {
      view.setBigInt64(i * 8, BigInt(v), true);
    });
    this.initializers.push({ name, dataType: INT64, dims: [values.length], rawData: raw });
    return name;
  }

  conv(
    scope: string,
    x: OnnxRef,
    weight: OnnxRef,
    bias: OnnxRef,
    kernel: number,
    stride: number,
    pad: number,
  ): OnnxRef {
    return this.node(
      scope,
      'Conv',
      [x, weight, bias],
      [
        { name: 'kernel_shape', ints: [kernel, kernel] },
        { name: 'strides', ints: [stride, stride] },
        { name: 'pads', ints: [pad, pad, pad, pad] },
      ],
    );
  }

  /** ONNX (and PyTorch) ConvTranspose: out = (in − 1)·stride − 2·pad + kernel + outputPad. */
  convTranspose(
    scope: string,
    x: OnnxRef,
    weight: OnnxRef,
    bias: OnnxRef,
    kernel: number,
    stride: number,
    pad: number,
    outputPad: number,
  ): OnnxRef {
    const attrs: Attr[] = [
      { name: 'kernel_shape', ints: [kernel, kernel] },
      { name: 'strides', ints: [stride, stride] },
      { name: 'pads', ints: [pad, pad, pad, pad] },
    ];
    if (outputPad !== 0) attrs.push({ name: 'output_padding', ints: [outputPad, outputPad] });
    return this.node(scope, 'ConvTranspose', [x, weight, bias], attrs);
  }

  /** Reflection padding of the two spatial axes of an NCHW tensor. */
  reflectPad(scope: string, x: OnnxRef, pad: number): OnnxRef {
    const pads = this.int64s(`${scope}/pads`, [0, 0, pad, pad, 0, 0, pad, pad]);
    return this.node(scope, 'Pad', [x, pads], [{ name: 'mode', s: 'reflect' }]);
  }

  /** InstanceNormalization with scale 1 and bias 0 (no affine parameters). */
  instanceNorm(scope: string, x: OnnxRef, channels: number, epsilon: number): OnnxRef {
    const scale = this.floats(this.name(scope, 'norm_scale'), new Float32Array(channels).fill(1), [channels]);
    const bias = this.floats(this.name(scope, 'norm_bias'), new Float32Array(channels), [channels]);
    return this.node(scope, 'InstanceNormalization', [x, scale, bias], [{ name: 'epsilon', f: epsilon }]);
  }

  /**
   * Instance norm in plain ops (ReduceMean, Sub, Mul, Sqrt, Div), the biased variance as tfjs's
   * moments: the same arithmetic as InstanceNormalization, with the statistics visible as tensors.
   */
  instanceNormExplicit(
    scope: string,
    x: OnnxRef,
    epsilon: number,
  ): { output: OnnxRef; mean: OnnxRef; variance: OnnxRef } {
    const spatial = [
      { name: 'axes', ints: [2, 3] },
      { name: 'keepdims', i: 1 },
    ];
    const mean = this.node(scope, 'ReduceMean', [x], spatial);
    const centred = this.node(scope, 'Sub', [x, mean]);
    const variance = this.node(scope, 'ReduceMean', [this.node(scope, 'Mul', [centred, centred])], spatial);
    const epsilonConstant = this.floats(this.name(scope, 'epsilon'), Float32Array.of(epsilon), []);
    const std = this.node(scope, 'Sqrt', [this.node(scope, 'Add', [variance, epsilonConstant])]);
    return { output: this.node(scope, 'Div', [centred, std]), mean, variance };
  }

  /** (x − mean) · inverseStd with per-channel statistics given from outside. */
  normaliseWith(scope: string, x: OnnxRef, mean: OnnxRef, inverseStd: OnnxRef): OnnxRef {
    return this.node(scope, 'Mul', [this.node(scope, 'Sub', [x, mean]), inverseStd]);
  }

  /** A further graph input (float), beside the image. */
  input(name: string, dims: readonly (number | string)[]): OnnxRef {
    if (this.names.has(name)) throw new Error(`graph input ${name} is defined twice`);
    this.names.add(name);
    this.extraInputs.push({ name, type: floatType(dims) });
    return name;
  }

  /** A further graph output (float), beside the image: `x` under the name `name`. */
  output(x: OnnxRef, name: string, dims: readonly (number | string)[]): OnnxRef {
    this.node(name, 'Identity', [x], [], name);
    this.extraOutputs.push({ name, type: floatType(dims) });
    return name;
  }

  unary(scope: string, op: 'Relu' | 'Tanh', x: OnnxRef): OnnxRef {
    return this.node(scope, op, [x]);
  }

  leakyRelu(scope: string, x: OnnxRef, alpha: number): OnnxRef {
    return this.node(scope, 'LeakyRelu', [x], [{ name: 'alpha', f: alpha }]);
  }

  add(scope: string, a: OnnxRef, b: OnnxRef): OnnxRef {
    return this.node(scope, 'Add', [a, b]);
  }

  concatChannels(scope: string, tensors: OnnxRef[]): OnnxRef {
    return this.node(scope, 'Concat', tensors, [{ name: 'axis', i: 1 }]);
  }

  /**
   * The serialized ModelProto: one NCHW image in and out with dynamic batch, height and width, and any
   * further inputs and outputs declared with input() / output().
   */
  finish(options: {
    graphName: string;
    input: { name: OnnxRef; channels: number };
    output: { name: OnnxRef; channels: number };
    metadata: Record<string, string>;
    docString?: string;
    producerVersion?: string;
  }): Uint8Array {
    const model: Onnx.IModelProto = {
      irVersion: IR_VERSION,
      opsetImport: [{ domain: '', version: ONNX_OPSET }],
      producerName: 'Diptych',
      producerVersion: options.producerVersion ?? '',
      docString: options.docString ?? '',
      graph: {
        name: options.graphName,
        node: this.nodes,
        initializer: this.initializers,
        input: [
          { name: options.input.name, type: floatType(['batch', options.input.channels, 'height', 'width']) },
          ...this.extraInputs,
        ],
        output: [
          { name: options.output.name, type: floatType(['batch', options.output.channels, 'height', 'width']) },
          ...this.extraOutputs,
        ],
      },
      metadataProps: Object.entries(options.metadata).map(([key, value]) => ({ key, value })),
    };
    const problem = onnx.ModelProto.verify(model);
    if (problem) throw new Error(`ONNX model: ${problem}`);
    return onnx.ModelProto.encode(onnx.ModelProto.create(model)).finish();
  }
}
