// The tensors a gradient keeps for the backward pass, saved without a kernel call each.
//
// Why: for every op recorded on a gradient tape, tfjs-core's engine saves the inputs and outputs its
// gradient needs with engine.clone(t): an Identity kernel run through the whole kernel machinery (kernel
// lookup, scope, profiling hooks, tensor tracking), then a tape node that links the copy to t, so that
// a gradient of a gradient (WGAN-GP's penalty) reaches t through it. On wasm and cpu that Identity only
// aliases the buffer (kernels/identity.ts; tfjs-backend-cpu's own), so the kernel call is pure engine
// overhead: at the tiny preset's sizes it is a third of a CycleGAN step's ~2,200 kernel calls
// (782 Identity), each costing several microseconds for no arithmetic.
//
// Here, on those backends, the copy is the same alias made directly: a new tensor on the same data
// (engine.makeTensorFromTensorInfo and the backend's incRef, exactly what the engine does with an
// Identity kernel's aliasing output), and the same tape node with the same gradient (a float32 Cast of
// dy), so gradients of every order, memory accounting and tensor counts are what they were. Elsewhere
// (tfjs-node, whose Identity copies; webgpu) engine.clone stays tfjs's own.
import type { NamedTensorMap, Tensor, TensorInfo } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';

/** Backends whose Identity kernel aliases its input (one more reference to the same data). */
const ALIASING_BACKENDS = new Set(['wasm', 'cpu']);

interface EngineInternals {
  backendName: string;
  backend: { incRef(dataId: object): void };
  state: { activeScope: { name: string } };
  clone(x: Tensor): Tensor;
  makeTensorFromTensorInfo(info: TensorInfo): Tensor;
  addTapeNode(
    name: string,
    inputs: NamedTensorMap,
    outputs: Tensor[],
    gradient: (dy: Tensor) => Record<string, () => Tensor>,
    saved: Tensor[],
    attrs: Record<string, unknown>,
  ): void;
  __diptychStockClone?: (x: Tensor) => Tensor;
}

/** The clone's gradient, as tfjs-core's: dy cast to float32. */
const cloneGradient = (dy: Tensor) => ({
  x: () => tf.engine().runKernel(tf.Cast, { x: dy }, { dtype: 'float32' }) as Tensor,
});

/** Installs the direct alias as the engine's clone (once per engine; a no-op after that). */
export function installAliasingSaves(): void {
  const engine = tf.engine() as unknown as EngineInternals;
  if (engine.__diptychStockClone != null) return;
  const stock = engine.clone.bind(engine);
  engine.__diptychStockClone = stock;
  engine.clone = (x: Tensor): Tensor => {
    if (!ALIASING_BACKENDS.has(engine.backendName) || x.dtype === 'string') return stock(x);
    const y = engine.makeTensorFromTensorInfo({ dataId: x.dataId, shape: x.shape, dtype: x.dtype });
    engine.backend.incRef(x.dataId);
    engine.addTapeNode(engine.state.activeScope.name, { x }, [y], cloneGradient, [], {});
    return y;
  };
}

/** Puts tfjs's own engine.clone back (tests). */
export function uninstallAliasingSaves(): void {
  const engine = tf.engine() as unknown as EngineInternals;
  if (engine.__diptychStockClone == null) return;
  engine.clone = engine.__diptychStockClone;
  delete engine.__diptychStockClone;
}
