/**
 * Seeded parameter initialisation (method.md §4.2), computed in JavaScript so that a seed gives
 * the same weights on every backend and machine. Each parameter's values are a pure function of
 * (seed, parameter name, element index): adding or removing a layer does not change the others.
 *
 * - xavier: gain * sqrt(6 / (fanIn + fanOut)) * U(-1, 1) (EDM `xavier_uniform`, fan = channels * k^2).
 * - torch-default: U(-1/sqrt(fanIn), 1/sqrt(fanIn)) (PyTorch nn.Conv2d default for weight and bias).
 * - trunc-normal: N(0, std^2) truncated to [-2 std, 2 std] by resampling (timm `trunc_normal_`).
 *
 * Deviations: the random stream differs from PyTorch's (same distributions, other numbers).
 */
import type { Init } from './layout.js';
import { mixSeed, uniformAt } from './ops.js';

/** FNV-1a hash of a string. */
function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** The initial values of one parameter, flat row-major. */
export function initialValues(name: string, size: number, init: Init, seed: number): Float32Array {
  const out = new Float32Array(size);
  const key = mixSeed(seed, fnv1a(name));
  switch (init.kind) {
    case 'zeros':
      break;
    case 'ones':
      out.fill(1);
      break;
    case 'xavier': {
      const bound = init.gain * Math.sqrt(6 / (init.fanIn + init.fanOut));
      for (let i = 0; i < size; i++) out[i] = bound * (2 * uniformAt(key, i) - 1);
      break;
    }
    case 'torch-default': {
      const bound = 1 / Math.sqrt(init.fanIn);
      for (let i = 0; i < size; i++) out[i] = bound * (2 * uniformAt(key, i) - 1);
      break;
    }
    case 'trunc-normal': {
      for (let i = 0; i < size; i++) {
        let z = 3;
        for (let a = 0; Math.abs(z) > 2; a++) {
          const c = 2 * (i + a * size);
          const u1 = 1 - uniformAt(key, c);
          const u2 = uniformAt(key, c + 1);
          z = Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
        }
        out[i] = init.std * z;
      }
      break;
    }
  }
  return out;
}
