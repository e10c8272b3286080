/**
 * Blur kernels of the Real-ESRGAN degradation model (method.md §6.1; BasicSR `degradations.py`),
 * as pure functions of explicit parameters. All kernels are square with an odd size k, centred,
 * normalised to sum 1, row-major (row = y, column = x).
 *
 * Grid: p = (x, y) with x, y ∈ {−(k−1)/2, …, (k−1)/2} (x along columns, y along rows).
 * Quadratic form: q(p) = pᵀ Σ⁻¹ p with Σ = R(θ) diag(σx², σy²) R(θ)ᵀ, R(θ) = [[cos θ, −sin θ], [sin θ, cos θ]],
 * i.e. q = (x cos θ + y sin θ)² / σx² + (−x sin θ + y cos θ)² / σy².
 */
import { besselJ1 } from './bessel.js';

/** A square kernel: `values[row * size + col]`, sum 1. */
export interface Kernel2D {
  size: number;
  values: Float64Array;
}

/** Kernel families of BasicSR's `random_mixed_kernels` (names as in BasicSR configs). */
export const KERNEL_TYPES = [
  'iso',
  'aniso',
  'generalized_iso',
  'generalized_aniso',
  'plateau_iso',
  'plateau_aniso',
] as const;
export type MixedKernelType = (typeof KERNEL_TYPES)[number];

/**
 * Serialisable description of one kernel. `size` is the kernel's own (odd) support; `paddedSize`
 * (optional) records the zero-padded size of the reference implementation, which does not change
 * the filtering result.
 */
export type KernelSpec =
  | {
      type: MixedKernelType;
      size: number;
      sigmaX: number;
      sigmaY: number;
      theta: number;
      /** Shape exponent β (ignored for 'iso' / 'aniso'). */
      beta: number;
      paddedSize?: number;
    }
  | { type: 'sinc'; size: number; omegaC: number; paddedSize?: number }
  | { type: 'pulse'; size: number; paddedSize?: number };

function checkSize(fn: string, size: number): void {
  if (!Number.isInteger(size) || size < 1 || size % 2 === 0) {
    throw new Error(`${fn}: 'size' must be a positive odd integer, got ${size}`);
  }
}

function checkPositive(fn: string, name: string, v: number): void {
  if (!Number.isFinite(v) || v <= 0)
    throw new Error(`${fn}: '${name}' must be a finite number > 0, got ${v}`);
}

function normalise(fn: string, values: Float64Array): Float64Array {
  let s = 0;
  for (const v of values) s += v;
  if (!(Math.abs(s) > 1e-300) || !Number.isFinite(s))
    throw new Error(`${fn}: kernel sum is ${s}, cannot normalise`);
  for (let i = 0; i < values.length; i++) values[i] /= s;
  return values;
}

/** q(p) = pᵀ Σ⁻¹ p on the k×k grid (see file doc). */
function quadraticForm(size: number, sigmaX: number, sigmaY: number, theta: number): Float64Array {
  const c = Math.cos(theta);
  const s = Math.sin(theta);
  const r = (size - 1) / 2;
  const q = new Float64Array(size * size);
  for (let row = 0; row < size; row++) {
    const y = row - r;
    for (let col = 0; col < size; col++) {
      const x = col - r;
      const a = x * c + y * s;
      const b = -x * s + y * c;
      q[row * size + col] = (a * a) / (sigmaX * sigmaX) + (b * b) / (sigmaY * sigmaY);
    }
  }
  return q;
}

/**
 * Anisotropic Gaussian kernel: K(p) ∝ exp(−½ pᵀΣ⁻¹p). Isotropic when σx = σy (θ irrelevant).
 * BasicSR `bivariate_Gaussian`.
 */
export function gaussianKernel(size: number, sigmaX: number, sigmaY: number, theta = 0): Kernel2D {
  const fn = 'gaussianKernel';
  checkSize(fn, size);
  checkPositive(fn, 'sigmaX', sigmaX);
  checkPositive(fn, 'sigmaY', sigmaY);
  const q = quadraticForm(size, sigmaX, sigmaY, theta);
  for (let i = 0; i < q.length; i++) q[i] = Math.exp(-0.5 * q[i]);
  return { size, values: normalise(fn, q) };
}

/**
 * Generalised Gaussian kernel: K(p) ∝ exp(−½ (pᵀΣ⁻¹p)^β). β = 1 is the Gaussian.
 * BasicSR `bivariate_generalized_Gaussian`.
 */
