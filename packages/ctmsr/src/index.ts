export { CTMSR, type LoadOptions, type ModelInfo, type UpscaleCallOptions } from './ctmsr.js';
export {
  type DrawableImage,
  type ImageDataLike,
  imageDataToPixels,
  pixelsToImageData,
} from './image/browser-io.js';
export {
  DEFAULT_MAX_INPUT_PIXELS,
  type DecodedImage,
  type DecodeOptions,
  decodeImageNode,
  ImageInputError,
} from './image/decode-node.js';
export { DIHEDRAL_COUNT, transformImage } from './image/dihedral.js';
export {
  DEFAULT_ENCODE_QUALITY,
  ENCODED_FORMATS,
  type EncodedFormat,
  type EncodeOptions,
  encodeImageNode,
} from './image/encode-node.js';
export { type ImageInput, isPixels } from './image/image-input.js';
export { OUTPUT_KINDS, type OutputKind, type OutputTypes } from './image/image-output.js';
export type { ChannelCount, Pixels } from './image/pixels.js';
export { pixelsToTensor, tensorToPixels } from './image/tensor-io.js';
export type { MetricImage, MetricOptions } from './metrics/metric-image.js';
export { psnr, psnrPixels } from './metrics/psnr.js';
export { gaussianTaps, SSIM_K1, SSIM_K2, SSIM_SIGMA, SSIM_WINDOW, ssim, ssimPixels } from './metrics/ssim.js';
export { defaultModelLocation } from './model/default-model.js';
export { estimateMemory, type MemoryEstimate } from './model/memory-estimate.js';
export { type LoadedNetwork, loadNetwork, type ModelSource } from './model/model-source.js';
export {
  autoTileSize,
  DEFAULT_MAX_TILE,
  DEFAULT_TILE_MEMORY_BUDGET,
  type TileSizeInputs,
} from './tiling/auto-tile-size.js';
export { axisBlendWeights, tileBump } from './tiling/blend-weights.js';
export {
  type AxisPlan,
  planAxis,
  planTiles,
  reflectIndex,
  type TilePlan,
  type TileRect,
} from './tiling/plan-tiles.js';
export {
  DEFAULT_UPSCALE_OPTIONS,
  resolveUpscaleOptions,
  type UpscaleOptions,
  type UpscaleProgress,
} from './upscale/options.js';
export { type TileModel, upscalePixels } from './upscale/upscale-pixels.js';
export { packageVersion } from './version.js';
