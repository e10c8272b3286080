export { isNode } from './environment.js';
export { ensureGradients } from './gradients.js';
export {
  BACKEND_NAMES,
  type BackendChoice,
  type BackendName,
  describeBackend,
  parseBackendChoice,
  type SelectBackendOptions,
  type SelectedBackend,
  selectBackend,
} from './select-backend.js';
export {
  DEFAULT_WASM_THREADS,
  DEFAULT_WASM_THREADS_INIT_TIMEOUT_MS,
  enableWasmThreadsInNode,
  MAX_WASM_THREADS,
  WASM_THREADS_ENV,
  type WasmThreadsOptions,
  type WasmThreadsStatus,
  wasmThreadsBlocker,
} from './wasm-threads-node.js';
export { registerWasmTrainingKernels } from './wasm-training-kernels.js';
export { GROUP_NORM_KERNEL, registerWebGPUGroupNorm } from './webgpu-group-norm.js';
export {
  type AdapterDescription,
  describeWebGPUAdapter,
  installNodeWebGPU,
  SWIFTSHADER_ICD,
} from './webgpu-node.js';
