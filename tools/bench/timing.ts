/** Small timing helpers shared by the benchmark scripts. */

/** Runs fn once to warm up, then `reps` times; returns the wall times in ms. */
export async function timeIt(fn: () => Promise<void>, reps: number): Promise<number[]> {
  await fn();
  const out: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    await fn();
    out.push(performance.now() - t0);
  }
  return out;
}

export function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Prints a two-column markdown table (label, ms). */
export function printTable(title: string, rows: [string, number][]): void {
  console.log(`\n${title}\n`);
  console.log('| case | ms |\n|---|---|');
  for (const [label, ms] of rows) console.log(`| ${label} | ${ms.toFixed(1)} |`);
}
