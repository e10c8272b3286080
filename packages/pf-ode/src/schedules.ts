/**
 * Discretisation of the CTMSR trajectory (method.md §1.2).
 *
 * Karras-style interpolation, ascending (index 0 is the clean end):
 *   v_i = (lo^(1/rho) + i/(N-1) * (hi^(1/rho) - lo^(1/rho)))^rho,  i = 0..N-1
 * Noise levels sigma_i = karras(N, sigmaMin, sigmaMax, noiseRho); residual weights
 * alpha_i = karras(N, resMin, resMax, resRho). With the defaults (0, 1, rho = 1) both are i/(N-1).
 *
 * Source: reference config (noise_rho = res_rho = 1, sigma_min = 0, sigma_max = 1) and the
 * `karras_schedule` helper of the CTMSR code base (inferred from GTASR, spec §0 G1).
 */
import type { TrajectoryLevel } from './types.js';
import { assertFiniteInRange, assertPositiveInt } from './validate.js';

export interface TrajectoryScheduleOptions {
  sigmaMin: number;
  sigmaMax: number;
  noiseRho: number;
  resMin: number;
  resMax: number;
  resRho: number;
}

/** Reference defaults (method.md §1.2, C4). */
export const DEFAULT_TRAJECTORY_SCHEDULE: TrajectoryScheduleOptions = {
  sigmaMin: 0,
  sigmaMax: 1,
  noiseRho: 1,
  resMin: 0,
  resMax: 1,
  resRho: 1,
};

/** Karras-style ascending schedule of n values from lo to hi with exponent rho. */
export function karrasSchedule(n: number, lo: number, hi: number, rho: number): number[] {
  assertPositiveInt('karrasSchedule', 'n', n, 2);
  assertFiniteInRange('karrasSchedule', 'lo', lo, 0, Number.MAX_VALUE);
  assertFiniteInRange('karrasSchedule', 'hi', hi, lo, Number.MAX_VALUE);
  assertFiniteInRange('karrasSchedule', 'rho', rho, Number.MIN_VALUE, Number.MAX_VALUE);
  const a = lo ** (1 / rho);
  const b = hi ** (1 / rho);
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push((a + (i / (n - 1)) * (b - a)) ** rho);
  // Exact endpoints (no rounding drift through the power).
  out[0] = lo;
  out[n - 1] = hi;
  return out;
}

/** The N trajectory levels {sigma_i, alpha_i}, ascending from the clean end. */
export function trajectoryLevels(
  n: number,
  options: Partial<TrajectoryScheduleOptions> = {},
): TrajectoryLevel[] {
  const o = { ...DEFAULT_TRAJECTORY_SCHEDULE, ...options };
  const sigmas = karrasSchedule(n, o.sigmaMin, o.sigmaMax, o.noiseRho);
  const alphas = karrasSchedule(n, o.resMin, o.resMax, o.resRho);
  return sigmas.map((sigma, i) => ({ sigma, alpha: alphas[i] }));
}
