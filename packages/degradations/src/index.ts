export { besselJ1 } from './bessel.js';
export { filter2d, polyphaseFilter } from './filter2d.js';
export { imresize, imresizeTaps } from './imresize.js';
export { DEFAULT_JPEG_OPTIONS, type JpegOptions, jpegCompress } from './jpeg.js';
export {
  blockDctMatrix,
  dct8,
  type JpegTableMode,
  jpegQuantTable,
  RGB_TO_YCBCR,
  STD_CHROMA_TABLE,
  STD_LUMA_TABLE,
  YCBCR_TO_RGB,
} from './jpeg-tables.js';
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
export {
  addNoise,
  type GaussianNoiseParams,
  gaussianNoise,
  LUMA_WEIGHTS,
  type NoiseParams,
  type PoissonNoiseParams,
  poissonNoise,
} from './noise.js';
export {
  DEFAULT_REAL_ESRGAN_OPTIONS,
  type FinalSincOptions,
  type KernelSamplingOptions,
  type NoiseSamplingOptions,
  REAL_ESRGAN_TEST_OPTIONS,
  type RealEsrganOptions,
  type RealEsrganOptionsInput,
  type ResizeSamplingOptions,
} from './options.js';
export { resolveRealEsrganOptions, validateRealEsrganOptions } from './options-validate.js';
export { bicubicDegrade, type DegradationResult, realEsrganDegrade } from './pipeline.js';
export { DEFAULT_POISSON_SAMPLING, type PoissonSamplingOptions, samplePoisson } from './poisson.js';
export { createRng, deriveKey, fillNormal, fillUniform, type SeededRng } from './random.js';
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
export {
  type DegradationParams,
  type ResizeParams,
  sampleDegradationParams,
  sampleKernelSpec,
} from './sample-params.js';
export { DEFAULT_UNSHARP_MASK, opencvGaussian1d, type UnsharpMaskOptions, unsharpMask } from './sharpen.js';
export { fromSymmetricRange, quantize8bit, toSymmetricRange } from './value-range.js';
