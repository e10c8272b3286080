export {
  groupsFor,
  levelChannels,
  type PresetName,
  resolveSrUnetConfig,
  SR_UNET_PRESETS,
  type SrUnetConfig,
} from './config.js';
export { decodeFloat16, encodeFloat16, fromFloat16Bits, toFloat16Bits } from './float16.js';
export { type ForwardOptions, rawForward } from './forward.js';
export { buildLayout, countParameters, type Layout, type ParamSpec, requiredMultiple } from './layout.js';
export { embeddingFrequencies, positionalEmbedding } from './noise-embedding.js';
export { avgPool2, nearestUp2, pixelShuffle, pixelUnshuffle } from './ops.js';
export { type NamedVariable, SrUnet } from './sr-unet.js';
export {
  checkWeightsMatchConfig,
  DEFAULT_ENCODE_WEIGHTS,
  decodeSrUnet,
  decodeWeights,
  type EncodeWeightsOptions,
  encodeWeights,
  loadWeightsInto,
  parseWeightsManifest,
  sha256Hex,
  WEIGHTS_FORMAT,
  WEIGHTS_FORMAT_VERSION,
  type WeightEntry,
  type WeightsManifest,
} from './weights-format.js';
export { loadSrUnetFile, loadSrUnetFileInto, saveSrUnetFiles, writeFileAtomic } from './weights-node.js';
