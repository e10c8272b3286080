/**
 * The random choices of one consistency-training step, drawn up front from (seed, iteration)
 * so a step is deterministic and a resumed run repeats an uninterrupted one exactly.
 *
 * Reference (method.md §2.2 steps 2-4): N = N(k) grid points; ONE index n ~ U{0..N-2} shared by
 * the batch; n' = n + 1; noise eps ~ N(0, I) per sample, shared by x_n and x_n'.
 */
import {
  type CurriculumOptions,
  DEFAULT_CURRICULUM,
  DEFAULT_TRAJECTORY_SCHEDULE,
  deriveSeed,
  numGridPoints,
  seededNormal,
  type TrajectoryLevel,
  type TrajectoryScheduleOptions,
  trajectoryLevels,
} from '@ctmsr/pf-ode';
import type * as tf from '@tensorflow/tfjs-core';

/** Stream ids for `deriveSeed`, so CT and DTM draws never collide. */
export const CT_STREAMS = { index: 1, noise: 2, dropoutOnline: 3, dropoutTarget: 4 } as const;

export interface CtPlanOptions {
  schedule: TrajectoryScheduleOptions;
  curriculum: CurriculumOptions;
}

export const DEFAULT_CT_PLAN_OPTIONS: CtPlanOptions = {
  schedule: DEFAULT_TRAJECTORY_SCHEDULE,
  curriculum: DEFAULT_CURRICULUM,
};

export interface CtPlan {
  /** Iteration k. */
  iteration: number;
  /** The grid of this iteration, ascending (N(k) levels). */
  levels: TrajectoryLevel[];
  /** The lower index n (target side); the online side is n + 1. */
  n: number;
  /** Shared standard-normal noise eps, [B,H,W,C]. The caller disposes it. */
  eps: tf.Tensor4D;
  /** Seeds for dropout masks of the online and the target network. */
  dropoutSeeds: { online: number; target: number };
}

/** A uniform draw in [0, 1) from (seed, iteration, stream). */
export function uniformDraw(seed: number, iteration: number, stream: number): number {
  return deriveSeed(seed, iteration, stream) / 4294967296;
}

/**
 * Draws the CT choices of iteration k (see file doc).
 * @param shape the HR batch shape [B,H,W,C] (for eps).
 * @param options.indexOverride fix n (tests, ablations).
 */
export function planCtStep(
  iteration: number,
  seed: number,
  shape: [number, number, number, number],
  options: Partial<CtPlanOptions> & { indexOverride?: number } = {},
): CtPlan {
  const schedule = { ...DEFAULT_TRAJECTORY_SCHEDULE, ...options.schedule };
  const curriculum = { ...DEFAULT_CURRICULUM, ...options.curriculum };
  const nPoints = numGridPoints(iteration, curriculum);
  const levels = trajectoryLevels(nPoints, schedule);
  const n =
    options.indexOverride ?? Math.floor(uniformDraw(seed, iteration, CT_STREAMS.index) * (nPoints - 1));
  if (!Number.isInteger(n) || n < 0 || n > nPoints - 2) {
    throw new Error(`planCtStep: index n must be an integer in [0, ${nPoints - 2}], got ${n}`);
  }
  return {
    iteration,
    levels,
    n,
    eps: seededNormal(shape, deriveSeed(seed, iteration, CT_STREAMS.noise)) as tf.Tensor4D,
    dropoutSeeds: {
      online: deriveSeed(seed, iteration, CT_STREAMS.dropoutOnline),
      target: deriveSeed(seed, iteration, CT_STREAMS.dropoutTarget),
    },
  };
}
