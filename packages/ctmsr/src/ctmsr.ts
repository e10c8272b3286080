/**
 * `CTMSR`: a loaded super-resolution model on a chosen backend, with one `upscale` call for
 * tensors, files/Buffers (Node) and browser images.
 *
 *   const sr = await CTMSR.load();                 // default model, best backend
 *   const png = await sr.upscale('photo.jpg');      // 4x, one network evaluation per tile
 *   sr.dispose();
 *
 * The denoiser is D = precondition(F) with F = SrUnet.rawNetwork({ training: false })
 * (method.md §2.1); sampling is one step by default, x_T = u + sigma_max eps, y = D(x_T,
 * sigma_max, l) (method.md §5.1), tiled with one global noise field (upscale/, tiling/).
 */
import { type BackendChoice, describeBackend, type SelectedBackend, selectBackend } from '@ctmsr/backends';
import { type Denoiser, precondition } from '@ctmsr/pf-ode';
import type { SrUnet, SrUnetConfig } from '@ctmsr/sr-unet';
import * as tf from '@tensorflow/tfjs-core';
import type { DrawableImage, ImageDataLike } from './image/browser-io.js';
import { DEFAULT_MAX_INPUT_PIXELS } from './image/decode-node.js';
import { type ImageInput, readImageInput } from './image/image-input.js';
import {
  assertOutputKind,
  defaultOutputKind,
  type OutputKind,
  type OutputTypes,
  produceOutput,
} from './image/image-output.js';
import type { Pixels } from './image/pixels.js';
import { defaultModelLocation, missingDefaultModelError } from './model/default-model.js';
import { estimateMemory } from './model/memory-estimate.js';
import { type LoadedNetwork, loadNetwork, type ModelSource } from './model/model-source.js';
import { autoTileSize } from './tiling/auto-tile-size.js';
import { resolveUpscaleOptions, type UpscaleOptions } from './upscale/options.js';
import { upscalePixels } from './upscale/upscale-pixels.js';

export interface LoadOptions {
  /** A path/URL of `model.json` (or its folder), or a ModelSource. Default: the bundled model. */
  model?: string | URL | ModelSource;
  /** Backend name or 'auto' (default): see `selectBackend` of @ctmsr/backends. */
  backend?: BackendChoice | string;
  /** Receives one line saying which backend was chosen and why (default: none). */
  log?: (line: string) => void;
}

/** Per-call options: the sampling/tiling options plus the output kind. */
export interface UpscaleCallOptions extends UpscaleOptions {
  /** What to return; by default the same kind as the input (files and Buffers give 'png'). */
  output?: OutputKind;
  /** JPEG/WebP quality 1..100 for encoded outputs. */
  quality?: number;
  /** Refuse decoded inputs with more pixels than this (default DEFAULT_MAX_INPUT_PIXELS). */
  maxPixels?: number;
}

/** What was loaded. */
export interface ModelInfo {
  name: string;
  location: string;
  config: SrUnetConfig;
  parameterCount: number;
  scale: number;
  /** LR tile sides are multiples of this. */
  requiredMultiple: number;
  /**
   * Default sigma_max of `upscale`: the one the weights were trained with (recorded in the
   * manifest by `ctmsr train`), else 1 (method.md).
   */
  sigmaMax: number;
  /** sigma rescaling of the preconditioning: as trained (manifest), else 0.1 (method.md §2.1). */
  sigmaScale: number;
}

export class CTMSR {
  /** The backend chosen at load time. */
  readonly backend: SelectedBackend;
  readonly model: ModelInfo;
  private readonly loaded: LoadedNetwork;
  private readonly denoiser: Denoiser;
  private disposed = false;

  private constructor(backend: SelectedBackend, loaded: LoadedNetwork) {
    this.backend = backend;
    this.loaded = loaded;
    const net = loaded.network;
    this.model = {
      name: loaded.name,
      location: loaded.location,
      config: net.config,
      parameterCount: net.parameterCount(),
      scale: net.config.scale,
      requiredMultiple: net.requiredMultiple(),
      sigmaMax: loaded.sigmaMax ?? 1,
      sigmaScale: loaded.sigmaScale ?? 0.1,
    };
    // The sigma rescaling the weights were trained with (manifest), else the reference's 0.1.
    this.denoiser = precondition(net.rawNetwork({ training: false }), {
      sigmaScale: loaded.sigmaScale ?? 0.1,
    });
  }

