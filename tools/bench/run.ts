/**
 * `npm run bench [-- <name>...]`: runs the repository benchmarks and prints markdown tables with
 * the date, machine and Node version, ready for docs/benchmarks.md.
 */
import { cpus } from 'node:os';
import { benchConvTrainStep } from './conv-train-step.js';
import { benchWasmThreads } from './wasm-threads.js';

const BENCHES: Record<string, () => Promise<void>> = {
  conv: benchConvTrainStep,
  'wasm-threads': benchWasmThreads,
};

const wanted = process.argv.slice(2);
const names = wanted.length ? wanted : Object.keys(BENCHES);
console.log(
  `# ctmsr benchmarks, ${new Date().toISOString()}, ${cpus().length} x ${cpus()[0]?.model ?? 'cpu'}, Node ${process.version}`,
);
for (const name of names) {
  const bench = BENCHES[name];
  if (!bench) {
    console.error(`unknown benchmark '${name}'; known: ${Object.keys(BENCHES).join(', ')}`);
    process.exit(2);
  }
  await bench();
}
