/**
 * Seeded Gaussian noise that gives the same numbers on every backend and every machine.
 *
 * Counter-based: the value at flat index i of a field is a pure function of (seed, i), computed
 * in JavaScript (a 32-bit integer hash and the Box-Muller transform), then uploaded. Any crop
 * of a large field can therefore be generated on its own (`normalFieldRegion`), which is what
 * seam-free tiling of a stochastic model needs: one global noise field, never held in memory
 * as a whole.
 */
import * as tf from '@tensorflow/tfjs-core';
import { assertPositiveInt } from './validate.js';

/** lowbias32 integer hash (C. Wellons, "Prospecting for Hash Functions", 2018). */
export function hash32(x: number): number {
  let h = x >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x7feb352d);
  h ^= h >>> 15;
  h = Math.imul(h, 0x846ca68b);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Mixes a seed and a stream id into a 32-bit key. */
export function deriveSeed(seed: number, ...streams: number[]): number {
  let h = hash32((seed | 0) ^ 0x9e3779b9);
  for (const s of streams) h = hash32(h ^ hash32((s | 0) + 0x632be5ab));
  return h;
}

/** Uniform in (0, 1) from (key, counter). */
function counterHash(key: number, counter: number): number {
  return hash32(hash32(counter ^ key) + Math.imul(key, 0x85ebca6b));
}

/** Uniform in [0, 1) from (key, counter): a pure function, no state. */
export function uniformAt(key: number, counter: number): number {
  return counterHash(key, counter) / 4294967296;
}

/** Uniform in (0, 1) (never 0, for the logarithm of Box-Muller). */
function uniform(key: number, counter: number): number {
  return (counterHash(key, counter) + 0.5) / 4294967296;
}

/** The standard-normal value at flat index i of the field with this seed. */
export function normalAt(seed: number, i: number): number {
  const key = deriveSeed(seed);
  return normalFromKey(key, i);
}

function normalFromKey(key: number, i: number): number {
  const u1 = uniform(key, 2 * i);
  const u2 = uniform(key, 2 * i + 1);
  return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
}

/** Fills `out` with the field values at flat indices `start, start+1, ...`. */
function fill(key: number, out: Float32Array, start: number): void {
  for (let j = 0; j < out.length; j++) out[j] = normalFromKey(key, start + j);
}

/**
 * Standard-normal noise of the given shape for `seed`; identical on every backend.
 * Flat index order is row-major (NHWC).
 */
export function seededNormal(shape: number[], seed: number): tf.Tensor {
  const size = shape.reduce((a, b) => a * b, 1);
  const data = new Float32Array(size);
  fill(deriveSeed(seed), data, 0);
  return tf.tensor(data, shape, 'float32');
}

/**
 * A crop of the global noise field [B, H, W, C] for `seed`: rows y0..y0+h, columns x0..x0+w.
 * Equals `slice(seededNormal([B, H, W, C], seed), [0, y0, x0, 0], [B, h, w, C])` without ever
 * generating the whole field.
 */
export function normalFieldRegion(
  fieldShape: [number, number, number, number],
  seed: number,
  region: { y0: number; x0: number; h: number; w: number },
): tf.Tensor4D {
  const [b, hh, ww, c] = fieldShape;
  const { y0, x0, h, w } = region;
  for (const [name, v] of Object.entries({ B: b, H: hh, W: ww, C: c })) {
    assertPositiveInt('normalFieldRegion', `fieldShape.${name}`, v);
  }
  if (y0 < 0 || x0 < 0 || h < 1 || w < 1 || y0 + h > hh || x0 + w > ww) {
    throw new Error(
      `normalFieldRegion: region y0=${y0} x0=${x0} h=${h} w=${w} does not fit in a ${hh}x${ww} field`,
    );
  }
  const key = deriveSeed(seed);
  const data = new Float32Array(b * h * w * c);
  const row = new Float32Array(w * c);
  let o = 0;
  for (let n = 0; n < b; n++) {
    for (let y = 0; y < h; y++) {
      fill(key, row, ((n * hh + y0 + y) * ww + x0) * c);
      data.set(row, o);
      o += row.length;
    }
  }
  return tf.tensor4d(data, [b, h, w, c]);
}
