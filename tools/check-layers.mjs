#!/usr/bin/env node
// Enforces the package layering of docs/architecture.md:
// - each package may depend only on the @ctmsr packages its layer allows (and no cycles);
// - every @ctmsr import in src/ is declared in package.json;
// - no deep imports ('@ctmsr/x/...'), no relative import that leaves the package;
// - leaves import no third-party runtime module except tfjs-core.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

const root = resolve(new URL('..', import.meta.url).pathname);
const ALLOWED = {
  '@ctmsr/pf-ode': [],
  '@ctmsr/degradations': [],
  '@ctmsr/backends': [],
  '@ctmsr/sr-unet': ['@ctmsr/pf-ode'],
  '@ctmsr/consistency-training': ['@ctmsr/pf-ode'],
  '@ctmsr/dtm-loss': ['@ctmsr/pf-ode'],
  ctmsr: [
    '@ctmsr/backends',
    '@ctmsr/pf-ode',
    '@ctmsr/degradations',
    '@ctmsr/sr-unet',
    '@ctmsr/consistency-training',
    '@ctmsr/dtm-loss',
  ],
};
const LEAF_THIRD_PARTY = ['@tensorflow/tfjs-core'];
const BACKENDS_THIRD_PARTY = [
  '@tensorflow/tfjs-core',
  '@tensorflow/tfjs',
  '@tensorflow/tfjs-backend-cpu',
  '@tensorflow/tfjs-backend-wasm',
  '@tensorflow/tfjs-backend-webgl',
  '@tensorflow/tfjs-backend-webgpu',
  '@tensorflow/tfjs-node',
  '@tensorflow/tfjs-node-gpu',
  'webgpu',
];

const errors = [];
const pkgs = {};
for (const dir of readdirSync(join(root, 'packages'))) {
  const pj = JSON.parse(readFileSync(join(root, 'packages', dir, 'package.json'), 'utf8'));
  pkgs[pj.name] = { dir: join(root, 'packages', dir), pj };
}

function walk(dir, out = []) {
  for (const f of readdirSync(dir)) {
    const p = join(dir, f);
    if (statSync(p).isDirectory()) walk(p, out);
    else if (/\.(ts|tsx|mts)$/.test(f)) out.push(p);
  }
  return out;
}

const importRe =
  /(?:^|\s)(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*(?:\/\*[^*]*\*\/\s*)?['"]([^'"]+)['"]\s*\)|^\s*import\s+['"]([^'"]+)['"]/gm;

for (const [name, { dir, pj }] of Object.entries(pkgs)) {
  if (!(name in ALLOWED)) {
    errors.push(`${name}: not in the layering table of tools/check-layers.mjs`);
    continue;
  }
  const declared = Object.keys({ ...pj.dependencies, ...pj.peerDependencies });
  for (const dep of declared.filter((d) => d.startsWith('@ctmsr/') || d === 'ctmsr')) {
    if (!ALLOWED[name].includes(dep)) errors.push(`${name}: may not depend on ${dep} (layering)`);
  }
  const isLeaf = name !== 'ctmsr'; // building blocks import no third-party runtime module but tfjs-core
  for (const file of walk(join(dir, 'src'))) {
    const isTest = /\.test\.ts$/.test(file);
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(importRe)) {
      const spec = m[1] ?? m[2] ?? m[3];
      const where = relative(root, file);
      if (spec.startsWith('.')) {
        const target = resolve(join(file, '..'), spec);
        if (!target.startsWith(dir + '/'))
          errors.push(`${where}: relative import '${spec}' leaves the package`);
        continue;
      }
      if (spec.startsWith('node:')) continue;
      const base = spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0];
      if ((base.startsWith('@ctmsr/') || base === 'ctmsr') && spec !== base) {
        errors.push(`${where}: deep import '${spec}' (import the package's public entry instead)`);
      }
      if (isTest) continue;
      if (base.startsWith('@ctmsr/') || base === 'ctmsr') {
        if (base !== name && !declared.includes(base))
          errors.push(`${where}: imports ${base}, not declared in package.json`);
        if (base !== name && !ALLOWED[name].includes(base))
          errors.push(`${where}: may not import ${base} (layering)`);
      } else if (isLeaf) {
        const ok = name === '@ctmsr/backends' ? BACKENDS_THIRD_PARTY : LEAF_THIRD_PARTY;
        if (!ok.includes(base))
          errors.push(`${where}: building block imports '${spec}' (allowed: ${ok.join(', ')})`);
      }
    }
  }
}

// Cycle check over declared @ctmsr dependencies.
const state = {};
function visit(n, stack) {
  if (state[n] === 1) errors.push(`dependency cycle: ${[...stack, n].join(' -> ')}`);
  if (state[n]) return;
  state[n] = 1;
  const pj = pkgs[n]?.pj ?? {};
  for (const d of Object.keys({ ...pj.dependencies, ...pj.peerDependencies }))
    if (pkgs[d]) visit(d, [...stack, n]);
  state[n] = 2;
}
for (const n of Object.keys(pkgs)) visit(n, []);

if (errors.length) {
  console.error(`check-layers: ${errors.length} problem(s)\n  ${errors.join('\n  ')}`);
  process.exit(1);
}
console.log(`check-layers: ${Object.keys(pkgs).length} packages respect the layering`);