export function generalizedGaussianKernel(
  size: number,
  sigmaX: number,
  sigmaY: number,
  theta: number,
  beta: number,
): Kernel2D {
  const fn = 'generalizedGaussianKernel';
  checkSize(fn, size);
  checkPositive(fn, 'sigmaX', sigmaX);
  checkPositive(fn, 'sigmaY', sigmaY);
  checkPositive(fn, 'beta', beta);
  const q = quadraticForm(size, sigmaX, sigmaY, theta);
  for (let i = 0; i < q.length; i++) q[i] = Math.exp(-0.5 * q[i] ** beta);
  return { size, values: normalise(fn, q) };
}

/**
 * Plateau-shaped kernel: K(p) ∝ 1 / (1 + (pᵀΣ⁻¹p)^β). BasicSR `bivariate_plateau`.
 */
export function plateauKernel(
  size: number,
  sigmaX: number,
  sigmaY: number,
  theta: number,
  beta: number,
): Kernel2D {
  const fn = 'plateauKernel';
  checkSize(fn, size);
  checkPositive(fn, 'sigmaX', sigmaX);
  checkPositive(fn, 'sigmaY', sigmaY);
  checkPositive(fn, 'beta', beta);
  const q = quadraticForm(size, sigmaX, sigmaY, theta);
  for (let i = 0; i < q.length; i++) q[i] = 1 / (1 + q[i] ** beta);
  return { size, values: normalise(fn, q) };
}

/**
 * 2-D sinc (circular low-pass) kernel with cut-off ω_c (radians per pixel):
 * K(r) ∝ ω_c·J1(ω_c·r) / (2π·r), centre value ω_c² / (4π) (the r → 0 limit).
 * BasicSR `circular_lowpass_kernel`.
 */
export function sincKernel(size: number, omegaC: number): Kernel2D {
  const fn = 'sincKernel';
  checkSize(fn, size);
  checkPositive(fn, 'omegaC', omegaC);
  const r0 = (size - 1) / 2;
  const v = new Float64Array(size * size);
  for (let row = 0; row < size; row++) {
    for (let col = 0; col < size; col++) {
      const r = Math.hypot(row - r0, col - r0);
      v[row * size + col] =
        r === 0 ? (omegaC * omegaC) / (4 * Math.PI) : (omegaC * besselJ1(omegaC * r)) / (2 * Math.PI * r);
    }
  }
  return { size, values: normalise(fn, v) };
}

/** Identity (pulse) kernel: 1 at the centre, 0 elsewhere. */
export function pulseKernel(size = 1): Kernel2D {
  checkSize('pulseKernel', size);
  const v = new Float64Array(size * size);
  v[(size * size - 1) / 2] = 1;
  return { size, values: v };
}

/** Zero-pads a kernel symmetrically to `size` (odd, >= kernel.size). */
export function padKernel(kernel: Kernel2D, size: number): Kernel2D {
  checkSize('padKernel', size);
  if (size < kernel.size) {
    throw new Error(`padKernel: 'size' ${size} is smaller than the kernel's size ${kernel.size}`);
  }
  const off = (size - kernel.size) / 2;
  const v = new Float64Array(size * size);
  for (let r = 0; r < kernel.size; r++) {
    for (let c = 0; c < kernel.size; c++) v[(r + off) * size + c + off] = kernel.values[r * kernel.size + c];
  }
  return { size, values: v };
}

/** Builds the kernel a spec describes (at its own size; zero padding never changes a filter's output). */
export function renderKernel(spec: KernelSpec): Kernel2D {
  switch (spec.type) {
    case 'iso':
    case 'aniso':
      return gaussianKernel(spec.size, spec.sigmaX, spec.sigmaY, spec.theta);
    case 'generalized_iso':
    case 'generalized_aniso':
      return generalizedGaussianKernel(spec.size, spec.sigmaX, spec.sigmaY, spec.theta, spec.beta);
    case 'plateau_iso':
    case 'plateau_aniso':
      return plateauKernel(spec.size, spec.sigmaX, spec.sigmaY, spec.theta, spec.beta);
    case 'sinc':
      return sincKernel(spec.size, spec.omegaC);
    case 'pulse':
      return pulseKernel(spec.size);
    default:
      throw new Error(`renderKernel: unknown kernel type '${(spec as { type: string }).type}'`);
  }
}
