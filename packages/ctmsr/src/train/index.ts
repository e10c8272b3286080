export {
  appendJsonl,
  latestCheckpointStep,
  loadLatestCheckpoint,
  saveCheckpoint,
  writeFileAtomic,
} from './checkpoint.js';
export { runTrainCommand, TRAIN_USAGE } from './command.js';
export {
  DEFAULT_TRAIN_CONFIG,
  type DegradationMode,
  resolveTrainConfig,
  type TrainConfig,
  totalIterations,
} from './config.js';
export { type ExportOptions, exportRunModel } from './export-model.js';
export { makePairs } from './pairs.js';
export { listImages, PhotoDataset, type RgbImage, readRgbImage } from './photo-dataset.js';
export { hasCheckpoint, type RunTrainingOptions, type RunTrainingResult, runTraining } from './run.js';
export { modelConfig, NonFiniteLossError, type StepRecord, Trainer, type TrainerState } from './trainer.js';
export { superResolve, type ValidationResult, validate } from './validation.js';
