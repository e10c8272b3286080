/**
 * Learning-rate schedules.
 * MultiStepLR (reference, method.md §2.3): lr_k = lr0 * gamma^(number of milestones <= k),
 * milestones [50000], gamma 0.5. Optional linear warm-up: lr_k *= min(1, (k + 1) / warmupSteps).
 */
export interface LrScheduleOptions {
  lr: number;
  milestones: number[];
  gamma: number;
  warmupSteps: number;
}

export const DEFAULT_LR_SCHEDULE: LrScheduleOptions = {
  lr: 5e-5,
  milestones: [50_000],
  gamma: 0.5,
  warmupSteps: 0,
};

/** The learning rate at iteration k (0-based count of completed steps). */
export function learningRateAt(k: number, options: Partial<LrScheduleOptions> = {}): number {
  const { lr, milestones, gamma, warmupSteps } = { ...DEFAULT_LR_SCHEDULE, ...options };
  let rate = lr * gamma ** milestones.filter((m) => m <= k).length;
  if (warmupSteps > 0) rate *= Math.min(1, (k + 1) / warmupSteps);
  return rate;
}
