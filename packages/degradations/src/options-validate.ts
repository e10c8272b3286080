/** Merging partial options onto a base and validating them, with errors that name the field. */
import { KERNEL_TYPES } from './kernels.js';
import {
  DEFAULT_REAL_ESRGAN_OPTIONS,
  type KernelSamplingOptions,
  type NoiseSamplingOptions,
  type RealEsrganOptions,
  type RealEsrganOptionsInput,
  type ResizeSamplingOptions,
} from './options.js';
import { RESIZE_MODES } from './resize.js';

const FN = 'realEsrganOptions';

function bad(path: string, message: string): never {
  throw new Error(`${FN}: '${path}' ${message}`);
}

function num(path: string, v: unknown, lo = -Infinity, hi = Infinity): void {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < lo || v > hi) {
    bad(path, `must be a finite number in [${lo}, ${hi}], got ${JSON.stringify(v)}`);
  }
}

function prob(path: string, v: unknown): void {
  num(path, v, 0, 1);
}

function range(path: string, v: unknown, lo = -Infinity, hi = Infinity): void {
  if (!Array.isArray(v) || v.length !== 2) bad(path, `must be a [lo, hi] pair, got ${JSON.stringify(v)}`);
  num(`${path}[0]`, v[0], lo, hi);
  num(`${path}[1]`, v[1], lo, hi);
  if (v[0] > v[1]) bad(path, `must be ordered (lo <= hi), got [${v[0]}, ${v[1]}]`);
}

function distribution(path: string, v: unknown, n?: number): void {
  if (!Array.isArray(v) || v.length === 0)
    bad(path, `must be a non-empty list of probabilities, got ${JSON.stringify(v)}`);
  if (n != null && v.length !== n) bad(path, `must have ${n} entries, got ${v.length}`);
  v.forEach((p, i) => {
    prob(`${path}[${i}]`, p);
  });
  const s = (v as number[]).reduce((a, b) => a + b, 0);
  if (Math.abs(s - 1) > 1e-6) bad(path, `must sum to 1, got ${Number(s.toPrecision(10))}`);
}

function oddSizes(path: string, v: unknown, max: number): void {
  if (!Array.isArray(v) || v.length === 0)
    bad(path, `must be a non-empty list of odd sizes, got ${JSON.stringify(v)}`);
  for (const [i, k] of v.entries()) {
    if (!Number.isInteger(k) || k < 1 || k % 2 === 0)
      bad(`${path}[${i}]`, `must be a positive odd integer, got ${k}`);
    if (k > max) bad(`${path}[${i}]`, `must be <= the padded size ${max}, got ${k}`);
  }
}

function modes(path: string, v: unknown): void {
  if (!Array.isArray(v) || v.length === 0)
    bad(path, `must be a non-empty list of resize modes, got ${JSON.stringify(v)}`);
  for (const m of v) {
    if (!(RESIZE_MODES as readonly string[]).includes(m)) {
      bad(path, `has unknown mode '${m}'; expected ${RESIZE_MODES.join(', ')}`);
    }
  }
}

function kernel(path: string, k: KernelSamplingOptions): void {
  if (!Number.isInteger(k.paddedSize) || k.paddedSize < 1 || k.paddedSize % 2 === 0) {
    bad(`${path}.paddedSize`, `must be a positive odd integer, got ${k.paddedSize}`);
  }
  oddSizes(`${path}.sizes`, k.sizes, k.paddedSize);
  prob(`${path}.sincProb`, k.sincProb);
  range(`${path}.sincOmegaSmall`, k.sincOmegaSmall, 1e-6);
  range(`${path}.sincOmegaLarge`, k.sincOmegaLarge, 1e-6);
  num(`${path}.sincLargeFrom`, k.sincLargeFrom);
  if (!Array.isArray(k.kernelTypes) || k.kernelTypes.length === 0)
    bad(`${path}.kernelTypes`, 'must be non-empty');
  for (const t of k.kernelTypes) {
    if (!(KERNEL_TYPES as readonly string[]).includes(t)) {
      bad(`${path}.kernelTypes`, `has unknown type '${t}'; expected ${KERNEL_TYPES.join(', ')}`);
    }
  }
  distribution(`${path}.kernelProbs`, k.kernelProbs, k.kernelTypes.length);
  range(`${path}.sigmaRange`, k.sigmaRange, 1e-6);
  range(`${path}.rotationRange`, k.rotationRange);
  range(`${path}.betaGaussianRange`, k.betaGaussianRange, 1e-6);
  range(`${path}.betaPlateauRange`, k.betaPlateauRange, 1e-6);
  for (const name of ['betaGaussianRange', 'betaPlateauRange'] as const) {
    const [lo, hi] = k[name];
    if (lo > 1 || hi < 1)
      bad(`${path}.${name}`, `must contain 1 (β is drawn from [lo, 1] or [1, hi]), got [${lo}, ${hi}]`);
  }
}

