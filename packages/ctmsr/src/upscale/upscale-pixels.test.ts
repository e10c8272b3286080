import type { Denoiser } from '@ctmsr/pf-ode';
import { bicubicUpsample } from '@ctmsr/pf-ode';
import { describeBackends, expectClose, expectNoLeaks } from '@ctmsr/test-harness';
import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import type { Pixels } from '../image/pixels.js';
import { resolveUpscaleOptions, type UpscaleOptions } from './options.js';
import { type TileModel, upscalePixels } from './upscale-pixels.js';

/**
 * A local stand-in for the network: D(x, l, sigma) = 0.5 u + 0.3 conv3x3(x) + 0.1 sigma with
 * u = bicubic(l). Its receptive field is a few HR pixels, so a tiled run must equal the untiled one.
 */
function localDenoiser(): { denoiser: Denoiser; dispose: () => void } {
  const k = tf.tensor4d([0.1, 0.2, 0.1, 0.2, 0.4, -0.2, 0.1, -0.1, 0.05], [3, 3, 1, 1]);
  const denoiser: Denoiser = (x, lq, sigma) =>
    tf.tidy(() => {
      const u = bicubicUpsample(lq, 4);
      const [b, h, w] = x.shape;
      const planes = tf.reshape(tf.transpose(x, [0, 3, 1, 2]), [b * 3, h, w, 1]) as tf.Tensor4D;
      const conv = tf.transpose(tf.reshape(tf.conv2d(planes, k, 1, 'same'), [b, 3, h, w]), [0, 2, 3, 1]);
      return tf.add(tf.add(tf.mul(u, 0.5), tf.mul(conv, 0.3)), 0.1 * (sigma as number)) as tf.Tensor4D;
    });
  return { denoiser, dispose: () => k.dispose() };
}

function testImage(h: number, w: number, channels: 1 | 2 | 3 | 4, seed = 1): Pixels {
  const data = new Float32Array(h * w * channels);
  let s = seed;
  for (let i = 0; i < data.length; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    data[i] = (i % 7) / 10 + (s / 2 ** 32) * 0.3;
  }
  return { data, height: h, width: w, channels };
}

function run(model: TileModel, image: Pixels, options: UpscaleOptions & { tileSize: number }) {
  const resolved = resolveUpscaleOptions(options);
  return upscalePixels(model, image, { ...resolved, tileSize: options.tileSize });
}

describeBackends(
  'upscalePixels with a local denoiser',
  ({ rtol }) => {
    it('tiled equals untiled (global noise field, smooth blending): seam-free', async () => {
      const { denoiser, dispose } = localDenoiser();
      const model = { denoiser, scale: 4, multiple: 8 };
      const image = testImage(48, 40, 3);
      await expectNoLeaks(async () => {
        const whole = await run(model, image, { tileSize: 64, seed: 3 });
        const tiled = await run(model, image, { tileSize: 32, overlap: 16, seed: 3 });
        expect(whole.height).toBe(192);
        expect(whole.width).toBe(160);
        await expectClose(tiled.data, whole.data, { rtol, atol: 1e-5, what: 'tiled vs untiled' });
      });
      dispose();
    });

    it('aborts mid-way with an AbortError and frees every tensor', async () => {
      const { denoiser, dispose } = localDenoiser();
      const model = { denoiser, scale: 4, multiple: 8 };
      const image = testImage(32, 32, 3);
      const before = tf.memory().numTensors;
      const controller = new AbortController();
      let seen = 0;
      const promise = run(model, image, {
        tileSize: 8,
        overlap: 2,
        signal: controller.signal,
        onProgress: ({ completed }) => {
          seen = completed;
          if (completed === 2) controller.abort();
        },
      });
      await expect(promise).rejects.toMatchObject({ name: 'AbortError' });
      expect(seen).toBe(2);
      expect(tf.memory().numTensors).toBe(before);
      dispose();
    });
  },
  { webgpu: true },
);

