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
export { registerWasmTrainingKernels } from './wasm-training-kernels.js';
export {
  type AdapterDescription,
  describeWebGPUAdapter,
  installNodeWebGPU,
  SWIFTSHADER_ICD,
} from './webgpu-node.js';
