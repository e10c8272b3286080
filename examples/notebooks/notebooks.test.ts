/**
 * Executes every notebook top to bottom (run-notebooks.sh) when Jupyter and the tslab kernel are
 * installed; otherwise the test is skipped with the reason printed. With CTMSR_REQUIRE_NOTEBOOKS=1
 * (set by .ci/run) a missing Jupyter or kernel is a failure, not a skip.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const here = fileURLToPath(new URL('.', import.meta.url));
const required = process.env.CTMSR_REQUIRE_NOTEBOOKS === '1';

/** Why the notebooks cannot run here, or null when they can. */
function missing(): string | null {
  const env = { ...process.env, JUPYTER_PATH: join(here, '.jupyter/share/jupyter') };
  try {
    execFileSync('jupyter', ['nbconvert', '--version'], { stdio: 'ignore', env });
  } catch {
    return 'jupyter nbconvert is not installed (apt-get install jupyter-nbconvert python3-nbconvert python3-ipykernel)';
  }
  const list = spawnSync('jupyter', ['kernelspec', 'list'], { encoding: 'utf8', env });
  if (!/^\s*tslab\s/m.test(list.stdout ?? '')) {
    return 'the tslab kernel is not installed (bash examples/notebooks/install-kernel.sh)';
  }
  const dist = join(here, '../../packages/ctmsr/dist/index.js');
  if (!existsSync(dist))
    return 'the packages are not built (npm run build): the notebooks import their dist/';
  return null;
}

const reason = missing();
if (reason && !required) console.warn(`examples/notebooks: skipped: ${reason}`);

let out = '';
afterAll(async () => {
  if (out) await rm(out, { recursive: true, force: true });
});

describe('examples/notebooks', () => {
  it.skipIf(reason != null && !required)(
    'every notebook runs top to bottom without an error',
    async () => {
      expect(reason, 'CTMSR_REQUIRE_NOTEBOOKS=1 but the notebooks cannot run').toBeNull();
      out = await mkdtemp(join(tmpdir(), 'ctmsr-notebooks-'));
      const run = spawnSync('bash', [join(here, 'run-notebooks.sh'), out], { encoding: 'utf8' });
      expect(run.status, `run-notebooks.sh failed:\n${run.stdout}\n${run.stderr}`).toBe(0);
      const notebooks = (await readdir(here)).filter((f) => /^\d.*\.ipynb$/.test(f)).sort();
      expect(notebooks.length).toBeGreaterThanOrEqual(4);
      for (const name of notebooks) {
        const executed = JSON.parse(await readFile(join(out, name), 'utf8'));
        const code = executed.cells.filter((c: { cell_type: string }) => c.cell_type === 'code');
        // Every code cell ran (nbclient records its timing; tslab leaves execution_count null)
        // and none has an error output.
        for (const cell of code) {
          expect(
            cell.metadata?.execution?.['shell.execute_reply'],
            `${name}: a cell did not run`,
          ).toBeTruthy();
          for (const o of cell.outputs)
            expect(o.output_type, `${name}: ${JSON.stringify(o).slice(0, 400)}`).not.toBe('error');
        }
      }
    },
    900_000,
  );
});
