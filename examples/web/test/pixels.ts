/** Small pixel statistics for the end-to-end test (RGBA 8-bit in, values on the 0..1 scale out). */

export interface Rgba {
  width: number;
  height: number;
  data: Uint8Array | Uint8ClampedArray | Float32Array | number[];
}

/** Mean and standard deviation over the RGB channels. */
export function rgbStats(img: Rgba): { mean: number; std: number } {
  let sum = 0;
  let sq = 0;
  let n = 0;
  for (let i = 0; i < img.data.length; i += 4) {
    for (let k = 0; k < 3; k++) {
      const v = img.data[i + k] / 255;
      sum += v;
      sq += v * v;
      n++;
    }
  }
  const mean = sum / n;
  return { mean, std: Math.sqrt(Math.max(0, sq / n - mean * mean)) };
}

/** Mean and max absolute RGB difference, and PSNR (dB), between two images of one size. */
export function rgbDifference(a: Rgba, b: Rgba): { meanAbs: number; maxAbs: number; psnr: number } {
  if (a.width !== b.width || a.height !== b.height) {
    throw new Error(`rgbDifference: sizes differ: ${a.width}x${a.height} vs ${b.width}x${b.height}`);
  }
  let abs = 0;
  let max = 0;
  let sq = 0;
  let n = 0;
  for (let i = 0; i < a.data.length; i += 4) {
    for (let k = 0; k < 3; k++) {
      const d = Math.abs(a.data[i + k] - b.data[i + k]) / 255;
      abs += d;
      sq += d * d;
      max = Math.max(max, d);
      n++;
    }
  }
  const mse = sq / n;
  return { meanAbs: abs / n, maxAbs: max, psnr: mse === 0 ? Infinity : -10 * Math.log10(mse) };
}
