/**
 * Cuts one LR tile out of an interleaved image and pads it by reflection to its padded size
 * (bottom and right, method.md §5.1 step 1), in JavaScript: only the tile is ever uploaded.
 */
import { reflectIndex, type TileRect } from './plan-tiles.js';

/**
 * The tile's pixels [padH, padW, C]: rows y0..y0+h and columns x0..x0+w of `image`, then
 * reflected (numpy 'reflect') within the tile up to padH x padW.
 */
export function extractPaddedTile(
  image: Float32Array,
  width: number,
  channels: number,
  tile: TileRect,
): Float32Array {
  const { y0, x0, h, w, padH, padW } = tile;
  const out = new Float32Array(padH * padW * channels);
  const cols = new Int32Array(padW);
  for (let x = 0; x < padW; x++) cols[x] = x0 + reflectIndex(x, w);
  let o = 0;
  for (let y = 0; y < padH; y++) {
    const rowBase = (y0 + reflectIndex(y, h)) * width;
    for (let x = 0; x < padW; x++) {
      const i = (rowBase + cols[x]) * channels;
      for (let c = 0; c < channels; c++) out[o++] = image[i + c];
    }
  }
  return out;
}
