// Registers TensorFlow.js's gradient functions, then Diptych's corrections, in that order.
// tfjs-core's Node bundle (the one `import` picks) registers no gradients; tfjs-layers' Node
// bundle registers all of core's into the shared global registry as a side effect. tfjs-core
// 4.22's MirrorPad gradient only slices the centre of dy and drops what flowed through the
// mirrored border (every reflection-padded layer of the ResNet generator), so it is replaced
// after: a later import of tfjs-layers would not bring the wrong one back, as modules load once.
// Import this module wherever a backward pass is taken.
import '@tensorflow/tfjs-layers';
import { registerGradientFixes } from './kernels/index.ts';

registerGradientFixes();
