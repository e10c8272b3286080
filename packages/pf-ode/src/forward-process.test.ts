import { forwardProcess, trajectoryLevels } from '@ctmsr/pf-ode';
import { describeBackends, expectClose, expectNoLeaks, seededNormal } from '@ctmsr/test-harness';
import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';

describeBackends(
  'forwardProcess',
  ({ rtol }) => {
    const shape = [2, 4, 6, 3];
    it('index 0 gives y and the last index gives u + sigma_max eps', async () => {
      const y = seededNormal(shape, 1) as tf.Tensor4D;
      const u = seededNormal(shape, 2) as tf.Tensor4D;
      const eps = seededNormal(shape, 3) as tf.Tensor4D;
      const levels = trajectoryLevels(4);
      await expectNoLeaks(async () => {
        const x0 = forwardProcess(y, u, levels[0].alpha, levels[0].sigma, eps);
        await expectClose(x0, y, { rtol: 0, atol: 0 });
        const xN = forwardProcess(y, u, levels[3].alpha, levels[3].sigma, eps);
        const ref = tf.add(u, eps);
        await expectClose(xN, ref, { rtol, atol: 1e-6 });
        tf.dispose([x0, xN, ref]);
      });
      tf.dispose([y, u, eps]);
    });

    it('matches y + alpha (u - y) + sigma eps element-wise with per-sample levels', async () => {
      const y = seededNormal(shape, 4) as tf.Tensor4D;
      const u = seededNormal(shape, 5) as tf.Tensor4D;
      const eps = seededNormal(shape, 6) as tf.Tensor4D;
      const alpha = tf.tensor1d([0.25, 0.5]);
      const sigma = tf.tensor1d([0.1, 0.75]);
      const [ys, us, es] = [await y.data(), await u.data(), await eps.data()];
      const per = ys.length / 2;
      const expected = Float32Array.from(ys, (v, i) => {
        const b = Math.floor(i / per);
        return v + [0.25, 0.5][b] * (us[i] - v) + [0.1, 0.75][b] * es[i];
      });
      await expectNoLeaks(async () => {
        const x = forwardProcess(y, u, alpha, sigma, eps);
        await expectClose(x, expected, { rtol, atol: 1e-6 });
        x.dispose();
      });
      tf.dispose([y, u, eps, alpha, sigma]);
    });

    it('rejects mismatched shapes and missing noise', () => {
      const y = tf.zeros([1, 4, 4, 3]) as tf.Tensor4D;
      const u = tf.zeros([1, 4, 5, 3]) as tf.Tensor4D;
      expect(() => forwardProcess(y, u, 0.5, 0.5, y)).toThrow(
        /forwardProcess: 'y' \[1,4,4,3\] and 'u' \[1,4,5,3\] must have the same shape/,
      );
      expect(() => forwardProcess(y, y, 0.5, 0.5)).toThrow(/'eps' is required/);
      const s = tf.tensor1d([1, 2]);
      expect(() => forwardProcess(y, y, s, 0.5, y)).toThrow(
        /'alpha' has 2 entries, expected the batch size 1/,
      );
      tf.dispose([y, u, s]);
    });
  },
  { webgpu: true },
);
