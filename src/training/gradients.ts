// Registers TensorFlow.js's gradient functions. tfjs-core's Node bundle (the one `import` picks)
// registers none; tfjs-layers' Node bundle registers all of core's gradients into the shared
// global registry as a side effect. Import this module wherever a backward pass is taken.
import '@tensorflow/tfjs-layers';
