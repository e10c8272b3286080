/**
 * Bessel function of the first kind, order 1, from Bessel's integral
 *   J1(x) = (1/π) ∫_0^π cos(τ − x·sin τ) dτ.
 * The integrand is smooth, even and 2π-periodic in τ, so the trapezoid rule converges
 * geometrically: with M sub-intervals over the full period the error is about 2·|J_{M+1}(x)|,
 * negligible once M exceeds e·|x|/2 by a margin. We use M = 2·ceil(|x|) + 64 (so about
 * 1e-16 absolute for the arguments the sinc kernel needs, |x| <= 50).
 */
export function besselJ1(x: number): number {
  if (!Number.isFinite(x)) throw new Error(`besselJ1: 'x' must be finite, got ${x}`);
  const ax = Math.abs(x);
  const m = 2 * Math.ceil(ax) + 64; // sub-intervals over [-π, π]; even, so [0, π] gets m/2
  const half = m / 2;
  const h = Math.PI / half;
  // Trapezoid on [0, π] with end points halved equals the periodic rule over [-π, π] / 2.
  let sum = 0.5 * (Math.cos(0) + Math.cos(Math.PI)); // τ = 0 and τ = π (sin τ = 0)
  for (let j = 1; j < half; j++) {
    const t = j * h;
    sum += Math.cos(t - ax * Math.sin(t));
  }
  const j1 = (sum * h) / Math.PI;
  return x < 0 ? -j1 : j1;
}
