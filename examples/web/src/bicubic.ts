/**
 * The plain-resize baseline shown on the "before" side of the slider: PyTorch-exact bicubic 4x
 * (`bicubicUpsample` of @ctmsr/pf-ode), the same u the model starts from.
 */
import { bicubicUpsample } from '@ctmsr/pf-ode';
import * as tf from '@tensorflow/tfjs-core';
import type { RawImage } from './protocol';

export async function bicubicImage(image: RawImage, scale: number): Promise<RawImage> {
  const { width, height, data } = image;
  const up = tf.tidy(() => {
    const rgba = tf.tensor4d(Float32Array.from(data), [1, height, width, 4]);
    return tf.clipByValue(bicubicUpsample(tf.div(rgba, 255), scale), 0, 1);
  });
  const values = await up.data();
  up.dispose();
  const out = new Uint8ClampedArray(values.length);
  for (let i = 0; i < values.length; i++) out[i] = Math.round(values[i] * 255);
  return { width: width * scale, height: height * scale, data: out };
}
