// Single-file build of the `ctmsr` CLI for a machine without node_modules (the lent GPU machine,
// see tools/gpu/README.md). tfjs-backend-webgpu registers itself only if `navigator.gpu` exists
// when its module runs, so Dawn is installed first and the backend imported after, from the
// bundle (sharing the bundled tfjs-core); sharp and webgpu (native addons) travel beside it.
import '@tensorflow/tfjs';
import { installNodeWebGPU } from '../../packages/backends/src/webgpu-node.js';

await installNodeWebGPU({ swiftshader: true });
await import('@tensorflow/tfjs-backend-webgpu');
const argv = process.argv.slice(2);
if (argv[0] === 'train') {
  const { runTrainCommand } = await import('../../packages/ctmsr/src/train/index.js');
  process.exitCode = await runTrainCommand(argv.slice(1));
} else {
  const { main } = await import('../../packages/ctmsr/src/cli/main.js');
  process.exitCode = await main(argv);
}
