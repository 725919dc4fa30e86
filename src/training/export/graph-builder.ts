// Builds a TensorFlow.js graph model (the model.json + weights format that tf.loadGraphModel reads):
// a TensorFlow GraphDef written as JSON, with every constant's values in one weights file. Only
// the handful of ops Diptych's generators use are offered, each with exactly the attributes
// tfjs-converter's op mappers read, so a stock @tensorflow/tfjs in a web page runs the result.
//
// Why a graph and not a tfjs-layers model: stock tfjs-layers has no reflection padding, no
// instance norm and no transposed convolution with PyTorch's padding, so a layers model could only
// approximate the generator, or only at one fixed input size; a graph runs the same ops at any size.

type AttrValue =
  | { type: 'DT_FLOAT' | 'DT_INT32' }
  | { s: string }
  | { i: string }
  | { f: number }
  | { b: boolean }
  | { list: { i: string[] } }
  | { shape: { dim: { size: string }[] } }
  | { tensor: { dtype: 'DT_FLOAT' | 'DT_INT32'; tensorShape: { dim: { size: string }[] } } };

export interface GraphNode {
  name: string;
  op: string;
  input?: string[];
  attr?: Record<string, AttrValue>;
}

export interface WeightSpec {
  name: string;
  shape: number[];
  dtype: 'float32' | 'int32';
}

export interface GraphModelJson {
  format: 'graph-model';
  generatedBy: string;
  convertedBy: string;
  modelTopology: {
    node: GraphNode[];
    library: Record<string, never>;
    versions: { producer: number; minConsumer: number };
  };
  weightsManifest: { paths: string[]; weights: WeightSpec[] }[];
  signature: {
    inputs: Record<string, { name: string; dtype: 'DT_FLOAT'; tensorShape: { dim: { size: string }[] } }>;
    outputs: Record<string, { name: string; dtype: 'DT_FLOAT'; tensorShape: { dim: { size: string }[] } }>;
  };
  userDefinedMetadata?: Record<string, unknown>;
}

/** A tensor in the graph being built: the name of the node that produces it. */
export type Ref = string;

const base64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');
const ints = (values: readonly number[]) => ({ list: { i: values.map(String) } });
const dims = (shape: readonly number[]) => ({ dim: shape.map((d) => ({ size: String(d) })) });
const FLOAT = { type: 'DT_FLOAT' } as const;

export class GraphBuilder {
  private readonly nodes: GraphNode[] = [];
  private readonly weights: { spec: WeightSpec; data: Float32Array | Int32Array }[] = [];
  private readonly names = new Set<string>();
  private counter = 0;

  /** A fresh node name under `scope` (TensorFlow style: scope/op_3). */
  private name(scope: string, op: string): string {
    let name = `${scope}/${op}`;
    while (this.names.has(name)) name = `${scope}/${op}_${++this.counter}`;
    this.names.add(name);
    return name;
  }

  private add(scope: string, op: string, input: Ref[], attr: Record<string, AttrValue> = {}): Ref {
    const name = this.name(scope, op);
    this.nodes.push({ name, op, input, attr });
    return name;
  }

  /** The graph's input: NHWC float32 with any batch, height and width. */
  placeholder(name: string, channels: number): Ref {
    this.names.add(name);
    this.nodes.push({
      name,
      op: 'Placeholder',
      attr: { dtype: FLOAT, shape: { shape: dims([-1, -1, -1, channels]) } },
    });
    return name;
  }

  /** A constant whose values travel in the weights file. */
  constant(scope: string, values: Float32Array | Int32Array, shape: readonly number[]): Ref {
    const dtype = values instanceof Int32Array ? 'int32' : 'float32';
    const size = shape.reduce((a, b) => a * b, 1);
    if (size !== values.length) throw new Error(`constant ${scope}: ${values.length} values for shape [${shape}]`);
    const tfType = dtype === 'int32' ? 'DT_INT32' : 'DT_FLOAT';
    const name = this.name(scope, 'Const');
    this.nodes.push({
      name,
      op: 'Const',
      attr: { value: { tensor: { dtype: tfType, tensorShape: dims(shape) } }, dtype: { type: tfType } },
    });
    this.weights.push({ spec: { name, shape: [...shape], dtype }, data: values });
    return name;
  }

  ints(scope: string, values: readonly number[]): Ref {
    return this.constant(scope, Int32Array.from(values), [values.length]);
  }

  scalar(scope: string, value: number): Ref {
    return this.constant(scope, Float32Array.of(value), []);
  }

  /** Conv2D with explicit symmetric zero padding (0 = 'VALID'). */
  conv2d(scope: string, x: Ref, filter: Ref, stride: number, pad: number): Ref {
    const attr: Record<string, AttrValue> = {
      T: FLOAT,
      strides: ints([1, stride, stride, 1]),
      dilations: ints([1, 1, 1, 1]),
      data_format: { s: base64('NHWC') },
      padding: { s: base64(pad === 0 ? 'VALID' : 'EXPLICIT') },
    };
    if (pad !== 0) attr.explicit_paddings = ints([0, 0, pad, pad, pad, pad, 0, 0]);
    return this.add(scope, 'Conv2D', [x, filter], attr);
  }

