/**
 * `ctmsr eval --pred <folder> --gt <folder> [--crop N] [--json]`: PSNR/SSIM on Y and RGB for
 * every pair of images with the same file stem (usage.ts).
 */
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { decodeImageNode } from '../image/decode-node.js';
import { psnrPixels } from '../metrics/psnr.js';
import { ssimPixels } from '../metrics/ssim.js';
import { intFlag, parseArgs, stringFlag, UsageError } from './args.js';
import { isImageName, stemOf } from './files.js';
import type { CliIO } from './io.js';
import { oneLine } from './load-model.js';
import { ProgressBar } from './progress.js';
import { EVAL_USAGE } from './usage.js';

const CMD = 'ctmsr eval';

const SPEC = {
  pred: { type: 'string' },
  gt: { type: 'string' },
  crop: { type: 'string' },
  json: { type: 'boolean' },
  quiet: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** The four numbers of one pair. */
export interface PairScores {
  psnrY: number;
  ssimY: number;
  psnrRgb: number;
  ssimRgb: number;
}

async function imagesByStem(folder: string, flag: string): Promise<Map<string, string[]>> {
  const s = await stat(folder).catch(() => null);
  if (!s?.isDirectory()) throw new UsageError(`${CMD}: '--${flag}' must be a folder, got '${folder}'`);
  const map = new Map<string, string[]>();
  for (const name of (await readdir(folder)).filter(isImageName).sort()) {
    const stem = stemOf(name);
    map.set(stem, [...(map.get(stem) ?? []), join(folder, name)]);
  }
  return map;
}

function fmt(v: number, digits: number): string {
  return Number.isFinite(v) ? v.toFixed(digits) : 'inf';
}

/** Scores of one pair (images decoded with sharp; sizes must match). */
export async function scorePair(pred: string, gt: string, crop: number): Promise<PairScores> {
  const [a, b] = await Promise.all([decodeImageNode(pred), decodeImageNode(gt)]);
  const pa = a.pixels;
  const pb = b.pixels;
  if (pa.height !== pb.height || pa.width !== pb.width) {
    throw new Error(`size ${pa.width}x${pa.height} differs from the ground truth's ${pb.width}x${pb.height}`);
  }
  return {
    psnrY: psnrPixels(pa, pb, { yChannel: true, crop }),
    ssimY: ssimPixels(pa, pb, { yChannel: true, crop }),
    psnrRgb: psnrPixels(pa, pb, { crop }),
    ssimRgb: ssimPixels(pa, pb, { crop }),
  };
}

/** Runs `ctmsr eval`; returns the exit code. */
export async function evalCommand(argv: string[], io: CliIO): Promise<number> {
  const { flags, positionals } = parseArgs(argv, SPEC, CMD);
  if (flags.help) {
    io.stdout(EVAL_USAGE);
    return 0;
  }
  if (positionals.length > 0) throw new UsageError(`${CMD}: unexpected argument '${positionals[0]}'`);
  const predDir = stringFlag(flags, 'pred');
  const gtDir = stringFlag(flags, 'gt');
  if (!predDir || !gtDir)
    throw new UsageError(`${CMD}: both '--pred <folder>' and '--gt <folder>' are required`);
  const crop = intFlag(CMD, flags, 'crop', 0, 0)!;
  const preds = await imagesByStem(predDir, 'pred');
  const gts = await imagesByStem(gtDir, 'gt');
  const stems = [...preds.keys()].filter((s) => gts.has(s));
  const unmatched = {
    pred: [...preds.keys()].filter((s) => !gts.has(s)),
    gt: [...gts.keys()].filter((s) => !preds.has(s)),
  };
  const bar = new ProgressBar(io, flags.quiet === true || flags.json === true);
  const pairs: ({ name: string; pred: string; gt: string } & PairScores)[] = [];
  const failures: { name: string; error: string }[] = [];
  for (const [i, stem] of stems.entries()) {
    const p = preds.get(stem)!;
    const g = gts.get(stem)!;
    bar.update(stem, i, stems.length);
    if (p.length > 1 || g.length > 1) {
      failures.push({
        name: stem,
        error: `ambiguous: several files named '${stem}.*' (${[...p, ...g].join(', ')})`,
      });
      continue;
    }
    try {
      pairs.push({ name: stem, pred: p[0], gt: g[0], ...(await scorePair(p[0], g[0], crop)) });
    } catch (err) {
      failures.push({ name: stem, error: oneLine(err) });
    }
  }
  bar.clear();
  const n = pairs.length;
  const mean = (k: keyof PairScores) => (n === 0 ? Number.NaN : pairs.reduce((s, p) => s + p[k], 0) / n);
  const means = {
    psnrY: mean('psnrY'),
    ssimY: mean('ssimY'),
    psnrRgb: mean('psnrRgb'),
    ssimRgb: mean('ssimRgb'),
  };
  for (const f of failures) io.stderr(`${CMD}: ${f.name}: ${f.error}\n`);
  if (unmatched.pred.length + unmatched.gt.length > 0 && flags.quiet !== true) {
    io.stderr(
      `${CMD}: unmatched (skipped): ${[...unmatched.pred.map((s) => `pred/${s}`), ...unmatched.gt.map((s) => `gt/${s}`)].join(', ')}\n`,
    );
  }
  if (flags.json) {
    // JSON has no Infinity: identical images (PSNR = inf) are written as null.
    io.stdout(
      `${JSON.stringify({ command: 'eval', crop, count: n, mean: means, pairs, failures, unmatched })}\n`,
    );
  } else {
    const rows = pairs.map((p) => [
      p.name,
      fmt(p.psnrY, 2),
      fmt(p.ssimY, 4),
      fmt(p.psnrRgb, 2),
      fmt(p.ssimRgb, 4),
    ]);
    rows.push([
      `mean (${n})`,
      fmt(means.psnrY, 2),
      fmt(means.ssimY, 4),
      fmt(means.psnrRgb, 2),
      fmt(means.ssimRgb, 4),
    ]);
    const header = ['image', 'PSNR-Y', 'SSIM-Y', 'PSNR-RGB', 'SSIM-RGB'];
    const width = header.map((h, k) => Math.max(h.length, ...rows.map((r) => r[k].length)));
    const line = (r: string[]) =>
      r.map((c, k) => (k === 0 ? c.padEnd(width[k]) : c.padStart(width[k]))).join('  ');
    io.stdout(`${[line(header), ...rows.map(line)].join('\n')}\n`);
  }
  if (n === 0) {
    io.stderr(`${CMD}: no pairs with matching names in ${predDir} and ${gtDir}\n`);
    return 1;
  }
  return failures.length > 0 ? 1 : 0;
}
