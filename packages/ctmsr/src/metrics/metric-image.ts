/**
 * Image preparation shared by the metrics: [0,1] inputs (tensors or pixel arrays) become float64
 * planes on the [0, 255] scale, either the three RGB channels or the BT.601 luma Y
 * (MATLAB `rgb2ycbcr`, as BasicSR computes it):
 *   Y = 16 + 65.481 R + 128.553 G + 24.966 B        (R, G, B in [0, 1]; Y in [16, 235])
 * Gray inputs count as R = G = B; alpha is ignored. A border of `crop` pixels is removed from
 * every side (the SR convention is crop = scale). Values are not rounded.
 */
import * as tf from '@tensorflow/tfjs-core';

/** An image for the metrics: a tensor [H,W,C] / [B,H,W,C] or interleaved values [H,W,C], in [0,1]. */
export type MetricImage =
  | tf.Tensor
  | { data: ArrayLike<number>; height: number; width: number; channels: number };

export interface MetricOptions {
  /** Compare the BT.601 luma Y only (default false: RGB, averaged over channels for SSIM). */
  yChannel?: boolean;
  /** Pixels removed from each border before comparing (default 0). */
  crop?: number;
}

/** One image as planes of height x width float64 values in [0, 255]. */
export interface Planes {
  planes: Float64Array[];
  height: number;
  width: number;
}

interface RawImage {
  data: ArrayLike<number>;
  height: number;
  width: number;
  channels: number;
}

/** Reads a MetricImage into one RawImage per batch entry (async: tensors are read with data()). */
export async function readMetricImage(fn: string, arg: string, img: MetricImage): Promise<RawImage[]> {
  if (img instanceof tf.Tensor) {
    if (img.rank !== 3 && img.rank !== 4)
      throw new Error(`${fn}: '${arg}' must be [H,W,C] or [B,H,W,C], got [${img.shape}]`);
    const [b, h, w, c] = img.rank === 3 ? [1, ...img.shape] : img.shape;
    const data = await img.data();
    const per = h * w * c;
    return Array.from({ length: b }, (_, i) => ({
      data: data.subarray(i * per, (i + 1) * per),
      height: h,
      width: w,
      channels: c,
    }));
  }
  return [img];
}

/** Converts one image to planes (see file doc). */
export function toPlanes(fn: string, arg: string, img: RawImage, options: MetricOptions): Planes {
  const { height, width, channels: c, data } = img;
  if (![1, 2, 3, 4].includes(c)) throw new Error(`${fn}: '${arg}' must have 1 to 4 channels, got ${c}`);
  if (data.length !== height * width * c) {
    throw new Error(
      `${fn}: '${arg}' has ${data.length} values, expected ${height}x${width}x${c} = ${height * width * c}`,
    );
  }
  const crop = options.crop ?? 0;
  if (!Number.isInteger(crop) || crop < 0)
    throw new Error(`${fn}: 'crop' must be an integer >= 0, got ${crop}`);
  const h = height - 2 * crop;
  const w = width - 2 * crop;
  if (h < 1 || w < 1) throw new Error(`${fn}: crop ${crop} leaves nothing of a ${height}x${width} image`);
  const n = options.yChannel ? 1 : 3;
  const planes = Array.from({ length: n }, () => new Float64Array(h * w));
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const s = ((y + crop) * width + x + crop) * c;
      const r = data[s];
      const g = c >= 3 ? data[s + 1] : r;
      const b = c >= 3 ? data[s + 2] : r;
      const o = y * w + x;
      if (options.yChannel) planes[0][o] = 16 + 65.481 * r + 128.553 * g + 24.966 * b;
      else {
        planes[0][o] = 255 * r;
        planes[1][o] = 255 * g;
        planes[2][o] = 255 * b;
      }
    }
  }
  return { planes, height: h, width: w };
}

/** Reads both images, checks they match, and returns their planes pairwise (one pair per batch entry). */
export async function preparePair(
  fn: string,
  a: MetricImage,
  b: MetricImage,
  options: MetricOptions,
): Promise<[Planes, Planes][]> {
  const ra = await readMetricImage(fn, 'a', a);
  const rb = await readMetricImage(fn, 'b', b);
  return pairPlanes(fn, ra, rb, options);
}

/** Synchronous variant for plain arrays. */
export function pairPlanes(
  fn: string,
  ra: RawImage[],
  rb: RawImage[],
  options: MetricOptions,
): [Planes, Planes][] {
  if (ra.length !== rb.length) throw new Error(`${fn}: batch sizes differ: ${ra.length} vs ${rb.length}`);
  return ra.map((x, i) => {
    const y = rb[i];
    if (x.height !== y.height || x.width !== y.width) {
      throw new Error(`${fn}: image sizes differ: ${x.height}x${x.width} vs ${y.height}x${y.width}`);
    }
    return [toPlanes(fn, 'a', x, options), toPlanes(fn, 'b', y, options)];
  });
}

/** An interleaved pixel array with its size (values in [0, 1]). */
export type PixelImage = { data: ArrayLike<number>; height: number; width: number; channels: number };

function mean(values: number[]): number {
  return values.reduce((s, v) => s + v, 0) / values.length;
}

/** A per-image metric of two images, averaged over the batch (tensors are read with data()). */
export async function averageMetric(
  fn: string,
  a: MetricImage,
  b: MetricImage,
  options: MetricOptions,
  metric: (x: Planes, y: Planes) => number,
): Promise<number> {
  return mean((await preparePair(fn, a, b, options)).map(([x, y]) => metric(x, y)));
}

/** The synchronous variant of `averageMetric` for one pair of pixel arrays. */
export function averageMetricPixels(
  fn: string,
  a: PixelImage,
  b: PixelImage,
  options: MetricOptions,
  metric: (x: Planes, y: Planes) => number,
): number {
  return mean(pairPlanes(fn, [a], [b], options).map(([x, y]) => metric(x, y)));
}
