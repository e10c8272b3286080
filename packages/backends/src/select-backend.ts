/**
 * Picks, loads and initialises a TensorFlow.js backend, and says which one and why.
 *
 * Auto order in Node: `tensorflow` (tfjs-node / tfjs-node-gpu, when the user installed one),
 * `webgpu` through Dawn when a hardware adapter exists, `wasm`, `cpu`.
 * Auto order in browsers: `webgpu`, `webgl`, `wasm`, `cpu`.
 */
import * as tf from '@tensorflow/tfjs-core';
import { importOptional, isNode } from './environment.js';
import { enableWasmThreadsInNode, type WasmThreadsOptions } from './wasm-threads-node.js';
import { registerWasmTrainingKernels } from './wasm-training-kernels.js';
import { registerWebGPUGroupNorm } from './webgpu-group-norm.js';
import { type AdapterDescription, describeWebGPUAdapter, installNodeWebGPU } from './webgpu-node.js';

/** Backend names accepted everywhere (`--backend`). */
export const BACKEND_NAMES = ['auto', 'tensorflow', 'webgpu', 'webgl', 'wasm', 'cpu'] as const;
export type BackendChoice = (typeof BACKEND_NAMES)[number];
export type BackendName = Exclude<BackendChoice, 'auto'>;

export interface SelectBackendOptions {
  /** A backend name, or 'auto' (default). */
  backend?: BackendChoice | string;
  /**
   * Accept a software WebGPU adapter (SwiftShader, lavapipe) when `webgpu` is named explicitly.
   * In 'auto' mode a software adapter is never chosen: wasm is faster. Default true.
   */
  allowSoftwareWebGPU?: boolean;
  /** In Node, point Dawn at Debian chromium's SwiftShader when no Vulkan ICD is set. Default true. */
  swiftshader?: boolean;
  /**
   * Node only: run wasm on XNNPACK's thread pool (pthreads build), or false for single-threaded
   * wasm. Default true unless the environment variable `CTMSR_WASM_THREADS=0`.
   */
  wasmThreads?: boolean | WasmThreadsOptions;
}

export interface SelectedBackend {
  name: BackendName;
  /** The WebGPU adapter, when the backend is webgpu. */
  adapter: AdapterDescription | null;
  /** One line saying why this backend was chosen. */
  reason: string;
}

/** Throws a clear error for a backend name that does not exist. */
export function parseBackendChoice(value: string | undefined): BackendChoice {
  if (value == null || value === '') return 'auto';
  if ((BACKEND_NAMES as readonly string[]).includes(value)) return value as BackendChoice;
  throw new Error(`selectBackend: unknown backend '${value}'; expected one of ${BACKEND_NAMES.join(', ')}`);
}

/**
 * True when the backend is already registered (a bundled browser app imports its backends
 * statically, and a bare dynamic import cannot resolve there) or its package can be imported.
 */
async function provided(name: BackendName, specifier: string): Promise<boolean> {
  return tf.findBackendFactory(name) != null || (await importOptional(specifier)) != null;
}

/** Loads the package that provides `name`; returns false when it is not installed. */
async function loadBackendPackage(name: BackendName): Promise<boolean> {
  switch (name) {
    case 'cpu':
      return provided(name, '@tensorflow/tfjs-backend-cpu');
    case 'wasm': {
      const ok = await provided(name, '@tensorflow/tfjs-backend-wasm');
      if (ok) registerWasmTrainingKernels();
      return ok;
    }
    case 'webgl':
      if (isNode()) return false;
      return provided(name, '@tensorflow/tfjs-backend-webgl');
    case 'webgpu':
      return provided(name, '@tensorflow/tfjs-backend-webgpu');
    case 'tensorflow':
      if (!isNode()) return false;
      return (
        (await importOptional('@tensorflow/tfjs-node-gpu')) != null ||
        (await importOptional('@tensorflow/tfjs-node')) != null
      );
  }
}

