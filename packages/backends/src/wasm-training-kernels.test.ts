import { ensureGradients, registerWasmTrainingKernels } from '@ctmsr/backends';
import { expectClose, expectNoLeaks, seededNormal, useBackend } from '@ctmsr/test-harness';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';

type Pad = 'same' | 'valid';
interface Case {
  x: [number, number, number, number];
  w: [number, number, number, number];
  stride: number;
  pad: Pad;
}

const CASES: Case[] = [];
for (const k of [1, 3, 5]) {
  for (const stride of [1, 2]) {
    for (const pad of ['same', 'valid'] as Pad[]) {
      CASES.push({ x: [2, 9, 11, 3], w: [k, k, 3, 4], stride, pad });
    }
  }
}
CASES.push({ x: [3, 8, 8, 5], w: [3, 3, 5, 7], stride: 2, pad: 'same' }); // even size, stride 2
CASES.push({ x: [1, 7, 5, 2], w: [5, 5, 2, 3], stride: 1, pad: 'same' }); // kernel close to size

/** dL/dx and dL/dW of L = sum(conv2d(x, W) * r) for a fixed random r, on the current backend. */
function convGrads(c: Case): [tf.Tensor, tf.Tensor] {
  return tf.tidy(() => {
    const x = seededNormal(c.x, 1);
    const w = seededNormal(c.w, 2);
    const probe = tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, c.stride, c.pad);
    const r = seededNormal(probe.shape, 3);
    const g = tf.grads((a: tf.Tensor, b: tf.Tensor) =>
      tf.sum(tf.mul(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, c.stride, c.pad), r)),
    );
    const [dx, dw] = g([x, w]);
    return [dx, dw] as [tf.Tensor, tf.Tensor];
  });
}

describe('wasm training kernels (Conv2DBackpropInput / Conv2DBackpropFilter)', () => {
  beforeAll(async () => {
    await ensureGradients();
    await useBackend('wasm');
    registerWasmTrainingKernels();
  });

  for (const c of CASES) {
    it(`match cpu gradients: x [${c.x}] W [${c.w}] stride ${c.stride} ${c.pad}`, async () => {
      await tf.setBackend('cpu');
      const [dxRef, dwRef] = convGrads(c);
      const ref = [await dxRef.data(), await dwRef.data()];
      tf.dispose([dxRef, dwRef]);
      await tf.setBackend('wasm');
      await expectNoLeaks(async () => {
        const [dx, dw] = convGrads(c);
        expect(dx.shape).toEqual(c.x);
        expect(dw.shape).toEqual(c.w);
        await expectClose(dx, ref[0], { rtol: 1e-4, atol: 1e-5, what: 'dx' });
        await expectClose(dw, ref[1], { rtol: 1e-4, atol: 1e-5, what: 'dW' });
        tf.dispose([dx, dw]);
      });
    });
  }

  it('registration is idempotent', () => {
    registerWasmTrainingKernels();
    registerWasmTrainingKernels();
    expect(tf.getKernel('Conv2DBackpropFilter', 'wasm')).toBeDefined();
  });
});
