#!/usr/bin/env node
// Summarises a training run for docs: node scripts/training-report.mjs <run-dir>
// Prints the validation curve (PSNR/SSIM-Y of the EMA weights vs bicubic) and step statistics
// from the run's validation.jsonl and log.jsonl.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const dir = process.argv[2];
if (!dir) {
  console.error('usage: training-report.mjs <run-dir>');
  process.exit(2);
}
const lines = (f) =>
  readFileSync(join(dir, f), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l));
const val = lines('validation.jsonl');
const log = lines('log.jsonl');
console.log('| step | PSNR-Y (dB) | bicubic PSNR-Y | delta | SSIM-Y | bicubic SSIM-Y |');
console.log('|---|---|---|---|---|---|');
for (const v of val) {
  console.log(
    `| ${v.step} | ${v.psnrY.toFixed(3)} | ${v.bicubicPsnrY.toFixed(3)} | ${(v.psnrY - v.bicubicPsnrY >= 0 ? '+' : '') + (v.psnrY - v.bicubicPsnrY).toFixed(3)} | ${v.ssimY.toFixed(4)} | ${v.bicubicSsimY.toFixed(4)} |`,
  );
}
const ms = log.map((r) => r.ms.total).sort((a, b) => a - b);
const median = ms[Math.floor(ms.length / 2)];
const first = new Date(log[0].time);
const last = new Date(log[log.length - 1].time);
const degr = {};
for (const r of log) degr[r.degradation] = (degr[r.degradation] ?? 0) + 1;
console.log(
  `\n${log.length} logged steps (last step ${log[log.length - 1].step}), median ${median.toFixed(0)} ms/step, ` +
    `wall ${((last - first) / 3600000).toFixed(2)} h from ${first.toISOString()} to ${last.toISOString()}; ` +
    `pairs: ${Object.entries(degr)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}`,
);
