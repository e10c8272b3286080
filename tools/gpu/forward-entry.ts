// Single-file build of packages/sr-unet/bench/forward.bench.ts for the lent GPU machine
// (tools/gpu/README.md); Dawn first, then the WebGPU backend (see cli-entry.ts).
import '@tensorflow/tfjs';
import { installNodeWebGPU } from '../../packages/backends/src/webgpu-node.js';

await installNodeWebGPU({ swiftshader: true });
await import('@tensorflow/tfjs-backend-webgpu');
await import('../../packages/sr-unet/bench/forward.bench.js');
