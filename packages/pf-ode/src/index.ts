export { bicubicPhaseTaps, bicubicUpsample, cubicWeight } from './bicubic.js';
export { type CurriculumOptions, DEFAULT_CURRICULUM, numGridPoints } from './curriculum.js';
export { forwardProcess, type LevelValue } from './forward-process.js';
export { deriveSeed, hash32, normalAt, normalFieldRegion, seededNormal, uniformAt } from './noise.js';
export {
  DEFAULT_PRECONDITIONING,
  type EdmCoefficients,
  edmCoefficients,
  type PreconditioningOptions,
  precondition,
} from './preconditioning.js';
export {
  initialState,
  type SamplerOptions,
  sampleConsistency,
  sampleOneStep,
  samplingLevels,
} from './samplers.js';
export {
  DEFAULT_TRAJECTORY_SCHEDULE,
  karrasSchedule,
  type TrajectoryScheduleOptions,
  trajectoryLevels,
} from './schedules.js';
export { detach, stopGradient } from './stop-gradient.js';
export type { Conditioning, Denoiser, RawNetwork, TrajectoryLevel } from './types.js';
export {
  fromUnitRange,
  toUnitRange,
} from './value-range.js';
