// Counts the WebGPU programs (dispatches) and queue submits of one SrUnet forward pass, the
// quantity that WebGPU time follows on Dawn in Node (docs/benchmarks.md). Runs on SwiftShader
// here: the count does not depend on the adapter.
//   npx tsx tools/gpu/count-programs.ts [preset] [lr-size]
import { selectBackend } from '@ctmsr/backends';
import { SrUnet } from '@ctmsr/sr-unet';
import * as tf from '@tensorflow/tfjs-core';

const preset = (process.argv[2] ?? 'tiny') as 'tiny';
const lr = Number(process.argv[3] ?? 32);
await selectBackend({ backend: 'webgpu' });
const backend = tf.backend() as unknown as Record<string, (...a: unknown[]) => unknown>;
const counts = { programs: 0, submits: 0 };
for (const [method, key] of [
  ['runWebGPUProgram', 'programs'],
  ['submitQueue', 'submits'],
] as const) {
  const original = backend[method].bind(backend);
  backend[method] = (...a: unknown[]) => {
    counts[key]++;
    return original(...a);
  };
}
const net = SrUnet.create(preset, 0);
const lq = tf.randomUniform([1, lr, lr, 3], -1, 1) as tf.Tensor4D;
const x = tf.randomUniform([1, 4 * lr, 4 * lr, 3], -1, 1) as tf.Tensor4D;
const cNoise = tf.fill([1], -0.27) as tf.Tensor1D;
for (const training of [false, true]) {
  counts.programs = 0;
  counts.submits = 0;
  const y = net.forward(x, cNoise, lq, { training, dropoutSeed: 1 });
  await y.data();
  y.dispose();
  console.log(
    `${preset} forward (${training ? 'training: composite GroupNorm' : 'inference: fused GroupNorm'}): ${counts.programs} programs, ${counts.submits} submits`,
  );
}
