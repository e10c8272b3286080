#!/usr/bin/env node
// Checks the TypeScript snippets of the documentation: every ```ts block of README.md, docs/*.md,
// packages/*/README.md and examples/*/README.md is written to its own module under tmp/snippets/
// and type-checked with tsc against the workspace sources (strict, as the packages are).
//
// Markers, on the line(s) just above a fence (an HTML comment, invisible on GitHub):
//   <!-- snippet: skip (reason) -->   not checked; say why (a fragment that needs a page, ...)
//   <!-- snippet: run -->             also executed with tsx from the repository root (it must be
//                                      self-contained, fast, and write nothing outside tmp/)
//   <!-- snippet: file <path> -->     the block must equal that file (path relative to the .md
//                                      file), so that a README shows a file that is checked and run
//
//   node tools/check-snippets.mjs [--list]
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const root = resolve(new URL('..', import.meta.url).pathname);
const out = join(root, 'tmp', 'snippets');
const listOnly = process.argv.includes('--list');

function markdownFiles() {
  const files = ['README.md'];
  const inDir = (dir, depth2) => {
    const abs = join(root, dir);
    if (!existsSync(abs)) return;
    for (const name of readdirSync(abs).sort()) {
      if (depth2) {
        if (existsSync(join(abs, name, 'README.md'))) files.push(`${dir}/${name}/README.md`);
      } else if (name.endsWith('.md')) files.push(`${dir}/${name}`);
    }
  };
  inDir('docs', false);
  inDir('packages', true);
  inDir('examples', true);
  return files;
}

/** The ```ts blocks of one markdown file, with their markers and line numbers (1-based). */
function snippets(file) {
  const lines = readFileSync(join(root, file), 'utf8').split('\n');
  const found = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)```(ts|typescript)\s*$/.exec(lines[i]);
    if (!open) continue;
    let end = i + 1;
    while (end < lines.length && !/^\s*```\s*$/.test(lines[end])) end++;
    if (end >= lines.length) throw new Error(`${file}:${i + 1}: unclosed code fence`);
    const markers = {};
    for (let j = i - 1; j >= 0 && /^\s*<!--\s*snippet:/.test(lines[j]); j--) {
      const m = /^\s*<!--\s*snippet:\s*(\w+)\s*(.*?)\s*-->\s*$/.exec(lines[j]);
      if (!m) throw new Error(`${file}:${j + 1}: unreadable snippet marker`);
      markers[m[1]] = m[2];
    }
    for (const k of Object.keys(markers)) {
      if (!['skip', 'run', 'file'].includes(k)) throw new Error(`${file}: unknown snippet marker '${k}'`);
    }
    if ('skip' in markers && !markers.skip) throw new Error(`${file}:${i}: 'snippet: skip' needs a reason`);
    const indent = open[1].length;
    const code = lines.slice(i + 1, end).map((l) => l.slice(Math.min(indent, l.search(/\S|$/))));
    found.push({ file, line: i + 2, code, markers });
    i = end;
  }
  return found;
}

const all = markdownFiles().flatMap(snippets);
const problems = [];
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });

const checked = [];
for (const [n, s] of all.entries()) {
  const where = `${s.file}:${s.line}`;
  if ('file' in s.markers) {
    const target = resolve(root, dirname(s.file), s.markers.file);
    if (!existsSync(target))
      problems.push(`${where}: 'snippet: file' names a missing file ${s.markers.file}`);
    else if (readFileSync(target, 'utf8').trim() !== s.code.join('\n').trim()) {
      problems.push(
        `${where}: the block differs from ${relative(root, target)} (copy the file into the README)`,
      );
    }
  }
  if ('skip' in s.markers) continue;
  const name = `${String(n).padStart(3, '0')}-${s.file.replace(/[^A-Za-z0-9]+/g, '-')}-${s.line}.ts`;
  // `export {}` at the end makes every snippet a module (top-level await) without moving its lines.
  writeFileSync(join(out, name), `${s.code.join('\n')}\nexport {};\n`);
  checked.push({ ...s, name });
}

if (listOnly) {
  for (const s of all) console.log(`${s.file}:${s.line} ${JSON.stringify(s.markers)}`);
  process.exit(0);
}

writeFileSync(
  join(out, 'tsconfig.json'),
  JSON.stringify(
    {
      extends: '../../tsconfig.base.json',
      compilerOptions: {
        noEmit: true,
        baseUrl: '../..',
        noUnusedLocals: false,
        paths: {
          '@ctmsr/test-harness': ['tools/test-harness/src/index.ts'],
          '@ctmsr/*': ['packages/*/src/index.ts'],
          ctmsr: ['packages/ctmsr/src/index.ts'],
        },
      },
      // docs/figures/make-figures.ts is checked here too (it is docs code, outside every workspace).
      include: ['*.ts', '../../docs/figures/*.ts'],
    },
    null,
    2,
  ),
);

if (checked.length > 0) {
  const tsc = spawnSync(
    process.execPath,
    [join(root, 'node_modules/typescript/bin/tsc'), '-p', join(out, 'tsconfig.json')],
    {
      cwd: root,
      encoding: 'utf8',
    },
  );
  const byName = new Map(checked.map((s) => [s.name, s]));
  for (const line of `${tsc.stdout}${tsc.stderr}`.split('\n')) {
    const m = /^(?:.*\/)?tmp\/snippets\/([^(]+\.ts)\((\d+),(\d+)\): (.*)$/.exec(line);
    if (m && byName.has(m[1])) {
      const s = byName.get(m[1]);
      problems.push(`${s.file}:${s.line + Number(m[2]) - 1}: ${m[4]}`);
    } else if (/error TS/.test(line)) {
      problems.push(line);
    }
  }
  if (tsc.status !== 0 && problems.length === 0) problems.push(`tsc failed:\n${tsc.stdout}${tsc.stderr}`);
}

let ran = 0;
for (const s of checked.filter((c) => 'run' in c.markers)) {
  if (problems.length > 0) break; // run only snippets that compile
  const start = Date.now();
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(out, s.name)], {
    cwd: root,
    encoding: 'utf8',
    timeout: 180_000,
  });
  if (r.status !== 0) {
    problems.push(
      `${s.file}:${s.line}: the snippet failed when run (exit ${r.status}):\n${r.stdout}${r.stderr}`.trim(),
    );
  } else {
    ran++;
    console.log(`check-snippets: ran ${s.file}:${s.line} (${Date.now() - start} ms)`);
  }
}

const skipped = all.filter((s) => 'skip' in s.markers);
for (const s of skipped)
  console.log(`check-snippets: skipped ${s.file}:${s.line}: ${s.markers.skip.replace(/^\((.*)\)$/, '$1')}`);
if (problems.length > 0) {
  console.error(`check-snippets: ${problems.length} problem(s)\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
console.log(
  `check-snippets: ${checked.length} snippet(s) compile, ${ran} ran, ${skipped.length} skipped, in ${new Set(all.map((s) => s.file)).size} file(s)`,
);
