/**
 * Where the CLI writes: results on stdout, messages and progress on stderr. Injected so that
 * tests can run `main(argv, io)` in-process and read what it printed.
 */
export interface CliIO {
  stdout(text: string): void;
  stderr(text: string): void;
  /** Whether stderr is a terminal (progress bars redraw in place only there). */
  stderrIsTTY: boolean;
  /** Terminal width for the progress bar. */
  columns: number;
}

/** The process's real streams. */
export function processIO(): CliIO {
  return {
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    stderrIsTTY: Boolean(process.stderr.isTTY),
    columns: process.stderr.columns || 80,
  };
}
