/** Entry of the `ctmsr` executable (bundled to dist/cli.js; bin/ctmsr.js imports it). */
import * as tf from '@tensorflow/tfjs-core';

// Before anything creates a tensor: quiet tfjs's "install tfjs-node" banner (results unaffected).
tf.env().set('PROD', true);
const { main } = await import('./cli/main.js');

const code = await main(process.argv.slice(2));
process.exitCode = code;
// Backends may keep handles open (WebGPU devices, wasm workers): do not wait for them.
setTimeout(() => process.exit(code), 50).unref();
