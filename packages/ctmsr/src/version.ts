/**
 * The installed package's version, read from its package.json (one folder above both `src/`
 * and the bundled `dist/`). Node only; elsewhere it returns 'unknown'.
 */
import { isNode } from '@ctmsr/backends';

/** The version of the `ctmsr` package, e.g. '0.1.0'. */
export async function packageVersion(): Promise<string> {
  if (!isNode()) return 'unknown';
  try {
    const { readFile } = await import('node:fs/promises');
    const text = await readFile(new URL('../package.json', import.meta.url), 'utf8');
    return (JSON.parse(text) as { version?: string }).version ?? 'unknown';
  } catch {
    return 'unknown';
  }
}