async function trySet(
  name: BackendName,
  options: SelectBackendOptions = {},
  note = { wasm: '' },
): Promise<boolean> {
  if (!(await loadBackendPackage(name))) return false;
  try {
    // wasm in Node: try the multi-threaded build (it falls back to single-threaded wasm by
    // itself and says why in `reason`); see wasm-threads-node.ts.
    if (name === 'wasm' && isNode()) {
      const t = options.wasmThreads;
      const status = await enableWasmThreadsInNode(typeof t === 'object' ? t : { enabled: t });
      note.wasm = status.threads > 1 ? `${status.threads} threads` : `1 thread: ${status.reason}`;
      return status.ok;
    }
    const ok = await tf.setBackend(name);
    if (ok && name === 'webgpu') registerWebGPUGroupNorm();
    return ok;
  } catch {
    return false;
  }
}

/**
 * Chooses and initialises a backend. Call once at start-up; the result names the backend,
 * the WebGPU adapter (if any) and the reason, for the user to see.
 *
 * @throws when a named backend cannot be used (the message says why), or the name is unknown.
 */
export async function selectBackend(options: SelectBackendOptions = {}): Promise<SelectedBackend> {
  const choice = parseBackendChoice(options.backend);
  const allowSoftware = options.allowSoftwareWebGPU ?? true;
  const node = isNode();

  const webgpuAdapter = async (): Promise<AdapterDescription | null> => {
    const ok = await installNodeWebGPU({ swiftshader: options.swiftshader ?? true });
    if (!ok) return null;
    return describeWebGPUAdapter();
  };

  if (choice !== 'auto') {
    let adapter: AdapterDescription | null = null;
    if (choice === 'webgpu') {
      adapter = await webgpuAdapter();
      if (adapter == null) {
        throw new Error(
          'selectBackend: backend webgpu requested but no WebGPU adapter is available' +
            (node ? " (install the 'webgpu' npm package and a Vulkan driver)" : ''),
        );
      }
      if (adapter.isFallback && !allowSoftware) {
        throw new Error(
          `selectBackend: only a software WebGPU adapter is available (${adapter.device || adapter.vendor})`,
        );
      }
    }
    const note = { wasm: '' };
    if (!(await trySet(choice, options, note))) {
      throw new Error(`selectBackend: backend '${choice}' could not be initialised in this environment`);
    }
    return { name: choice, adapter, reason: note.wasm ? `requested; ${note.wasm}` : 'requested' };
  }

  if (node && (await trySet('tensorflow'))) {
    return { name: 'tensorflow', adapter: null, reason: 'auto: tfjs-node is installed' };
  }
  const adapter = await webgpuAdapter();
  if (adapter != null && !adapter.isFallback && (await trySet('webgpu'))) {
    return { name: 'webgpu', adapter, reason: 'auto: hardware WebGPU adapter found' };
  }
  const why = adapter == null ? 'no WebGPU adapter' : 'only a software WebGPU adapter';
  if (!node && (await trySet('webgl'))) {
    return { name: 'webgl', adapter: null, reason: `auto: ${why}; WebGL available` };
  }
  const note = { wasm: '' };
  if (await trySet('wasm', options, note)) {
    const threads = note.wasm ? `, ${note.wasm}` : '';
    return { name: 'wasm', adapter: null, reason: `auto: ${why}; using wasm (XNNPACK, SIMD${threads})` };
  }
  if (await trySet('cpu')) {
    return { name: 'cpu', adapter: null, reason: `auto: ${why}; wasm failed to load, using plain JS cpu` };
  }
  throw new Error('selectBackend: no TensorFlow.js backend could be initialised');
}

/** One line describing a selected backend, for logs and `ctmsr info`. */
export function describeBackend(selected: SelectedBackend): string {
  const a = selected.adapter;
  const adapter = a
    ? ` [adapter: ${[a.vendor, a.architecture, a.device, a.description].filter(Boolean).join(' ') || 'unknown'}${a.isFallback ? ', software' : ''}]`
    : '';
  return `backend ${selected.name}${adapter} (${selected.reason})`;
}
