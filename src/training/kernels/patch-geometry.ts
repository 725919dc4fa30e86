// The geometry of one convolution as the pack's im2col / col2im loops read it: one record
// instead of twelve loose numbers at every call.
import type { Conv2DBackpropFilterAttrs } from '@tensorflow/tfjs-core';
import { backend_util } from '@tensorflow/tfjs-core';

export interface PatchGeometry {
  /** Batch, input height and width, input channels. */
  N: number;
  H: number;
  W: number;
  Ci: number;
  /** Output channels, output height and width. */
  Co: number;
  Ho: number;
  Wo: number;
  /** Filter size, strides, and the top/left padding. */
  kh: number;
  kw: number;
  sh: number;
  sw: number;
  pt: number;
  pl: number;
}

export function patchGeometry(info: backend_util.Conv2DInfo): PatchGeometry {
  return {
    N: info.batchSize,
    H: info.inHeight,
    W: info.inWidth,
    Ci: info.inChannels,
    Co: info.outChannels,
    Ho: info.outHeight,
    Wo: info.outWidth,
    kh: info.filterHeight,
    kw: info.filterWidth,
    sh: info.strideHeight,
    sw: info.strideWidth,
    pt: info.padInfo.top,
    pl: info.padInfo.left,
  };
}

/** The forward convolution a Conv2DBackpropFilter is the gradient of (NHWC; both packs read it). */
export function backpropFilterConvInfo(
  xShape: readonly number[],
  attrs: Pick<Conv2DBackpropFilterAttrs, 'strides' | 'pad' | 'dimRoundingMode' | 'filterShape'>,
): backend_util.Conv2DInfo {
  return backend_util.computeConv2DInfo(
    xShape as [number, number, number, number],
    attrs.filterShape,
    attrs.strides,
    1,
    attrs.pad,
    attrs.dimRoundingMode,
    false,
    'channelsLast',
  );
}
