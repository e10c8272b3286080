/**
 * The page's handle on the inference worker: start it, upscale with progress, cancel. A cancel the
 * worker does not confirm in time (a long GPU call) ends the worker and starts a fresh one.
 */
import type { BackendRequest, FromWorker, RawImage, ToWorker } from './protocol';

/** How long a cancel may take before the worker is restarted. */
export const CANCEL_GRACE_MS = 3000;

export interface Ready {
  backend: string;
  adapter: string;
  reason: string;
  model: string;
}

export interface UpscaleRequest {
  image: RawImage;
  steps: number;
  seed: number;
  tileSize: number;
  onProgress: (completed: number, total: number) => void;
}

export interface UpscaleResult {
  output: RawImage;
  bicubic: RawImage;
  seconds: number;
}

export class CancelledError extends Error {
  constructor() {
    super('cancelled');
    this.name = 'CancelledError';
  }
}

interface Pending {
  request: UpscaleRequest;
  resolve: (result: UpscaleResult) => void;
  reject: (err: Error) => void;
}

export class WorkerClient {
  private worker: Worker | null = null;
  private nextId = 1;
  private pending = new Map<number, Pending>();
  /** Settles when the model is loaded in the current worker. */
  ready!: Promise<Ready>;

  constructor(
    private readonly modelUrl: string,
    private backend: BackendRequest,
  ) {
    this.start(backend);
  }

  /** (Re)starts the worker and loads the model on `backend`; `ready` settles when it is loaded. */
  start(backend: BackendRequest): void {
    this.stop(new CancelledError());
    this.backend = backend;
    const worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' });
    this.worker = worker;
    this.ready = new Promise<Ready>((resolve, reject) => {
      worker.onmessage = (event: MessageEvent<FromWorker>) => {
        const m = event.data;
        if (m.type === 'ready') resolve(m);
        else if (m.type === 'error' && m.id == null) reject(new Error(m.message));
        else this.handle(m);
      };
      worker.onerror = (event) => {
        const err = new Error(`the worker failed: ${event.message || 'script error'}`);
        reject(err);
        this.stop(err);
      };
    });
    this.ready.catch(() => {});
    this.send({ type: 'load', modelUrl: this.modelUrl, backend });
  }

  upscale(request: UpscaleRequest): { id: number; done: Promise<UpscaleResult> } {
    const id = this.nextId++;
    const done = new Promise<UpscaleResult>((resolve, reject) => {
      this.pending.set(id, { request, resolve, reject });
    });
    const { image, steps, seed, tileSize } = request;
    this.send({ type: 'upscale', id, image, steps, seed, tileSize }, [image.data.buffer]);
    return { id, done };
  }

  /** Asks the worker to stop job `id`; restarts the worker if it does not stop in time. */
  cancel(id: number): void {
    if (!this.pending.has(id)) return;
    this.send({ type: 'cancel', id });
    setTimeout(() => {
      if (this.pending.has(id)) this.start(this.backend);
    }, CANCEL_GRACE_MS);
  }

  private handle(m: FromWorker): void {
    if (m.type === 'ready' || m.id == null) return;
    const job = this.pending.get(m.id);
    if (!job) return;
    if (m.type === 'progress') {
      job.request.onProgress(m.completed, m.total);
      return;
    }
    this.pending.delete(m.id);
    if (m.type === 'result') job.resolve({ output: m.output, bicubic: m.bicubic, seconds: m.seconds });
    else if (m.type === 'cancelled') job.reject(new CancelledError());
    else if (m.type === 'error') job.reject(new Error(m.message));
  }

  private send(message: ToWorker, transfer: Transferable[] = []): void {
    this.worker?.postMessage(message, transfer);
  }

  private stop(reason: Error): void {
    this.worker?.terminate();
    this.worker = null;
    for (const job of this.pending.values()) job.reject(reason);
    this.pending.clear();
  }
}
