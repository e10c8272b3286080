/**
 * `Pixels`: a plain interleaved float image, the common currency between decoders, the tiling
 * engine and encoders. Values are in [0, 1]; layout is row-major HWC.
 */

/** 1 = gray, 2 = gray + alpha, 3 = RGB, 4 = RGBA. */
export type ChannelCount = 1 | 2 | 3 | 4;

export interface Pixels {
  /** Row-major HWC values in [0, 1]; length height * width * channels. */
  data: Float32Array;
  height: number;
  width: number;
  channels: ChannelCount;
  /** Bits per sample of the source (8 or 16); decides the output depth when encoding. Default 8. */
  bitDepth?: 8 | 16;
}

/** Throws unless `p` is a consistent Pixels object; `fn` names the caller in the message. */
export function assertPixels(fn: string, arg: string, p: Pixels): void {
  const { height, width, channels, data } = p;
  if (!Number.isInteger(height) || !Number.isInteger(width) || height < 1 || width < 1) {
    throw new Error(`${fn}: '${arg}' must have a positive integer height and width, got ${height}x${width}`);
  }
  if (![1, 2, 3, 4].includes(channels)) {
    throw new Error(`${fn}: '${arg}' must have 1, 2, 3 or 4 channels, got ${channels}`);
  }
  if (!(data instanceof Float32Array) || data.length !== height * width * channels) {
    throw new Error(
      `${fn}: '${arg}'.data must be a Float32Array of length ${height * width * channels} (${height}x${width}x${channels}), got ${data?.length}`,
    );
  }
}

/** True when the channel count includes an alpha channel. */
export function hasAlpha(channels: ChannelCount): boolean {
  return channels === 2 || channels === 4;
}

/** The colour channels as RGB (gray is replicated), [H, W, 3]. */
export function colourPlane(p: Pixels): Float32Array {
  const n = p.height * p.width;
  const c = p.channels;
  const out = new Float32Array(n * 3);
  for (let i = 0; i < n; i++) {
    if (c >= 3) {
      out[3 * i] = p.data[c * i];
      out[3 * i + 1] = p.data[c * i + 1];
      out[3 * i + 2] = p.data[c * i + 2];
    } else {
      const g = p.data[c * i];
      out[3 * i] = g;
      out[3 * i + 1] = g;
      out[3 * i + 2] = g;
    }
  }
  return out;
}

/** The alpha channel, [H, W, 1]; throws when there is none. */
export function alphaPlane(p: Pixels): Float32Array {
  if (!hasAlpha(p.channels)) throw new Error(`alphaPlane: image has ${p.channels} channels, no alpha`);
  const n = p.height * p.width;
  const c = p.channels;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = p.data[c * i + c - 1];
  return out;
}

/** Clamps every value to [0, 1] in place (NaN becomes 0). */
export function clampUnitInPlace(data: Float32Array): void {
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    data[i] = Number.isNaN(v) ? 0 : Math.min(1, Math.max(0, v));
  }
}
