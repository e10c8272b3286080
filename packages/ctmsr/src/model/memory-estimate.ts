/**
 * Rough per-LR-pixel memory of one SrUnet forward pass, for choosing tile sizes
 * (tiling/auto-tile-size.ts). Float32 everywhere; level l runs at 1/4^l of the LR area.
 *
 * largest buffer ~ 4 * max( s^2 * 3 * 4,                     HR state, noise, u, output
 *                           9 * (3 s^2 + 3),                  im2col of the input conv
 *                           9 * 2 C_l / 4^l,                  im2col of a decoder conv (skip concat)
 *                           heads * w^2 / 4^l,                window-attention scores
 *                           nearest-conv head: 9 * C_h * s^2 )
 * live set      ~ 4 * ( sum_l (numBlocks + 2) * 2 C_l / 4^l  skips and block temporaries
 *                       + 8 * 3 s^2 ) + 2 * largest
 * These are estimates (within a small factor), not measurements.
 */
import type { SrUnetConfig } from '@ctmsr/sr-unet';

export interface MemoryEstimate {
  largestBufferBytesPerLrPixel: number;
  liveBytesPerLrPixel: number;
}

/** Per-LR-pixel byte estimates of an SrUnet configuration (see file doc). */
export function estimateMemory(cfg: SrUnetConfig): MemoryEstimate {
  const s2 = cfg.scale * cfg.scale;
  let largest = Math.max(s2 * 12, 9 * (3 * s2 + 3));
  let live = 8 * 3 * s2;
  cfg.channelMult.forEach((m, l) => {
    const area = 1 / 4 ** l;
    const c = cfg.modelChannels * m;
    largest = Math.max(largest, 9 * 2 * c * area);
    if (cfg.attnLevels.includes(l)) {
      largest = Math.max(largest, cfg.numHeads * cfg.windowSize * cfg.windowSize * area);
    }
    live += (cfg.numBlocks + 2) * 2 * c * area;
  });
  if (cfg.head === 'nearest-conv')
    largest = Math.max(largest, 9 * (cfg.headChannels ?? cfg.modelChannels) * s2);
  return { largestBufferBytesPerLrPixel: 4 * largest, liveBytesPerLrPixel: 4 * live + 2 * 4 * largest };
}
