#!/usr/bin/env -S node --import tsx
// Exports a run's EMA weights: node --import tsx scripts/export-model.ts <run-dir> <out-dir> [--fp16]
import { selectBackend } from '@ctmsr/backends';
import { exportRunModel } from '../packages/ctmsr/src/train/index.js';

const [runDir, outDir, ...flags] = process.argv.slice(2);
if (!runDir || !outDir) {
  console.error('usage: export-model.ts <run-dir> <out-dir> [--fp16] [--online]');
  process.exit(2);
}
await selectBackend({ backend: 'wasm' });
const out = await exportRunModel(runDir, outDir, {
  float16: flags.includes('--fp16'),
  online: flags.includes('--online'),
});
console.log(`wrote ${out.json} and ${out.bin}`);
