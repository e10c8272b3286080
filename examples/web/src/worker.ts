/**
 * The inference worker: loads CTMSR on the requested backend and upscales images sent by the page,
 * so the page stays responsive while the network runs.
 */
// Static imports register the browser backends; `selectBackend` then picks among them.
import '@tensorflow/tfjs-backend-webgpu';
import '@tensorflow/tfjs-backend-webgl';
import '@tensorflow/tfjs-backend-wasm';
import { CTMSR } from 'ctmsr';
import { bicubicImage } from './bicubic';
import type { FromWorker, RawImage, ToWorker } from './protocol';
import { useBundledWasmFiles } from './wasm-paths';

useBundledWasmFiles();

let model: Promise<CTMSR> | null = null;
const running = new Map<number, AbortController>();

function post(message: FromWorker, transfer: Transferable[] = []): void {
  self.postMessage(message, { transfer });
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

async function load(modelUrl: string, backend: string): Promise<void> {
  model = CTMSR.load({ model: modelUrl, backend });
  try {
    const sr = await model;
    const a = sr.backend.adapter;
    const adapter = a
      ? [a.vendor, a.architecture, a.device, a.description].filter(Boolean).join(' ') +
        (a.isFallback ? ' (software)' : '')
      : '';
    const params = `${(sr.model.parameterCount / 1e6).toFixed(2)}M parameters`;
    post({ type: 'ready', backend: sr.backend.name, adapter, reason: sr.backend.reason, model: params });
  } catch (err) {
    post({ type: 'error', id: null, message: `Could not start CTMSR: ${errorText(err)}` });
  }
}

async function upscale(message: Extract<ToWorker, { type: 'upscale' }>): Promise<void> {
  const { id, image, steps, seed, tileSize } = message;
  const controller = new AbortController();
  running.set(id, controller);
  try {
    if (model == null) throw new Error('the model is not loaded');
    const sr = await model;
    const start = performance.now();
    const input = new ImageData(image.data, image.width, image.height);
    const out = await sr.upscale(input, {
      steps,
      seed,
      tileSize,
      signal: controller.signal,
      output: 'imageData',
      onProgress: (p) => post({ type: 'progress', id, completed: p.completed, total: p.total }),
    });
    const seconds = (performance.now() - start) / 1000;
    const bicubic = await bicubicImage(image, sr.model.scale);
    const output: RawImage = { width: out.width, height: out.height, data: out.data };
    post({ type: 'result', id, output, bicubic, seconds }, [output.data.buffer, bicubic.data.buffer]);
  } catch (err) {
    if (controller.signal.aborted) post({ type: 'cancelled', id });
    else post({ type: 'error', id, message: `Upscaling failed: ${errorText(err)}` });
  } finally {
    running.delete(id);
  }
}

self.onmessage = (event: MessageEvent<ToWorker>) => {
  const message = event.data;
  if (message.type === 'load') void load(message.modelUrl, message.backend);
  else if (message.type === 'upscale') void upscale(message);
  else running.get(message.id)?.abort();
};