function resize(path: string, r: ResizeSamplingOptions): void {
  distribution(`${path}.probs`, r.probs, 3);
  range(`${path}.range`, r.range, 1e-6);
  const [lo, hi] = r.range;
  if (lo > 1 || hi < 1)
    bad(`${path}.range`, `must contain 1 (down draws [lo, 1], up draws [1, hi]), got [${lo}, ${hi}]`);
  modes(`${path}.modes`, r.modes);
}

function noise(path: string, n: NoiseSamplingOptions): void {
  prob(`${path}.gaussianProb`, n.gaussianProb);
  range(`${path}.sigmaRange`, n.sigmaRange, 0);
  range(`${path}.poissonScaleRange`, n.poissonScaleRange, 0);
  prob(`${path}.grayProb`, n.grayProb);
}

/** Throws a clear error for the first invalid field of complete options. */
export function validateRealEsrganOptions(o: RealEsrganOptions): void {
  if (![2, 3, 4].includes(o.scale)) bad('scale', `must be 2, 3 or 4, got ${o.scale}`);
  kernel('kernel1', o.kernel1);
  kernel('kernel2', o.kernel2);
  resize('resize1', o.resize1);
  resize('resize2', o.resize2);
  noise('noise1', o.noise1);
  noise('noise2', o.noise2);
  range('jpeg1Range', o.jpeg1Range, 1, 100);
  range('jpeg2Range', o.jpeg2Range, 1, 100);
  prob('secondOrderProb', o.secondOrderProb);
  prob('secondBlurProb', o.secondBlurProb);
  prob('finalSinc.prob', o.finalSinc.prob);
  if (!Number.isInteger(o.finalSinc.paddedSize) || o.finalSinc.paddedSize % 2 === 0) {
    bad('finalSinc.paddedSize', `must be a positive odd integer, got ${o.finalSinc.paddedSize}`);
  }
  oddSizes('finalSinc.sizes', o.finalSinc.sizes, o.finalSinc.paddedSize);
  range('finalSinc.omegaRange', o.finalSinc.omegaRange, 1e-6);
  prob('finalResizeFirstProb', o.finalResizeFirstProb);
  modes('finalResizeModes', o.finalResizeModes);
  if (typeof o.jpeg?.chromaSubsampling !== 'boolean') bad('jpeg.chromaSubsampling', 'must be a boolean');
  if (o.jpeg.tables !== 'ijg' && o.jpeg.tables !== 'basicsr') {
    bad('jpeg.tables', `must be 'ijg' or 'basicsr', got '${o.jpeg.tables}'`);
  }
  num('poissonLevels', o.poissonLevels, 1e-6);
}

/**
 * Merges partial options onto `base` (default: the training setting), one level deep for the
 * grouped fields, and validates the result.
 */
export function resolveRealEsrganOptions(
  input: RealEsrganOptionsInput = {},
  base: Readonly<RealEsrganOptions> = DEFAULT_REAL_ESRGAN_OPTIONS,
): RealEsrganOptions {
  const out: Record<string, unknown> = { ...base };
  for (const key of Object.keys(input) as Array<keyof RealEsrganOptions>) {
    if (!(key in base)) bad(String(key), `is not an option (known: ${Object.keys(base).join(', ')})`);
    const v = input[key];
    if (v === undefined) continue;
    const b = base[key];
    const isGroup = (x: unknown) => x != null && typeof x === 'object' && !Array.isArray(x);
    out[key] = isGroup(b) && isGroup(v) ? { ...(b as object), ...(v as object) } : v;
  }
  const resolved = out as unknown as RealEsrganOptions;
  validateRealEsrganOptions(resolved);
  return resolved;
}
