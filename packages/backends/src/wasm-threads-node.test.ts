import { ensureGradients, selectBackend } from '@ctmsr/backends';
import { expectClose, expectNoLeaks, seededNormal } from '@ctmsr/test-harness';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';

// This file runs in its own process (vitest forks): the first wasm init decides threads or not.

type Pad = 'same' | 'valid';
interface Case {
  x: [number, number, number, number];
  w: [number, number, number, number];
  stride: number;
  pad: Pad;
}
const CASES: Case[] = [
  { x: [2, 16, 16, 8], w: [3, 3, 8, 8], stride: 1, pad: 'same' },
  { x: [2, 9, 11, 3], w: [5, 5, 3, 4], stride: 1, pad: 'valid' },
  { x: [3, 8, 8, 5], w: [3, 3, 5, 7], stride: 2, pad: 'same' },
  { x: [2, 9, 11, 3], w: [1, 1, 3, 4], stride: 2, pad: 'valid' },
];

/** conv2d(x, W) and dL/dx, dL/dW of L = sum(conv2d(x, W) * r), on the current backend. */
function convAndGrads(c: Case): tf.Tensor[] {
  return tf.tidy(() => {
    const x = seededNormal(c.x, 1) as tf.Tensor4D;
    const w = seededNormal(c.w, 2) as tf.Tensor4D;
    const y = tf.conv2d(x, w, c.stride, c.pad);
    const r = seededNormal(y.shape, 3);
    const g = tf.grads((a: tf.Tensor, b: tf.Tensor) =>
      tf.sum(tf.mul(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, c.stride, c.pad), r)),
    );
    return [y, ...g([x, w])];
  });
}

describe('multi-threaded wasm in Node (pthreads + SIMD)', () => {
  let reason = '';
  beforeAll(async () => {
    tf.env().set('PROD', true);
    await ensureGradients();
    await selectBackend({ backend: 'cpu' });
    const chosen = await selectBackend({ backend: 'wasm', wasmThreads: { enabled: true, threads: 2 } });
    reason = chosen.reason;
  }, 120_000);

  it('initialises the threaded module with 2 XNNPACK threads and says so', async () => {
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    expect(tf.getBackend()).toBe('wasm');
    expect(wasm.getThreadsCount()).toBe(2);
    expect(reason).toBe('requested; 2 threads');
    const pool = (tf.backend() as unknown as { wasm: { PThread: { runningWorkers: unknown[] } } }).wasm
      .PThread;
    expect(pool.runningWorkers.length).toBeGreaterThanOrEqual(1);
  });

  for (const c of CASES) {
    it(`conv2d and the training kernels' gradients match cpu: x [${c.x}] W [${c.w}] s${c.stride} ${c.pad}`, async () => {
      await tf.setBackend('cpu');
      const refT = convAndGrads(c);
      const ref = await Promise.all(refT.map((t) => t.data()));
      tf.dispose(refT);
      await tf.setBackend('wasm');
      await expectNoLeaks(async () => {
        const out = convAndGrads(c);
        const names = ['y', 'dx', 'dW'];
        for (let i = 0; i < 3; i++) {
          await expectClose(out[i], ref[i], { rtol: 1e-4, atol: 1e-5, what: names[i] });
        }
        tf.dispose(out);
      });
    });
  }

  it('a second selectBackend reuses the threaded module', async () => {
    const again = await selectBackend({ backend: 'wasm' });
    expect(again.reason).toBe('requested; 2 threads');
  });
});
