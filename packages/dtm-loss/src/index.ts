export { type DtmLossResult, dtmLoss, dtmSampleWeights, dtmTarget } from './dtm-loss.js';
export { type DtmPlan, planDtmStep } from './dtm-plan.js';
export { dtmOutput, oneStepState } from './one-step.js';
export {
  DEFAULT_DTM_OPTIONS,
  type Distance,
  DTM_STREAMS,
  type DtmBatch,
  type DtmInput,
  type DtmOptions,
  type DtmWeighting,
  type WeightedDistance,
} from './options.js';
export {
  dtmActive,
  FrozenModelSchedule,
  type FrozenModelScheduleOptions,
  shouldRefreshFrozen,
} from './refresh-schedule.js';
export { type DtmTimeRange, drawDtmTimeIndex, dtmTimeIndices } from './time-level.js';
