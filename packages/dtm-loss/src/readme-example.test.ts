import { readFileSync } from 'node:fs';
import { describeBackends } from '@ctmsr/test-harness';
import { expect, it } from 'vitest';

const example = new URL('../examples/readme-example.ts', import.meta.url);

describeBackends(
  'README example',
  () => {
    it('runs and gives a finite loss with a non-zero gradient', async () => {
      const { result } = (await import(/* @vite-ignore */ example.href)) as {
        result: { loss: number; grad: number };
      };
      expect(Number.isFinite(result.loss) && result.loss > 0).toBe(true);
      expect(Number.isFinite(result.grad) && result.grad !== 0).toBe(true);
    });

    it('is quoted verbatim in README.md', () => {
      const code = readFileSync(example, 'utf8').trim();
      const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
      expect(readme).toContain(code);
    });
  },
  { backends: ['cpu'] },
);
