export {
  groupsFor,
  levelChannels,
  type PresetName,
  resolveSrUnetConfig,
  SR_UNET_PRESETS,
  type SrUnetConfig,
} from './config.js';
export { type ForwardOptions, rawForward } from './forward.js';
export { buildLayout, countParameters, type Layout, type ParamSpec, requiredMultiple } from './layout.js';
export { embeddingFrequencies, positionalEmbedding } from './noise-embedding.js';
export { avgPool2, nearestUp2, pixelShuffle, pixelUnshuffle } from './ops.js';
export { type NamedVariable, SrUnet } from './sr-unet.js';
