/** Loads JSON fixtures from a package's `test/fixtures/` folder. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * Reads `test/fixtures/<name>` relative to the package that owns `testFileUrl`
 * (pass `import.meta.url` from a test in `<package>/src/`).
 */
export function loadFixture<T = unknown>(testFileUrl: string, name: string): T {
  const url = new URL(`../test/fixtures/${name}`, testFileUrl);
  return JSON.parse(readFileSync(fileURLToPath(url), 'utf8')) as T;
}