  /**
   * The gradient of a stride-2 conv with symmetric padding `pad` (TensorFlow's transposed conv),
   * with the output shape computed from the input's at run time: [n, 2h + grow, 2w + grow, channels].
   */
  conv2dTransposeStride2(scope: string, x: Ref, filter: Ref, pad: number, grow: number, channels: number): Ref {
    const shape = this.add(scope, 'Shape', [x], { T: FLOAT, out_type: { type: 'DT_INT32' } });
    const doubled = this.add(scope, 'Mul', [shape, this.ints(`${scope}/scale`, [1, 2, 2, 0])], {
      T: { type: 'DT_INT32' },
    });
    const outputShape = this.add(scope, 'AddV2', [doubled, this.ints(`${scope}/grow`, [0, grow, grow, channels])], {
      T: { type: 'DT_INT32' },
    });
    const attr: Record<string, AttrValue> = {
      T: FLOAT,
      strides: ints([1, 2, 2, 1]),
      dilations: ints([1, 1, 1, 1]),
      data_format: { s: base64('NHWC') },
      padding: { s: base64(pad === 0 ? 'VALID' : 'EXPLICIT') },
    };
    if (pad !== 0) attr.explicit_paddings = ints([0, 0, pad, pad, pad, pad, 0, 0]);
    return this.add(scope, 'Conv2DBackpropInput', [outputShape, filter, x], attr);
  }

  mirrorPadReflect(scope: string, x: Ref, pad: number): Ref {
    const paddings = this.constant(`${scope}/paddings`, Int32Array.from([0, 0, pad, pad, pad, pad, 0, 0]), [4, 2]);
    return this.add(scope, 'MirrorPad', [x, paddings], { T: FLOAT, mode: { s: base64('REFLECT') } });
  }

  mean(scope: string, x: Ref, axes: readonly number[]): Ref {
    return this.add(scope, 'Mean', [x, this.ints(`${scope}/axes`, axes)], { T: FLOAT, keep_dims: { b: true } });
  }

  binary(scope: string, op: 'AddV2' | 'Sub' | 'Mul' | 'RealDiv' | 'SquaredDifference', a: Ref, b: Ref): Ref {
    return this.add(scope, op, [a, b], { T: FLOAT });
  }

  unary(scope: string, op: 'Relu' | 'Tanh' | 'Sqrt', x: Ref): Ref {
    return this.add(scope, op, [x], { T: FLOAT });
  }

  leakyRelu(scope: string, x: Ref, alpha: number): Ref {
    return this.add(scope, 'LeakyRelu', [x], { T: FLOAT, alpha: { f: alpha } });
  }

  concatChannels(scope: string, tensors: Ref[]): Ref {
    return this.add(scope, 'ConcatV2', [...tensors, this.constant(`${scope}/axis`, Int32Array.of(3), [])], {
      T: FLOAT,
      N: { i: String(tensors.length) },
      Tidx: { type: 'DT_INT32' },
    });
  }

  /** A named pass-through, so the output has a stable name. */
  identity(name: string, x: Ref): Ref {
    this.names.add(name);
    this.nodes.push({ name, op: 'Identity', input: [x], attr: { T: FLOAT } });
    return name;
  }

  /** model.json (pointing at `weightsFile`) and the weights file's bytes. */
  finish(options: {
    input: Ref;
    output: Ref;
    channels: { in: number; out: number };
    weightsFile: string;
    metadata?: Record<string, unknown>;
  }): { json: GraphModelJson; weights: Uint8Array } {
    const total = this.weights.reduce((sum, w) => sum + w.data.byteLength, 0);
    const bytes = new Uint8Array(total);
    let offset = 0;
    for (const { data } of this.weights) {
      bytes.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), offset);
      offset += data.byteLength;
    }
    const io = (name: string, channels: number) => ({
      name: `${name}:0`,
      dtype: 'DT_FLOAT' as const,
      tensorShape: dims([-1, -1, -1, channels]),
    });
    return {
      json: {
        format: 'graph-model',
        generatedBy: 'Diptych',
        convertedBy: 'Diptych graph export',
        modelTopology: { node: this.nodes, library: {}, versions: { producer: 1, minConsumer: 0 } },
        weightsManifest: [{ paths: [options.weightsFile], weights: this.weights.map((w) => w.spec) }],
        signature: {
          inputs: { image: io(options.input, options.channels.in) },
          outputs: { translated: io(options.output, options.channels.out) },
        },
        ...(options.metadata ? { userDefinedMetadata: options.metadata } : {}),
      },
      weights: bytes,
    };
  }
}
