/**
 * Draws every random choice of one batch of the Real-ESRGAN degradation (method.md §6) into a
 * plain, JSON-serialisable object. `realEsrganDegrade(hr, params)` then applies it
 * deterministically. Same (batchSize, hrSize, options, seed) → same params, on every machine.
 *
 * Per sample (as BasicSR's dataset does): the three kernels, noise levels, gray flags, JPEG
 * qualities. Per batch (as its `feed_data` does): resize directions, scales and modes,
 * Gaussian-vs-Poisson, the stage gates, the order of the final stage.
 */
import type { JpegTableMode } from './jpeg-tables.js';
import type { KernelSpec } from './kernels.js';
import type { NoiseParams } from './noise.js';
import type {
  FinalSincOptions,
  KernelSamplingOptions,
  NoiseSamplingOptions,
  RealEsrganOptions,
  RealEsrganOptionsInput,
  ResizeSamplingOptions,
} from './options.js';
import { resolveRealEsrganOptions } from './options-validate.js';
import { createRng, type SeededRng } from './random.js';
import type { ResizeMode } from './resize.js';
import { assertInt, fail } from './validate.js';

/** One resize: PyTorch `interpolate(size=size)` or, when `scaleFactor` is set, `(scale_factor=…)`. */
export interface ResizeParams {
  mode: ResizeMode;
  /** Output [height, width]. */
  size: [number, number];
  /** The scale factor the size came from, when it sets the coordinate mapping (stage 1), else null. */
  scaleFactor: number | null;
}

/** Everything `realEsrganDegrade` needs for one batch. */
export interface DegradationParams {
  version: 1;
  batchSize: number;
  /** HR [height, width]. */
  hrSize: [number, number];
  scale: number;
  stage1: { kernels: KernelSpec[]; resize: ResizeParams; noise: NoiseParams; jpegQuality: number[] };
  /** null when the second-order gate is not taken. `kernels` is null when the second blur is skipped. */
  stage2: { kernels: KernelSpec[] | null; resize: ResizeParams; noise: NoiseParams } | null;
  final: {
    order: 'resize-sinc-jpeg' | 'jpeg-resize-sinc';
    resizeMode: ResizeMode;
    /** Sinc or pulse kernel per sample. */
    sincKernels: KernelSpec[];
    jpegQuality: number[];
  };
  jpeg: { chromaSubsampling: boolean; tables: JpegTableMode };
}

const ISO_TYPES = new Set(['iso', 'generalized_iso', 'plateau_iso']);

/** One kernel per BasicSR's dataset: sinc with `sincProb`, else a mixed kernel. */
export function sampleKernelSpec(rng: SeededRng, o: KernelSamplingOptions): KernelSpec {
  const size = rng.pick(o.sizes);
  if (rng.next() < o.sincProb) {
    const [lo, hi] = size < o.sincLargeFrom ? o.sincOmegaSmall : o.sincOmegaLarge;
    return { type: 'sinc', size, omegaC: rng.uniform(lo, hi), paddedSize: o.paddedSize };
  }
  const type = o.kernelTypes[rng.choice(o.kernelProbs)];
  const sigmaX = rng.uniform(o.sigmaRange[0], o.sigmaRange[1]);
  const iso = ISO_TYPES.has(type);
  const sigmaY = iso ? sigmaX : rng.uniform(o.sigmaRange[0], o.sigmaRange[1]);
  const theta = iso ? 0 : rng.uniform(o.rotationRange[0], o.rotationRange[1]);
  let beta = 1;
  const betaRange = type.startsWith('generalized')
    ? o.betaGaussianRange
    : type.startsWith('plateau')
      ? o.betaPlateauRange
      : null;
  if (betaRange) beta = rng.next() < 0.5 ? rng.uniform(betaRange[0], 1) : rng.uniform(1, betaRange[1]);
  return { type, size, sigmaX, sigmaY, theta, beta, paddedSize: o.paddedSize };
}

function sampleFinalSinc(rng: SeededRng, o: FinalSincOptions): KernelSpec {
  if (rng.next() < o.prob) {
    return {
      type: 'sinc',
      size: rng.pick(o.sizes),
      omegaC: rng.uniform(o.omegaRange[0], o.omegaRange[1]),
      paddedSize: o.paddedSize,
    };
  }
  return { type: 'pulse', size: 1, paddedSize: o.paddedSize };
}

/** Direction and factor of a random resize: [up, down, keep] → U[1, hi], U[lo, 1], 1. */
function sampleScale(rng: SeededRng, o: ResizeSamplingOptions): number {
  const kind = rng.choice(o.probs);
  if (kind === 0) return rng.uniform(1, o.range[1]);
  if (kind === 1) return rng.uniform(o.range[0], 1);
  return 1;
}

