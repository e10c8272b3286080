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
export {
  type ConvertedWeights,
  convertPytorchStateDict,
  DEFAULT_IMPORT_PYTORCH,
  detectPytorchNaming,
  type ImportPytorchOptions,
  importPytorchStateDict,
  loadPytorchCheckpoint,
} from './import/import-pytorch.js';
export {
  DEFAULT_PYTORCH_NAMING,
  type KeyMapping,
  type LayoutTransform,
  type PytorchNamingOptions,
  pytorchKeyMap,
} from './import/pytorch-names.js';
export { loadPytorchCheckpointFile, readPytorchStateDictFile } from './import/pytorch-node.js';
export { type ReadStateDictOptions, readPytorchStateDict } from './import/read-state-dict.js';
export { parseSafetensors, type SafetensorsFile } from './import/safetensors.js';
export {
  type StateDict,
  type StateDictTensor,
  type TensorDType,
  tensorToFloat32,
} from './import/state-dict.js';
export { extractStateDict, parseTorchSave } from './import/torch-zip.js';
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
