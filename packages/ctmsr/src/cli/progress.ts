/**
 * A one-line progress bar on stderr: redrawn in place on a terminal; on a pipe or file only the
 * final line of each task is written (no control characters in logs). Silent when quiet.
 */
import type { CliIO } from './io.js';

export class ProgressBar {
  private drawn = false;
  constructor(
    private readonly io: CliIO,
    private readonly quiet: boolean,
  ) {}

  /** Redraws the bar for `label` at `done` / `total`. */
  update(label: string, done: number, total: number): void {
    if (this.quiet || !this.io.stderrIsTTY) return;
    const width = Math.max(10, Math.min(40, this.io.columns - label.length - 20));
    const filled = total > 0 ? Math.round((done / total) * width) : 0;
    const bar = `${'='.repeat(filled)}${' '.repeat(width - filled)}`;
    const pct = total > 0 ? Math.round((100 * done) / total) : 0;
    this.io.stderr(`\r[${bar}] ${String(pct).padStart(3)}% ${label}\u001b[K`);
    this.drawn = true;
  }

  /** Ends the current bar with a message line (printed unless quiet). */
  finish(message: string): void {
    this.clear();
    if (!this.quiet) this.io.stderr(`${message}\n`);
  }

  /** Erases the bar (before printing an error line). */
  clear(): void {
    if (this.drawn) this.io.stderr('\r\u001b[K');
    this.drawn = false;
  }
}
