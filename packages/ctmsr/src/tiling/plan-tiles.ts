/**
 * Tile geometry for upscaling images of any size: pure arithmetic, no tensors.
 *
 * Along each axis of length L (LR pixels) with tile size T (a multiple of the network's
 * required multiple M) and overlap O:
 *   - L <= T: one tile [0, L), padded by reflection to ceil(L / M) * M;
 *   - L > T: n = ceil((L - O) / (T - O)) tiles; their length is shrunk to the smallest
 *     multiple of M with n * t >= L + (n - 1) O (so 260 pixels with T = 192 give two 160-pixel
 *     tiles, not two 192-pixel ones), and their starts are spread evenly,
 *     s_i = round(i * (L - t) / (n - 1)): neighbours overlap by at least O, no tile needs padding.
 * The image as a whole is padded (conceptually) to P = ceil(L / M) * M: every tile, padding
 * included, lies inside [0, P). That padded canvas is where the global noise field lives.
 *
 * Deviations: the reference (ResShift `ImageSpliterTh`, method.md §5.1) uses 512-pixel LR tiles
 * with stride 448, clamps the last start to L - 512 and averages overlaps uniformly; here starts
 * are spread evenly (the overlap never shrinks below O) and overlaps are blended with smooth
 * weights (blend-weights.ts).
 */

/** The tiles along one axis. */
export interface AxisPlan {
  /** Image length along this axis (LR pixels). */
  length: number;
  /** The image length padded to the required multiple: ceil(length / multiple) * multiple. */
  padded: number;
  /** Start of each tile (LR pixels), ascending. */
  starts: number[];
  /** Length of every tile before padding (LR pixels). */
  size: number;
  /** Length of every tile after reflection padding (a multiple of the required multiple). */
  paddedSize: number;
}

/** One tile: its place in the LR image and its padded size. */
export interface TileRect {
  row: number;
  col: number;
  y0: number;
  x0: number;
  /** Unpadded size (LR pixels). */
  h: number;
  w: number;
  /** Size after reflection padding at the bottom and right (multiples of the required multiple). */
  padH: number;
  padW: number;
}

/** A complete tiling of an image. */
export interface TilePlan {
  height: number;
  width: number;
  /** The image padded to the required multiple (the canvas of the global noise field). */
  paddedHeight: number;
  paddedWidth: number;
  /** Effective tile size (rounded to the required multiple) and overlap (LR pixels). */
  tileSize: number;
  overlap: number;
  multiple: number;
  rows: AxisPlan;
  cols: AxisPlan;
  /** Tiles in row-major order. */
  tiles: TileRect[];
}

function assertInt(arg: string, v: number, min: number): void {
  if (!Number.isInteger(v) || v < min) {
    throw new Error(`planTiles: '${arg}' must be an integer >= ${min}, got ${v}`);
  }
}

/** Rounds `tileSize` down to a multiple of `multiple` (at least one multiple). */
export function effectiveTileSize(tileSize: number, multiple: number): number {
  return Math.max(multiple, Math.floor(tileSize / multiple) * multiple);
}

/** The overlap actually used: at most half the tile size. */
export function effectiveOverlap(overlap: number, tileSize: number): number {
  return Math.min(overlap, Math.floor(tileSize / 2));
}

/** Tiles along one axis (see the file doc). `size` and `overlap` must already be effective. */
export function planAxis(length: number, size: number, overlap: number, multiple: number): AxisPlan {
  const padded = Math.ceil(length / multiple) * multiple;
  if (length <= size) return { length, padded, starts: [0], size: length, paddedSize: padded };
  const n = Math.ceil((length - overlap) / (size - overlap));
  // The smallest multiple-sized tile that still covers the axis with n tiles and the overlap:
  // n * t >= length + (n - 1) * overlap (avoids two nearly identical tiles when length ~ size).
  const t = Math.min(size, Math.ceil((length + (n - 1) * overlap) / n / multiple) * multiple);
  const starts: number[] = [];
  for (let i = 0; i < n; i++) starts.push(Math.round((i * (length - t)) / (n - 1)));
  return { length, padded, starts, size: t, paddedSize: t };
}

/**
 * Plans the tiles of an h x w LR image.
 * @param tileSize wanted tile side (LR pixels); rounded down to a multiple of `multiple` (min one multiple).
 * @param overlap wanted overlap between neighbouring tiles (LR pixels); at most half the tile.
 * @param multiple the network's required multiple of the LR height and width.
 */
export function planTiles(
  height: number,
  width: number,
  tileSize: number,
  overlap: number,
  multiple: number,
): TilePlan {
  assertInt('height', height, 1);
  assertInt('width', width, 1);
  assertInt('tileSize', tileSize, 1);
  assertInt('overlap', overlap, 0);
  assertInt('multiple', multiple, 1);
  const size = effectiveTileSize(tileSize, multiple);
  const ov = effectiveOverlap(overlap, size);
  const rows = planAxis(height, size, ov, multiple);
  const cols = planAxis(width, size, ov, multiple);
  const tiles: TileRect[] = [];
  rows.starts.forEach((y0, row) => {
    cols.starts.forEach((x0, col) => {
      tiles.push({
        row,
        col,
        y0,
        x0,
        h: rows.size,
        w: cols.size,
        padH: rows.paddedSize,
        padW: cols.paddedSize,
      });
    });
  });
  return {
    height,
    width,
    paddedHeight: rows.padded,
    paddedWidth: cols.padded,
    tileSize: size,
    overlap: ov,
    multiple,
    rows,
    cols,
    tiles,
  };
}

/**
 * Index of the source pixel for position i of a reflection-padded axis of length n
 * (mirror without repeating the edge, like numpy 'reflect'; repeats for any padding).
 */
export function reflectIndex(i: number, n: number): number {
  if (n === 1) return 0;
  const period = 2 * (n - 1);
  const m = ((i % period) + period) % period;
  return m < n ? m : period - m;
}
