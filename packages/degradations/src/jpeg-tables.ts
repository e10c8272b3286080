/**
 * JPEG constants: the standard (ITU-T T.81 Annex K / IJG) quantisation tables, their scaling by a
 * quality factor, the 8×8 DCT basis, and the JFIF colour transforms.
 */

/** Annex K luminance table, natural (row-major) order: row = vertical frequency. */
export const STD_LUMA_TABLE: readonly number[] = [
  16, 11, 10, 16, 24, 40, 51, 61, 12, 12, 14, 19, 26, 58, 60, 55, 14, 13, 16, 24, 40, 57, 69, 56, 14, 17, 22,
  29, 51, 87, 80, 62, 18, 22, 37, 56, 68, 109, 103, 77, 24, 35, 55, 64, 81, 104, 113, 92, 49, 64, 78, 87, 103,
  121, 120, 101, 72, 92, 95, 98, 112, 100, 103, 99,
];

/** Annex K chrominance table, natural order. */
export const STD_CHROMA_TABLE: readonly number[] = [
  17, 18, 24, 47, 99, 99, 99, 99, 18, 21, 26, 66, 99, 99, 99, 99, 24, 26, 56, 99, 99, 99, 99, 99, 47, 66, 99,
  99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99,
  99, 99, 99, 99, 99, 99, 99, 99, 99, 99,
];

/**
 * How quality maps to tables.
 * - 'ijg': libjpeg's `jpeg_set_quality`: quality rounded to an integer in [1, 100],
 *   s = q < 50 ? ⌊5000/q⌋ : 200 − 2q, entry = clamp(⌊(base·s + 50)/100⌋, 1, 255). What real encoders
 *   (libjpeg, libjpeg-turbo, mozjpeg's standard table, jpeg-js) write.
 * - 'basicsr': BasicSR's DiffJPEG: continuous factor f = (q < 50 ? 5000/q : 200 − 2q)/100,
 *   entry = base·f (no rounding, no clamping), and the luminance table transposed (a quirk of the
 *   DiffJPEG code it derives from).
 */
export type JpegTableMode = 'ijg' | 'basicsr';

/** The quantisation table (64 entries, natural order) for a quality in [1, 100]. */
export function jpegQuantTable(
  quality: number,
  which: 'luma' | 'chroma',
  mode: JpegTableMode = 'ijg',
): Float32Array {
  if (!Number.isFinite(quality) || quality < 1 || quality > 100) {
    throw new Error(`jpegQuantTable: 'quality' must be in [1, 100], got ${quality}`);
  }
  const base = which === 'luma' ? STD_LUMA_TABLE : STD_CHROMA_TABLE;
  const out = new Float32Array(64);
  if (mode === 'ijg') {
    const q = Math.round(quality);
    const s = q < 50 ? Math.floor(5000 / q) : 200 - 2 * q;
    for (let i = 0; i < 64; i++) out[i] = Math.min(255, Math.max(1, Math.floor((base[i] * s + 50) / 100)));
    return out;
  }
  if (mode === 'basicsr') {
    const f = (quality < 50 ? 5000 / quality : 200 - 2 * quality) / 100;
    for (let r = 0; r < 8; r++) {
      for (let c = 0; c < 8; c++) out[r * 8 + c] = base[which === 'luma' ? c * 8 + r : r * 8 + c] * f;
    }
    return out;
  }
  throw new Error(`jpegQuantTable: 'mode' must be 'ijg' or 'basicsr', got '${mode}'`);
}

/** Orthonormal 8-point DCT-II matrix D[u][x] = c(u)·cos((2x+1)uπ/16), c(0) = √(1/8), c(u>0) = ½. */
export function dct8(): Float64Array {
  const d = new Float64Array(64);
  for (let u = 0; u < 8; u++) {
    const c = u === 0 ? Math.sqrt(1 / 8) : 0.5;
    for (let x = 0; x < 8; x++) d[u * 8 + x] = c * Math.cos(((2 * x + 1) * u * Math.PI) / 16);
  }
  return d;
}

/**
 * The 2-D block DCT as one 64×64 matrix M acting on row vectors: for a block B (row-major,
 * index 8x + y) the coefficients C = B·M, index 8u + v, are C[u, v] = Σ D[u][x]·D[v][y]·B[x, y]
 * (JPEG's FDCT, which is this orthonormal transform). Its inverse is Mᵀ.
 */
export function blockDctMatrix(): Float32Array {
  const d = dct8();
  const m = new Float32Array(64 * 64);
  for (let x = 0; x < 8; x++) {
    for (let y = 0; y < 8; y++) {
      for (let u = 0; u < 8; u++) {
        for (let v = 0; v < 8; v++) m[(x * 8 + y) * 64 + u * 8 + v] = d[u * 8 + x] * d[v * 8 + y];
      }
    }
  }
  return m;
}

/** JFIF RGB → YCbCr (rows: Y, Cb, Cr), applied to [0, 255] values; Cb and Cr are offset by 128. */
export const RGB_TO_YCBCR: readonly number[] = [
  0.299, 0.587, 0.114, -0.168736, -0.331264, 0.5, 0.5, -0.418688, -0.081312,
];

/** JFIF YCbCr → RGB (rows: R, G, B), applied to (Y, Cb − 128, Cr − 128). */
export const YCBCR_TO_RGB: readonly number[] = [1, 0, 1.402, 1, -0.344136, -0.714136, 1, 1.772, 0];
