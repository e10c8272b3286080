/**
 * Pixel unshuffle of a 256x256x3 state on wasm: one rank-6 permutation (the earlier
 * implementation, kept here as the baseline) against `pixelUnshuffle`'s two low-rank transposes.
 * Checks the values are equal, then prints the median ms of each (docs/benchmarks.md).
 *   npx tsx packages/sr-unet/bench/transpose.bench.ts
 */
import { selectBackend } from '@ctmsr/backends';
import * as tf from '@tensorflow/tfjs-core';
import { pixelUnshuffle } from '../src/index.js';

await selectBackend({ backend: 'wasm' });
const rank6 = (x: tf.Tensor4D, s: number) =>
  tf.tidy(() => {
    const [b, hs, ws, c] = x.shape;
    const t = tf.transpose(tf.reshape(x, [b, hs / s, s, ws / s, s, c]), [0, 1, 3, 5, 2, 4]);
    return tf.reshape(t, [b, hs / s, ws / s, c * s * s]);
  });
const x = tf.randomNormal([1, 256, 256, 3], 0, 1, 'float32', 1) as tf.Tensor4D;
const diff = tf.tidy(() => tf.max(tf.abs(tf.sub(rank6(x, 4), pixelUnshuffle(x, 4)))).dataSync()[0]);
console.log(`max |rank-6 - pixelUnshuffle| = ${diff}`);
for (const [name, f] of [
  ['rank-6 transpose', () => rank6(x, 4)],
  ['pixelUnshuffle (rank 4 + rank 3)', () => pixelUnshuffle(x, 4)],
] as const) {
  const ts: number[] = [];
  for (let r = 0; r < 25; r++) {
    const t0 = performance.now();
    const y = f();
    await y.data();
    y.dispose();
    if (r >= 5) ts.push(performance.now() - t0);
  }
  ts.sort((a, b) => a - b);
  console.log(`${name}: ${ts[ts.length >> 1].toFixed(2)} ms median of ${ts.length}`);
}
