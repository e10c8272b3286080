/**
 * Automatic tile size (LR pixels) from the backend's limits.
 *
 * The peak memory of one tile grows with its area: bytes(t) ~ t^2 * bytesPerLrPixel. On WebGPU
 * the binding limit `maxStorageBufferBindingSize` caps the largest single buffer (the widest
 * activation); on wasm/cpu/webgl a memory budget caps the live set. The tile side is the largest
 * multiple of the network's required multiple that fits, clamped to [multiple, DEFAULT_MAX_TILE].
 *
 * Deviations: the reference always uses 512-pixel LR tiles (method.md §5.1).
 */

/** Upper bound on automatic tiles (LR pixels): the reference's chop size. */
export const DEFAULT_MAX_TILE = 512;

/** Memory budget for one tile's activations on wasm/cpu/webgl (bytes). */
export const DEFAULT_TILE_MEMORY_BUDGET = 256 * 1024 * 1024;

/** What the tile size depends on. */
export interface TileSizeInputs {
  /** The active backend name. */
  backend: string;
  /** The network's required multiple of LR sizes. */
  multiple: number;
  /** Bytes of the widest single activation per LR pixel (float32). */
  largestBufferBytesPerLrPixel: number;
  /** Bytes of all activations alive at once per LR pixel (float32), roughly. */
  liveBytesPerLrPixel: number;
  /** WebGPU `maxStorageBufferBindingSize` (and `maxBufferSize`), when known. */
  webgpuMaxBinding?: number;
  /** Memory budget for wasm/cpu/webgl (bytes); default DEFAULT_TILE_MEMORY_BUDGET. */
  memoryBudget?: number;
}

function largestMultipleWithArea(bytesAvailable: number, bytesPerPixel: number, multiple: number): number {
  const side = Math.floor(Math.sqrt(bytesAvailable / Math.max(1, bytesPerPixel)));
  const rounded = Math.floor(side / multiple) * multiple;
  const maxTile = Math.max(multiple, Math.floor(DEFAULT_MAX_TILE / multiple) * multiple);
  return Math.min(maxTile, Math.max(multiple, rounded));
}

/** The automatic tile side in LR pixels (see file doc). */
export function autoTileSize(inputs: TileSizeInputs): number {
  const { multiple } = inputs;
  if (inputs.backend === 'webgpu' && inputs.webgpuMaxBinding != null) {
    // Leave half of the binding limit as headroom for im2col-style temporaries.
    return largestMultipleWithArea(
      inputs.webgpuMaxBinding / 2,
      inputs.largestBufferBytesPerLrPixel,
      multiple,
    );
  }
  const budget = inputs.memoryBudget ?? DEFAULT_TILE_MEMORY_BUDGET;
  return largestMultipleWithArea(budget, inputs.liveBytesPerLrPixel, multiple);
}
