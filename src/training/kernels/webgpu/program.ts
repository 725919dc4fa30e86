// Shared plumbing for Diptych's WebGPU kernel pack (the WGSL programs of ./*.ts).
//
// The programs are tfjs-backend-webgpu `WebGPUProgram`s run with backend.runWebGPUProgram: the backend
// wraps each program's getUserCode() in its own prelude, which declares, in this order,
//   - `result` (binding 0): the one output buffer, array<f32> (array<vec4<f32>> with outputComponent 4);
//   - one read-only storage buffer per name in variableNames (bindings 1…);
//   - `uniforms`: NAN, INFINITY, then `<name>Shape` and `<name>ShapeStrides` for every input and for
//     the output (`outShape`, `outShapeStrides`), then `size` (when program.size), then program.uniforms
//     (filled, in order, from the uniform data passed to runWebGPUProgram);
//   - helpers: setOutputAtIndex, getCoordsFromIndex, and the builtins localId, localIndex, workgroupId,
//     numWorkgroups as private variables.
// Its pipeline cache is keyed by shaderKey plus the inputs' ranks and dtypes only, never their sizes:
// every constant that a program compiles into its WGSL from a size must be in its shaderKey.
//
// Browser-safe on purpose (type imports only): the pack also runs in the Electron engine window.

import type { WebGPUBackend, WebGPUProgram } from '@tensorflow/tfjs-backend-webgpu';

export type { WebGPUBackend, WebGPUProgram };

/** Uniform data for runWebGPUProgram, in the order of the program's `uniforms` string. */
export type UniformData = Array<{ type: 'int32' | 'float32' | 'uint32'; data: number[] }>;

/** Workgroups for a one-invocation-per-element program over `size` elements. */
export function flatDispatch(size: number, workgroupSize: number): [number, number, number] {
  return [Math.ceil(size / workgroupSize), 1, 1];
}

/**
 * The workgroup's linear index, in WGSL. The backend reshapes a flat dispatch above 65535 workgroups
 * into 2-D or 3-D, so a program that assigns work per workgroup must not read workgroupId.x alone.
 */
export const WORKGROUP_INDEX = `i32(workgroupId.z * numWorkgroups.x * numWorkgroups.y + workgroupId.y * numWorkgroups.x + workgroupId.x)`;

/** Whether every input is float32 (the pack's programs read and write f32 buffers only). */
export function allFloat32(...ts: { dtype: string }[]): boolean {
  return ts.every((t) => t.dtype === 'float32');
}
