/**
 * Adds a weighted HR tile into the output image (a plain Float32Array: the only image-sized
 * buffer of the tiled pipeline).
 *
 *   out[map(Y, X), offset + c] += gain * wy[Y - Y0] * wx[X - X0] * tile[Y - Y0, X - X0, c]
 *
 * `map` undoes a self-ensemble transform (dihedral.ts); mode 'luma' stores the BT.601 luma
 * 0.299 R + 0.587 G + 0.114 B of an RGB tile in one channel (grayscale outputs).
 */
import { sourceIndexMap } from '../image/dihedral.js';

/** Where and how tiles are accumulated. */
export interface AccumulateTarget {
  /** The output image, interleaved [height, width, channels]. */
  data: Float32Array;
  /** Output size (HR, original orientation). */
  height: number;
  width: number;
  /** Channel stride of `data`. */
  channels: number;
  /** First channel written. */
  offset: number;
  /** 'copy' writes each tile channel; 'luma' writes the luma of a 3-channel tile into one channel. */
  mode: 'copy' | 'luma';
  /** Dihedral transform the tiles were computed under (0 = identity). */
  transform: number;
  /** Overall factor (1 / number of ensemble members). */
  gain: number;
}

const LUMA = [0.299, 0.587, 0.114];

/**
 * Accumulates one tile.
 * @param tile HR tile values [th, tw, tileChannels].
 * @param y0, x0 top-left of the tile in the (transformed) HR image.
 * @param wy, wx blending weights of the tile's rows and columns (lengths th and tw).
 */
export function accumulateTile(
  target: AccumulateTarget,
  tile: Float32Array,
  tileChannels: number,
  y0: number,
  x0: number,
  wy: Float32Array,
  wx: Float32Array,
): void {
  const th = wy.length;
  const tw = wx.length;
  const { data, channels: stride, offset, gain } = target;
  const map = target.transform === 0 ? null : sourceIndexMap(target.transform, target.height, target.width);
  const luma = target.mode === 'luma';
  const k = luma ? 1 : tileChannels;
  for (let y = 0; y < th; y++) {
    const gy = gain * wy[y];
    if (gy === 0) continue;
    for (let x = 0; x < tw; x++) {
      const g = gy * wx[x];
      if (g === 0) continue;
      const src = (y * tw + x) * tileChannels;
      const pixel = map ? map(y0 + y, x0 + x) : (y0 + y) * target.width + x0 + x;
      const dst = pixel * stride + offset;
      if (luma) {
        data[dst] += g * (LUMA[0] * tile[src] + LUMA[1] * tile[src + 1] + LUMA[2] * tile[src + 2]);
      } else {
        for (let c = 0; c < k; c++) data[dst + c] += g * tile[src + c];
      }
    }
  }
}