function sampleNoise(rng: SeededRng, o: NoiseSamplingOptions, b: number, levels: number): NoiseParams {
  const gaussian = rng.next() < o.gaussianProb;
  const values: number[] = [];
  const gray: boolean[] = [];
  for (let i = 0; i < b; i++) {
    values.push(
      gaussian
        ? rng.uniform(o.sigmaRange[0], o.sigmaRange[1]) / 255
        : rng.uniform(o.poissonScaleRange[0], o.poissonScaleRange[1]),
    );
    gray.push(rng.next() < o.grayProb);
  }
  const seed = rng.seed();
  return gaussian
    ? { type: 'gaussian', sigma: values, gray, seed }
    : { type: 'poisson', scale: values, gray, seed, levels };
}

function qualities(rng: SeededRng, [lo, hi]: [number, number], b: number): number[] {
  return Array.from({ length: b }, () => rng.uniform(lo, hi));
}

/**
 * Samples the parameters of one batch.
 * @param batchSize B >= 1.
 * @param hrSize HR size: a number (square) or [height, width]; both divisible by `options.scale`.
 * @param options partial options merged onto `DEFAULT_REAL_ESRGAN_OPTIONS` (pass
 *   `REAL_ESRGAN_TEST_OPTIONS` for the test-set setting); validated.
 * @param seed any integer.
 */
export function sampleDegradationParams(
  batchSize: number,
  hrSize: number | [number, number],
  options: RealEsrganOptionsInput = {},
  seed = 0,
): DegradationParams {
  const fn = 'sampleDegradationParams';
  assertInt(fn, 'batchSize', batchSize);
  if (!Number.isInteger(seed)) fail(fn, `'seed' must be an integer, got ${seed}`);
  const [h, w] = typeof hrSize === 'number' ? [hrSize, hrSize] : hrSize;
  assertInt(fn, 'hrSize[0]', h);
  assertInt(fn, 'hrSize[1]', w);
  const o: RealEsrganOptions = resolveRealEsrganOptions(options);
  const s = o.scale;
  if (h % s !== 0 || w % s !== 0) {
    fail(fn, `HR size ${h}x${w} must be divisible by the scale ${s}`);
  }
  const rng = createRng(seed);
  const b = batchSize;
  // Per-sample kernels (dataset side).
  const kernels1 = Array.from({ length: b }, () => sampleKernelSpec(rng, o.kernel1));
  const kernels2 = Array.from({ length: b }, () => sampleKernelSpec(rng, o.kernel2));
  const sinc = Array.from({ length: b }, () => sampleFinalSinc(rng, o.finalSinc));
  // Stage 1.
  const s1 = sampleScale(rng, o.resize1);
  const resize1: ResizeParams = {
    mode: rng.pick(o.resize1.modes),
    size: [Math.max(1, Math.floor(h * s1)), Math.max(1, Math.floor(w * s1))],
    scaleFactor: s1,
  };
  const noise1 = sampleNoise(rng, o.noise1, b, o.poissonLevels);
  const jpeg1 = qualities(rng, o.jpeg1Range, b);
  // Stage 2.
  let stage2: DegradationParams['stage2'] = null;
  if (rng.next() < o.secondOrderProb) {
    const blur = rng.next() < o.secondBlurProb;
    const s2 = sampleScale(rng, o.resize2);
    const mode = rng.pick(o.resize2.modes);
    stage2 = {
      kernels: blur ? kernels2 : null,
      resize: {
        mode,
        size: [Math.max(1, Math.floor((h / s) * s2)), Math.max(1, Math.floor((w / s) * s2))],
        scaleFactor: null,
      },
      noise: sampleNoise(rng, o.noise2, b, o.poissonLevels),
    };
  }
  // Final stage.
  const order = rng.next() < o.finalResizeFirstProb ? 'resize-sinc-jpeg' : 'jpeg-resize-sinc';
  const resizeMode = rng.pick(o.finalResizeModes);
  const jpeg2 = qualities(rng, o.jpeg2Range, b);
  return {
    version: 1,
    batchSize: b,
    hrSize: [h, w],
    scale: s,
    stage1: { kernels: kernels1, resize: resize1, noise: noise1, jpegQuality: jpeg1 },
    stage2,
    final: { order, resizeMode, sincKernels: sinc, jpegQuality: jpeg2 },
    jpeg: { ...o.jpeg },
  };
}
