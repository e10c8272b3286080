/**
 * The tiling engine: for each tile, cut and pad the LR crop (JS), run the tile function
 * (tensors, one tile at a time), crop the HR result back, read it and add it with its blending
 * weights into the output accumulator. At most one tile's tensors are alive at a time, so
 * memory is bounded by the tile size; the only image-sized buffer is the accumulator.
 */
import * as tf from '@tensorflow/tfjs-core';
import { type AccumulateTarget, accumulateTile } from './accumulate.js';
import { axisBlendWeights } from './blend-weights.js';
import { extractPaddedTile } from './extract-tile.js';
import type { TilePlan, TileRect } from './plan-tiles.js';

/**
 * Maps a padded LR tile [1, padH, padW, C] (values in [0, 1]) to its HR result
 * [1, s*padH, s*padW, outChannels]. Must not leak: everything but the result is disposed.
 */
export type TileFunction = (lrPadded: tf.Tensor4D, tile: TileRect) => tf.Tensor4D;

export interface RunTilesArgs {
  /** The LR image, interleaved [height, width, channels] (already transformed, if ensembling). */
  image: Float32Array;
  height: number;
  width: number;
  channels: number;
  plan: TilePlan;
  /** Upscaling factor s. */
  scale: number;
  /** Channels produced by `run`. */
  outChannels: number;
  run: TileFunction;
  target: AccumulateTarget;
  signal?: AbortSignal;
  /** Called after each tile is accumulated. */
  onTile?: () => void;
}

/**
 * Runs every tile of `plan` and accumulates the results (see file doc).
 * @throws the signal's reason (an AbortError) when aborted; no tensors are left behind.
 */
export async function runTiles(args: RunTilesArgs): Promise<void> {
  const { plan, scale, image, width, channels, outChannels, target } = args;
  if (plan.height !== args.height || plan.width !== args.width) {
    throw new Error(
      `runTiles: plan is for ${plan.height}x${plan.width} but the image is ${args.height}x${args.width}`,
    );
  }
  const wy = axisBlendWeights(plan.rows, scale, plan.overlap);
  const wx = axisBlendWeights(plan.cols, scale, plan.overlap);
  for (const tile of plan.tiles) {
    args.signal?.throwIfAborted();
    const lr = extractPaddedTile(image, width, channels, tile);
    const hrH = scale * tile.h;
    const hrW = scale * tile.w;
    const result = tf.tidy(() => {
      const input = tf.tensor4d(lr, [1, tile.padH, tile.padW, channels]);
      const out = args.run(input, tile);
      const want = [1, scale * tile.padH, scale * tile.padW, outChannels];
      if (out.shape.some((d, i) => d !== want[i])) {
        throw new Error(`runTiles: the tile function returned [${out.shape}], expected [${want}]`);
      }
      return out.shape[1] === hrH && out.shape[2] === hrW
        ? out
        : tf.slice(out, [0, 0, 0, 0], [1, hrH, hrW, -1]);
    });
    let values: Float32Array;
    try {
      values = (await result.data()) as Float32Array;
    } finally {
      result.dispose();
    }
    accumulateTile(target, values, outChannels, scale * tile.y0, scale * tile.x0, wy[tile.row], wx[tile.col]);
    args.onTile?.();
  }
  args.signal?.throwIfAborted();
}
