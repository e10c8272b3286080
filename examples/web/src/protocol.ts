/** Messages between the page (main.ts) and the inference worker (worker.ts). */

/** RGBA 8-bit pixels; `data.buffer` is transferred, not copied. */
export interface RawImage {
  width: number;
  height: number;
  data: Uint8ClampedArray<ArrayBuffer>;
}

/** Backends the page offers; 'auto' lets `selectBackend` choose (WebGPU, then WebGL, then wasm). */
export const BACKEND_CHOICES = ['auto', 'webgpu', 'webgl', 'wasm'] as const;
export type BackendRequest = (typeof BACKEND_CHOICES)[number];

export type ToWorker =
  | { type: 'load'; modelUrl: string; backend: BackendRequest }
  | { type: 'upscale'; id: number; image: RawImage; steps: number; seed: number; tileSize: number }
  | { type: 'cancel'; id: number };

export type FromWorker =
  | { type: 'ready'; backend: string; adapter: string; reason: string; model: string }
  | { type: 'progress'; id: number; completed: number; total: number }
  | { type: 'result'; id: number; output: RawImage; bicubic: RawImage; seconds: number }
  | { type: 'cancelled'; id: number }
  | { type: 'error'; id: number | null; message: string };
