/**
 * Options of the Real-ESRGAN second-order degradation model: what the sampler may draw.
 * `DEFAULT_REAL_ESRGAN_OPTIONS` is CTMSR's training setting (method.md §6.1–6.2),
 * `REAL_ESRGAN_TEST_OPTIONS` the milder ImageNet-Test setting (§6.3).
 */
import type { JpegTableMode } from './jpeg-tables.js';
import type { MixedKernelType } from './kernels.js';
import type { ResizeMode } from './resize.js';

/** How one kernel (per sample) is drawn: BasicSR `random_mixed_kernels` + the sinc branch. */
export interface KernelSamplingOptions {
  /** Odd kernel sizes, drawn uniformly (BasicSR `kernel_range`). */
  sizes: number[];
  /** The zero-padded size of the reference (recorded in the params; it never changes the result). */
  paddedSize: number;
  /** Probability of a sinc kernel instead of a mixed one. */
  sincProb: number;
  /** ω_c range for sinc kernels smaller than `sincLargeFrom`. */
  sincOmegaSmall: [number, number];
  /** ω_c range for sinc kernels of size >= `sincLargeFrom`. */
  sincOmegaLarge: [number, number];
  sincLargeFrom: number;
  /** Kernel families and their probabilities (sum 1). */
  kernelTypes: MixedKernelType[];
  kernelProbs: number[];
  /** σx and σy range (BasicSR `blur_sigma`). */
  sigmaRange: [number, number];
  /** θ range for anisotropic kernels. */
  rotationRange: [number, number];
  /** β range of generalised Gaussians (`betag_range`): β ~ U[lo, 1] or U[1, hi] with probability ½ each. */
  betaGaussianRange: [number, number];
  /** β range of plateau kernels (`betap_range`), drawn the same way. */
  betaPlateauRange: [number, number];
}

/** How the final sinc kernel (per sample) is drawn; otherwise a pulse (identity). */
export interface FinalSincOptions {
  prob: number;
  sizes: number[];
  omegaRange: [number, number];
  paddedSize: number;
}

/** How one random resize (per batch) is drawn. */
export interface ResizeSamplingOptions {
  /** Probabilities of [up, down, keep] (sum 1). */
  probs: [number, number, number];
  /** [lo, hi]: up draws U[1, hi], down draws U[lo, 1] (BasicSR `resize_range`). */
  range: [number, number];
  /** Interpolation modes, drawn uniformly. */
  modes: ResizeMode[];
}

/** How one noise step is drawn: Gaussian-vs-Poisson per batch, level and gray flag per sample. */
export interface NoiseSamplingOptions {
  gaussianProb: number;
  /** Gaussian σ range in 8-bit levels (divided by 255 when applied). */
  sigmaRange: [number, number];
  poissonScaleRange: [number, number];
  grayProb: number;
}

export interface RealEsrganOptions {
  /** Down-scaling factor HR → LR: 2, 3 or 4. */
  scale: number;
  kernel1: KernelSamplingOptions;
  resize1: ResizeSamplingOptions;
  noise1: NoiseSamplingOptions;
  /** JPEG quality range of the first stage (drawn per sample, continuous). */
  jpeg1Range: [number, number];
  /** Probability of running the second stage at all (CTMSR's gate; Real-ESRGAN always runs it). */
  secondOrderProb: number;
  /** Probability of the second blur, given the second stage runs. */
  secondBlurProb: number;
  kernel2: KernelSamplingOptions;
  resize2: ResizeSamplingOptions;
  noise2: NoiseSamplingOptions;
  finalSinc: FinalSincOptions;
  /** Probability of [resize → sinc → JPEG] rather than [JPEG → resize → sinc]. */
  finalResizeFirstProb: number;
  finalResizeModes: ResizeMode[];
  /** JPEG quality range of the final stage. */
  jpeg2Range: [number, number];
  /** How the JPEG steps are applied (not sampled). */
  jpeg: { chromaSubsampling: boolean; tables: JpegTableMode };
  /** Photon-count scale v of Poisson noise (see `poissonNoise`). */
  poissonLevels: number;
}

/** Partial options: any top-level field, and any field of a nested group, may be left out. */
export type RealEsrganOptionsInput = {
  [K in keyof RealEsrganOptions]?: RealEsrganOptions[K] extends unknown[] | number
    ? RealEsrganOptions[K]
    : Partial<RealEsrganOptions[K]>;
};

const PI = Math.PI;
const MIXED: MixedKernelType[] = [
  'iso',
  'aniso',
  'generalized_iso',
  'generalized_aniso',
  'plateau_iso',
  'plateau_aniso',
];
const MIXED_PROBS = [0.45, 0.25, 0.12, 0.03, 0.12, 0.03];
const MODES: ResizeMode[] = ['area', 'bilinear', 'bicubic'];
const oddRange = (lo: number, hi: number) => Array.from({ length: (hi - lo) / 2 + 1 }, (_, i) => lo + 2 * i);

