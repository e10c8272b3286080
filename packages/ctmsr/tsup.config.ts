import { defineConfig } from 'tsup';

// dist/index.js: the library; dist/cli.js: the `ctmsr` executable (bin/ctmsr.js imports it);
// dist/train/index.js: the trainer, loaded on demand by `ctmsr train` (src/load-train.ts).
// The trainer is also public as `ctmsr/train` (Node only: it reads folders and writes checkpoints).
const entry: Record<string, string> = {
  index: 'src/index.ts',
  cli: 'src/cli.ts',
  'train/index': 'src/train/index.ts',
};

export default defineConfig({
  entry,
  format: ['esm'],
  // Optional dependencies stay external (tsup only externalises dependencies and peers).
  external: ['sharp', 'webgpu'],
  dts: { entry: { index: 'src/index.ts', 'train/index': 'src/train/index.ts' } },
  sourcemap: true,
  clean: true,
  target: 'es2022',
});
