export { bicubicPhaseTaps, bicubicUpsample, cubicWeight } from './bicubic.js';
export { deriveSeed, normalAt, normalFieldRegion, seededNormal } from './noise.js';
export {
  DEFAULT_PRECONDITIONING,
  type EdmCoefficients,
  edmCoefficients,
  type PreconditioningOptions,
  precondition,
} from './preconditioning.js';
export type { Denoiser, RawNetwork, TrajectoryLevel } from './types.js';
