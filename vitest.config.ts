import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const root = fileURLToPath(new URL('.', import.meta.url));
// Tests import workspace packages from source, so no build is needed before `npm test`.
const alias: Record<string, string> = {
  'ctmsr/train': `${root}packages/ctmsr/src/train/index.ts`,
};
Object.assign(
  alias,
  Object.fromEntries(
    readdirSync(`${root}packages`).map((dir) => [
      dir === 'ctmsr' ? 'ctmsr' : `@ctmsr/${dir}`,
      `${root}packages/${dir}/src/index.ts`,
    ]),
  ),
);
alias['@ctmsr/test-harness'] = `${root}tools/test-harness/src/index.ts`;

export default defineConfig({
  resolve: { alias },
  test: {
    include: ['packages/*/src/**/*.test.ts', 'tools/**/*.test.ts', 'examples/**/*.test.ts'],
    exclude: ['**/node_modules/**', '**/dist/**'],
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 120_000,
    hookTimeout: 120_000,
    reporters: ['default', './tools/summary-reporter.mjs'],
  },
});
