export { besselJ1 } from './bessel.js';
export { filter2d, polyphaseFilter } from './filter2d.js';
export { imresize, imresizeTaps } from './imresize.js';
export {
  gaussianKernel,
  generalizedGaussianKernel,
  KERNEL_TYPES,
  type Kernel2D,
  type KernelSpec,
  type MixedKernelType,
  padKernel,
  plateauKernel,
  pulseKernel,
  renderKernel,
  sincKernel,
} from './kernels.js';
export { reflectPad } from './reflect-pad.js';
export { applyTaps, type TapTable, tapTable } from './resample.js';
export {
  cubicWeight,
  RESIZE_MODES,
  type ResizeMode,
  type ResizeTarget,
  resize,
  resizeTaps,
  scaledSize,
} from './resize.js';
export { fromSymmetricRange, quantize8bit, toSymmetricRange } from './value-range.js';