  /**
   * Chooses a backend (`selectBackend`) and loads a model.
   * @throws when the backend cannot be used, or no model is given and none is bundled.
   */
  static async load(options: LoadOptions = {}): Promise<CTMSR> {
    const backend = await selectBackend({ backend: options.backend });
    options.log?.(describeBackend(backend));
    let source = options.model;
    if (source == null) {
      const location = await defaultModelLocation();
      if (location == null) throw missingDefaultModelError();
      source = location;
    }
    const loaded = await loadNetwork(source);
    return new CTMSR(backend, loaded);
  }

  /** The network (owned by this object unless it was passed in as `{ network }`). */
  get network(): SrUnet {
    return this.loaded.network;
  }

  /** One line: backend, adapter, reason. */
  describeBackend(): string {
    return describeBackend(this.backend);
  }

  /** The automatic tile size (LR pixels) on the current backend. */
  autoTileSize(): number {
    const name = tf.getBackend();
    let webgpuMaxBinding: number | undefined;
    if (name === 'webgpu') {
      const limits = (tf.backend() as { device?: GPUDevice }).device?.limits;
      if (limits) webgpuMaxBinding = Math.min(limits.maxStorageBufferBindingSize, limits.maxBufferSize);
    }
    return autoTileSize({
      backend: name,
      multiple: this.model.requiredMultiple,
      webgpuMaxBinding,
      ...estimateMemory(this.model.config),
    });
  }

  upscale<O extends OutputKind>(
    input: ImageInput,
    options: UpscaleCallOptions & { output: O },
  ): Promise<OutputTypes[O]>;
  upscale(input: tf.Tensor, options?: UpscaleCallOptions): Promise<tf.Tensor>;
  upscale(input: string | Uint8Array, options?: UpscaleCallOptions): Promise<Uint8Array>;
  upscale(input: ImageDataLike | DrawableImage, options?: UpscaleCallOptions): Promise<ImageData>;
  upscale(input: Pixels, options?: UpscaleCallOptions): Promise<Pixels>;
  /**
   * Upscales an image by the model's scale (4).
   * Inputs: tensor [H,W,C] / [B,H,W,C] in [0,1] (C = 1..4); file path or encoded Buffer (Node);
   * ImageData, img, canvas or ImageBitmap (browsers); Pixels. Gray stays gray, alpha is upscaled
   * with bicubic and kept, 16-bit files stay 16-bit (PNG), EXIF orientation is applied.
   * @returns by default the input's kind (tensor -> tensor, file/Buffer -> PNG Buffer,
   *   browser image -> ImageData); `options.output` picks another.
   * @throws an AbortError when `options.signal` aborts (no tensors leak).
   */
  async upscale(input: ImageInput, options: UpscaleCallOptions = {}): Promise<OutputTypes[OutputKind]> {
    if (this.disposed) throw new Error('CTMSR.upscale: this model has been disposed');
    const { output, quality, maxPixels, ...rest } = options;
    const resolved = resolveUpscaleOptions({ ...rest, sigmaMax: rest.sigmaMax ?? this.model.sigmaMax });
    if (output !== undefined) assertOutputKind(output);
    resolved.signal?.throwIfAborted();
    const read = await readImageInput(input, { maxPixels: maxPixels ?? DEFAULT_MAX_INPUT_PIXELS });
    const tileSize = resolved.tileSize ?? this.autoTileSize();
    const model = { denoiser: this.denoiser, scale: this.model.scale, multiple: this.model.requiredMultiple };
    const results: Pixels[] = [];
    for (const image of read.images) {
      results.push(await upscalePixels(model, image, { ...resolved, tileSize }));
    }
    return produceOutput(results, output ?? defaultOutputKind(read.kind), {
      rank: read.rank,
      icc: read.icc,
      quality,
    });
  }

  /** Frees the network's weights (unless the network was passed in by the caller). Idempotent. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    if (this.loaded.owned) this.loaded.network.dispose();
  }
}
