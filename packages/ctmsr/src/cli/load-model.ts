/** Loading a model for a CLI command: backend choice reported on stderr, failures as one line. */
import { CTMSR } from '../ctmsr.js';
import type { CliIO } from './io.js';

/** Loads the model named by `--model` (or the bundled one) on `--backend`; null after printing why not. */
export async function loadModelForCli(
  command: string,
  io: CliIO,
  options: { model?: string; backend?: string; quiet?: boolean },
): Promise<CTMSR | null> {
  try {
    return await CTMSR.load({
      model: options.model,
      backend: options.backend,
      log: options.quiet ? undefined : (line) => io.stderr(`${command}: ${line}\n`),
    });
  } catch (err) {
    io.stderr(`${command}: ${oneLine(err)}\n`);
    return null;
  }
}

/** An error as one line of text. */
export function oneLine(err: unknown): string {
  const msg = err instanceof Error ? err.message : String(err);
  return msg.replace(/\s*\n\s*/g, ' ').trim();
}
