import { detach, stopGradient } from '@ctmsr/pf-ode';
import { describeBackends, expectClose, expectNoLeaks } from '@ctmsr/test-harness';
import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';

describeBackends('stopGradient', () => {
  it('is the identity forward and blocks the gradient backward', async () => {
    const x = tf.tensor1d([1, -2, 3]);
    await expectNoLeaks(async () => {
      // L = sum(x * sg(x)) + sum(sg(x)^2): dL/dx = sg(x) = x.
      const g = tf.grad((v: tf.Tensor) =>
        tf.add(tf.sum(tf.mul(v, stopGradient(v))), tf.sum(tf.square(stopGradient(v)))),
      );
      const dx = g(x);
      await expectClose(dx, [1, -2, 3]);
      const y = stopGradient(x);
      expect(Array.from(await y.data())).toEqual([1, -2, 3]);
      tf.dispose([dx, y]);
    });
    x.dispose();
  });
});

describeBackends(
  'detach',
  () => {
    it('cuts the tape (zero gradient), shares storage, and survives disposal of the source', async () => {
      const x = tf.tensor1d([1, -2, 3]);
      await expectNoLeaks(async () => {
        const g = tf.grad((v: tf.Tensor) =>
          tf.add(tf.sum(tf.mul(v, detach(v))), tf.sum(tf.square(detach(v)))),
        );
        const dx = g(x);
        await expectClose(dx, [1, -2, 3]);
        const src = tf.clone(x);
        const d = detach(src);
        src.dispose();
        await expectClose(d, [1, -2, 3]);
        tf.dispose([dx, d]);
      });
      x.dispose();
    });
  },
  { webgpu: true },
);
