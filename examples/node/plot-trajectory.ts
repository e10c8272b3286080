/**
 * Plot the CTMSR PF-ODE trajectory of one image with `@ctmsr/pf-ode` alone: a PNG strip of
 * x_s = y + alpha_s (u - y) + sigma_s eps for s = 0 .. 1 (left to right), from the HR image y
 * (s = 0) to the noisy bicubic up-sampling of its LR image, u + eps (s = 1).
 *
 *   npx tsx examples/node/plot-trajectory.ts examples/images/chelsea-lr.png out/trajectory.png [--points 6]
 *
 * The input is used as the HR image y; its LR image l is a 4x4 box average, u = bicubic x4 of l
 * (`bicubicUpsample`, PyTorch's bicubic), eps one seeded standard-normal field (`seededNormal`),
 * the levels the default linear schedule (`trajectoryLevels`: sigma_i = alpha_i = i / (N - 1)).
 */
import { parseArgs } from 'node:util';
import { selectBackend } from '@ctmsr/backends';
import {
  bicubicUpsample,
  forwardProcess,
  fromUnitRange,
  seededNormal,
  type TrajectoryLevel,
  toUnitRange,
  trajectoryLevels,
} from '@ctmsr/pf-ode';
import * as tf from '@tensorflow/tfjs-core';
import { hstack, isMain, readRgb, writePng } from './image-files.js';

export interface PlotTrajectoryOptions {
  /** The image used as HR y. */
  input: string;
  /** Output PNG path. */
  output: string;
  /** Number of points s_i = i / (points - 1) on the trajectory (default 6, at least 2). */
  points?: number;
  /** Noise seed (default 0). */
  seed?: number;
  backend?: string;
}

export interface TrajectoryPlot {
  output: string;
  levels: TrajectoryLevel[];
  /** Size of one panel (the HR size). */
  panel: { width: number; height: number };
  /** Size of the whole strip. */
  width: number;
  height: number;
}

const SCALE = 4;
const GAP = 4;

/** The states x_s of the trajectory for every level, in [-1, 1]: one [1, H, W, 3] each. */
export function trajectoryStates(y: tf.Tensor4D, levels: TrajectoryLevel[], seed: number): tf.Tensor4D[] {
  return tf.tidy(() => {
    const lq = tf.avgPool(y, SCALE, SCALE, 'valid') as tf.Tensor4D; // l: [1, H/4, W/4, 3]
    const u = bicubicUpsample(lq, SCALE); // u: [1, H, W, 3]
    const eps = seededNormal(y.shape, seed) as tf.Tensor4D; // one eps for the whole trajectory
    return levels.map(({ alpha, sigma }) => forwardProcess(y, u, alpha, sigma, eps));
  });
}

export async function plotTrajectory(options: PlotTrajectoryOptions): Promise<TrajectoryPlot> {
  const points = options.points ?? 6;
  await selectBackend({ backend: options.backend ?? 'auto' });
  const photo = await readRgb(options.input, { multiple: SCALE });
  const y = fromUnitRange(photo); // the method works in [-1, 1]
  photo.dispose();
  const levels = trajectoryLevels(points);
  const states = trajectoryStates(y, levels, options.seed ?? 0);
  const strip = tf.tidy(() =>
    hstack(
      states.map((x) => toUnitRange(x)),
      GAP,
    ),
  ); // clamped to [0, 1]
  await writePng(strip, options.output);
  const [, height, width] = strip.shape;
  const panel = { width: y.shape[2], height: y.shape[1] };
  tf.dispose([y, strip, ...states]);
  return { output: options.output, levels, panel, width, height };
}

if (isMain(import.meta.url)) {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { points: { type: 'string' }, seed: { type: 'string' }, backend: { type: 'string' } },
  });
  const [input = 'examples/images/chelsea-lr.png', output = 'out/trajectory.png'] = positionals;
  const plot = await plotTrajectory({
    input,
    output,
    points: values.points ? Number(values.points) : undefined,
    seed: values.seed ? Number(values.seed) : undefined,
    backend: values.backend,
  });
  const s = plot.levels.map((l) => l.sigma.toFixed(2)).join(', ');
  console.log(`wrote ${plot.output} (${plot.width}x${plot.height}): s = ${s}`);
}