function deepFreeze<T>(o: T): Readonly<T> {
  if (o && typeof o === 'object') {
    for (const v of Object.values(o)) deepFreeze(v);
    Object.freeze(o);
  }
  return o;
}

/** CTMSR's training setting (method.md §6.1–6.2, from its `ctmsr_train.yml` and model code). */
export const DEFAULT_REAL_ESRGAN_OPTIONS: Readonly<RealEsrganOptions> = deepFreeze({
  scale: 4,
  kernel1: {
    sizes: oddRange(3, 19),
    paddedSize: 21,
    sincProb: 0.1,
    sincOmegaSmall: [PI / 3, PI],
    sincOmegaLarge: [PI / 5, PI],
    sincLargeFrom: 13,
    kernelTypes: MIXED,
    kernelProbs: MIXED_PROBS,
    sigmaRange: [0.2, 3.0],
    rotationRange: [-PI, PI],
    betaGaussianRange: [0.5, 4],
    betaPlateauRange: [1, 2],
  },
  resize1: { probs: [0.2, 0.7, 0.1], range: [0.15, 1.5], modes: MODES },
  noise1: { gaussianProb: 0.5, sigmaRange: [1, 30], poissonScaleRange: [0.05, 3.0], grayProb: 0.4 },
  jpeg1Range: [30, 95],
  secondOrderProb: 0.5,
  secondBlurProb: 0.8,
  kernel2: {
    sizes: oddRange(3, 13),
    paddedSize: 15,
    sincProb: 0.1,
    sincOmegaSmall: [PI / 3, PI],
    sincOmegaLarge: [PI / 5, PI],
    sincLargeFrom: 13,
    kernelTypes: MIXED,
    kernelProbs: MIXED_PROBS,
    sigmaRange: [0.2, 1.5],
    rotationRange: [-PI, PI],
    betaGaussianRange: [0.5, 4],
    betaPlateauRange: [1, 2],
  },
  resize2: { probs: [0.3, 0.4, 0.3], range: [0.3, 1.2], modes: MODES },
  noise2: { gaussianProb: 0.5, sigmaRange: [1, 25], poissonScaleRange: [0.05, 2.5], grayProb: 0.4 },
  finalSinc: { prob: 0.8, sizes: oddRange(3, 13), omegaRange: [PI / 3, PI], paddedSize: 15 },
  finalResizeFirstProb: 0.5,
  finalResizeModes: MODES,
  jpeg2Range: [30, 95],
  jpeg: { chromaSubsampling: true, tables: 'ijg' },
  poissonLevels: 256,
} satisfies RealEsrganOptions);

/**
 * The milder ImageNet-Test setting (method.md §6.3, ResShift's testing config): kernel sizes up to
 * 13 and 7 (i.e. sizes {3…11} padded to 13 and {3, 5} padded to 7, reading the config's
 * `blur_kernel_size` like the training one), iso/aniso only (0.6/0.4), σ ∈ [0.2, 0.8] and [0.2, 0.5],
 * sinc probabilities 0.1 and 0, final sinc 0.2, resize range [0.5, 1.5], Gaussian σ ∈ [1, 15],
 * Poisson scale ∈ [0.05, 0.3], JPEG ∈ [70, 95], no second stage. Fields the setting does not name
 * keep their training values.
 */
export const REAL_ESRGAN_TEST_OPTIONS: Readonly<RealEsrganOptions> = deepFreeze({
  ...DEFAULT_REAL_ESRGAN_OPTIONS,
  kernel1: {
    ...DEFAULT_REAL_ESRGAN_OPTIONS.kernel1,
    sizes: oddRange(3, 11),
    paddedSize: 13,
    kernelTypes: ['iso', 'aniso'],
    kernelProbs: [0.6, 0.4],
    sigmaRange: [0.2, 0.8],
    sincProb: 0.1,
  },
  kernel2: {
    ...DEFAULT_REAL_ESRGAN_OPTIONS.kernel2,
    sizes: [3, 5],
    paddedSize: 7,
    kernelTypes: ['iso', 'aniso'],
    kernelProbs: [0.6, 0.4],
    sigmaRange: [0.2, 0.5],
    sincProb: 0,
  },
  finalSinc: { ...DEFAULT_REAL_ESRGAN_OPTIONS.finalSinc, prob: 0.2, sizes: [3, 5], paddedSize: 7 },
  resize1: { ...DEFAULT_REAL_ESRGAN_OPTIONS.resize1, range: [0.5, 1.5] },
  resize2: { ...DEFAULT_REAL_ESRGAN_OPTIONS.resize2, range: [0.5, 1.5] },
  noise1: { ...DEFAULT_REAL_ESRGAN_OPTIONS.noise1, sigmaRange: [1, 15], poissonScaleRange: [0.05, 0.3] },
  noise2: { ...DEFAULT_REAL_ESRGAN_OPTIONS.noise2, sigmaRange: [1, 15], poissonScaleRange: [0.05, 0.3] },
  jpeg1Range: [70, 95],
  jpeg2Range: [70, 95],
  secondOrderProb: 0,
} satisfies RealEsrganOptions);
