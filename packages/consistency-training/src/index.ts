export {
  AdamW,
  type AdamWOptions,
  type AdamWState,
  DEFAULT_ADAMW_OPTIONS,
  type NamedVariables,
} from './adamw.js';
export {
  type CtBatch,
  type CtLossOptions,
  type CtLossResult,
  consistencyTrainingLoss,
  ctLoss,
  ctPoint,
  ctTarget,
  DEFAULT_CT_LOSS_OPTIONS,
  type WeightedDistance,
} from './ct-loss.js';
export {
  CT_STREAMS,
  type CtPlan,
  type CtPlanOptions,
  DEFAULT_CT_PLAN_OPTIONS,
  planCtStep,
  uniformDraw,
} from './ct-plan.js';
export {
  charbonnier,
  type Distance,
  type DistanceName,
  distanceByName,
  l1,
  l2,
  pseudoHuber,
} from './distances.js';
export { DEFAULT_EMA_OPTIONS, Ema, type EmaOptions, emaDecay } from './ema.js';
export { clipByGlobalNorm, GradientAccumulator, globalNorm } from './gradients.js';
export { createLpips, type Lpips, type LpipsNet, type LpipsOptions } from './lpips.js';
export { loadLpipsWeightsFile, saveLpipsWeightsFile } from './lpips-node.js';
export {
  LPIPS_FORMAT,
  type LpipsManifest,
  type LpipsManifestEntry,
  type LpipsTensor,
  type LpipsWeights,
  parseLpipsWeights,
  randomLpipsWeights,
  serializeLpipsWeights,
} from './lpips-weights.js';
export { DEFAULT_LR_SCHEDULE, type LrScheduleOptions, learningRateAt } from './lr-schedule.js';