describeBackends('upscalePixels options', ({ rtol }) => {
  it('tiled equals untiled for 2-step sampling with enough overlap', async () => {
    const { denoiser, dispose } = localDenoiser();
    const model = { denoiser, scale: 4, multiple: 8 };
    const image = testImage(48, 48, 3, 5);
    const whole = await run(model, image, { tileSize: 64, seed: 9, steps: 2 });
    const tiled = await run(model, image, { tileSize: 32, overlap: 16, seed: 9, steps: 2 });
    await expectClose(tiled.data, whole.data, { rtol, atol: 1e-5, what: '2-step tiled vs untiled' });
    dispose();
  });

  it('holds only one tile of tensors at a time (memory bounded by the tile, not the image)', async () => {
    const { denoiser, dispose } = localDenoiser();
    const base = tf.memory().numBytes;
    let peak = 0;
    const watched: Denoiser = (x, lq, sigma) => {
      const y = denoiser(x, lq, sigma);
      peak = Math.max(peak, tf.memory().numBytes - base);
      return y;
    };
    const image = testImage(64, 64, 3);
    const out = await run({ denoiser: watched, scale: 4, multiple: 8 }, image, { tileSize: 16, overlap: 4 });
    const hrBytes = out.data.byteLength; // 256 x 256 x 3 float32; one tile's tensors are ~1/4 of it
    expect(peak).toBeGreaterThan(0);
    expect(peak).toBeLessThan(hrBytes / 3);
    dispose();
  });

  it('differs per seed and repeats for the same seed', async () => {
    const { denoiser, dispose } = localDenoiser();
    const model = { denoiser, scale: 4, multiple: 8 };
    const image = testImage(16, 16, 3);
    const a = await run(model, image, { tileSize: 16, seed: 1 });
    const b = await run(model, image, { tileSize: 16, seed: 1 });
    const c = await run(model, image, { tileSize: 16, seed: 2 });
    expect(Array.from(b.data)).toEqual(Array.from(a.data));
    let diff = 0;
    for (let i = 0; i < a.data.length; i++) diff += Math.abs(a.data[i] - c.data[i]);
    expect(diff / a.data.length).toBeGreaterThan(1e-3);
    dispose();
  });

  it('keeps alpha (plain bicubic) and returns gray for gray input', async () => {
    const { denoiser, dispose } = localDenoiser();
    const model = { denoiser, scale: 4, multiple: 8 };
    const rgba = testImage(24, 20, 4);
    // Margin = overlap HR pixels = 8 >= bicubic's reach of 6: tiled bicubic is exact.
    const out = await run(model, rgba, { tileSize: 16, overlap: 8 });
    expect(out.channels).toBe(4);
    const alpha = new Float32Array(24 * 20);
    for (let i = 0; i < alpha.length; i++) alpha[i] = rgba.data[4 * i + 3];
    const expected = tf.tidy(() =>
      tf.clipByValue(bicubicUpsample(tf.tensor4d(alpha, [1, 24, 20, 1]), 4), 0, 1),
    );
    const got = new Float32Array(96 * 80);
    for (let i = 0; i < got.length; i++) got[i] = out.data[4 * i + 3];
    await expectClose(got, expected, { rtol, atol: 1e-5, what: 'alpha' });
    expected.dispose();

    const gray = testImage(12, 10, 1);
    const g = await run(model, gray, { tileSize: 16 });
    expect(g.channels).toBe(1);
    expect(g.data.length).toBe(48 * 40);
    dispose();
  });

  it('self-ensemble of an equivariant-in-expectation model stays close to a single pass', async () => {
    const { denoiser, dispose } = localDenoiser();
    const model = { denoiser, scale: 4, multiple: 8 };
    const image = testImage(16, 24, 3);
    const one = await run(model, image, { tileSize: 32, sigmaMax: 0.01 });
    const ens = await run(model, image, { tileSize: 32, sigmaMax: 0.01, selfEnsemble: true });
    // The bicubic part is exactly equivariant; the conv part is not, so only roughly equal.
    let diff = 0;
    for (let i = 0; i < one.data.length; i++) diff += Math.abs(one.data[i] - ens.data[i]);
    expect(diff / one.data.length).toBeLessThan(0.05);
    expect(ens.height).toBe(64);
    expect(ens.width).toBe(96);
    dispose();
  });
});
