/**
 * Upscales a `Pixels` image with a denoiser, tile by tile: the engine behind `CTMSR.upscale`.
 *
 * - Colour (RGB, or gray replicated to RGB) goes through the CTMSR sampler (tile-functions.ts).
 * - Alpha, when present, is upscaled separately with plain bicubic and re-attached.
 * - Gray inputs come back gray (BT.601 luma of the RGB result); the output has the input's
 *   channel count.
 * - Self-ensemble: the 8 flips/transposes of the input are upscaled (each with its own noise
 *   field) and mapped back into the same accumulator with weight 1/8.
 * The only image-sized buffer is the output Float32Array; tensors exist one tile at a time.
 */
import { type Denoiser, deriveSeed, samplingLevels } from '@ctmsr/pf-ode';
import { DIHEDRAL_COUNT, transformImage } from '../image/dihedral.js';
import {
  alphaPlane,
  assertPixels,
  clampUnitInPlace,
  colourPlane,
  hasAlpha,
  type Pixels,
} from '../image/pixels.js';
import { planTiles, type TilePlan } from '../tiling/plan-tiles.js';
import { runTiles } from '../tiling/run-tiles.js';
import type { ResolvedUpscaleOptions } from './options.js';
import { bicubicTileFunction, samplerTileFunction } from './tile-functions.js';

/** What the engine needs from a model. */
export interface TileModel {
  /** D(x, lq, sigma) on [-1, 1] images. */
  denoiser: Denoiser;
  /** Upscaling factor s. */
  scale: number;
  /** LR tile sides must be multiples of this. */
  multiple: number;
}

/** The seed of ensemble member t (member 0 uses the seed itself). */
export function memberSeed(seed: number, t: number): number {
  return t === 0 ? seed : deriveSeed(seed, 1000 + t);
}

/**
 * Upscales `input` (values in [0, 1]) by `model.scale`.
 * @param options resolved options with a concrete `tileSize`.
 * @returns Pixels of size (s*H) x (s*W) with the input's channel count and bit depth, in [0, 1].
 * @throws the abort reason when `options.signal` is aborted (no tensors left behind).
 */
export async function upscalePixels(
  model: TileModel,
  input: Pixels,
  options: ResolvedUpscaleOptions & { tileSize: number },
): Promise<Pixels> {
  assertPixels('upscalePixels', 'input', input);
  const { height, width, channels } = input;
  const s = model.scale;
  const outH = s * height;
  const outW = s * width;
  const out = new Float32Array(outH * outW * channels);
  const members = options.selfEnsemble ? DIHEDRAL_COUNT : 1;
  const levels = samplingLevels(options.steps, { sigmaMax: options.sigmaMax });
  const plan = (h: number, w: number, multiple: number): TilePlan =>
    planTiles(h, w, options.tileSize, options.overlap, multiple);

  const memberPlans: TilePlan[] = [];
  for (let t = 0; t < members; t++) {
    memberPlans.push(t & 4 ? plan(width, height, model.multiple) : plan(height, width, model.multiple));
  }
  const alphaPlan = hasAlpha(channels) ? plan(height, width, 1) : null;
  const total = memberPlans.reduce((n, p) => n + p.tiles.length, 0) + (alphaPlan?.tiles.length ?? 0);
  let completed = 0;
  const onTile = () => {
    completed++;
    options.onProgress?.({ completed, total });
  };

  const colour = colourPlane(input);
  for (let t = 0; t < members; t++) {
    options.signal?.throwIfAborted();
    const img = transformImage(colour, height, width, 3, t);
    const p = memberPlans[t];
    const run = samplerTileFunction(model.denoiser, {
      scale: s,
      levels,
      fieldShape: [1, s * p.paddedHeight, s * p.paddedWidth, 3],
      seed: memberSeed(options.seed, t),
    });
    await runTiles({
      image: img.data,
      height: img.height,
      width: img.width,
      channels: 3,
      plan: p,
      scale: s,
      outChannels: 3,
      run,
      target: {
        data: out,
        height: outH,
        width: outW,
        channels,
        offset: 0,
        mode: channels <= 2 ? 'luma' : 'copy',
        transform: t,
        gain: 1 / members,
      },
      signal: options.signal,
      onTile,
    });
  }
  if (alphaPlan) {
    await runTiles({
      image: alphaPlane(input),
      height,
      width,
      channels: 1,
      plan: alphaPlan,
      scale: s,
      outChannels: 1,
      run: bicubicTileFunction(s),
      target: {
        data: out,
        height: outH,
        width: outW,
        channels,
        offset: channels - 1,
        mode: 'copy',
        transform: 0,
        gain: 1,
      },
      signal: options.signal,
      onTile,
    });
  }
  clampUnitInPlace(out);
  return { data: out, height: outH, width: outW, channels, bitDepth: input.bitDepth ?? 8 };
}
