import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { packageVersion } from './version.js';

it('packageVersion reads the package.json version', async () => {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  expect(await packageVersion()).toBe(pkg.version);
});
