/**
 * The 8 flips/transposes of the square's symmetry group (dihedral group D4), used by the
 * self-ensemble (x8) option.
 *
 * Transform t (0..7): bit 2 = transpose, bit 1 = flip rows, bit 0 = flip columns. A pixel
 * (y', x') of the transformed image of size H' x W' comes from the original pixel
 *   a = bit1 ? H' - 1 - y' : y';   b = bit0 ? W' - 1 - x' : x';   (y, x) = bit2 ? (b, a) : (a, b).
 * The same map holds at LR and HR scale, so an HR result of a transformed input maps back with it.
 * t = 0 is the identity.
 */

/** Number of dihedral transforms. */
export const DIHEDRAL_COUNT = 8;

/** Size of the transformed image. */
export function transformedSize(t: number, height: number, width: number): [number, number] {
  return t & 4 ? [width, height] : [height, width];
}

/**
 * A function from a transformed pixel (y', x') to the flat pixel index in the original image.
 * @param height, width size of the ORIGINAL image.
 */
export function sourceIndexMap(t: number, height: number, width: number): (y: number, x: number) => number {
  const [th, tw] = transformedSize(t, height, width);
  const flipRows = (t & 2) !== 0;
  const flipCols = (t & 1) !== 0;
  const transpose = (t & 4) !== 0;
  return (y, x) => {
    const a = flipRows ? th - 1 - y : y;
    const b = flipCols ? tw - 1 - x : x;
    return transpose ? b * width + a : a * width + b;
  };
}

/** Applies transform t to an interleaved [H, W, C] image. */
export function transformImage(
  data: Float32Array,
  height: number,
  width: number,
  channels: number,
  t: number,
): { data: Float32Array; height: number; width: number } {
  if (t === 0) return { data, height, width };
  const [th, tw] = transformedSize(t, height, width);
  const src = sourceIndexMap(t, height, width);
  const out = new Float32Array(data.length);
  let o = 0;
  for (let y = 0; y < th; y++) {
    for (let x = 0; x < tw; x++) {
      const i = src(y, x) * channels;
      for (let c = 0; c < channels; c++) out[o++] = data[i + c];
    }
  }
  return { data: out, height: th, width: tw };
}
