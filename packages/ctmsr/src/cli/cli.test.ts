import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveSrUnetConfig, SrUnet, saveSrUnetFiles } from '@ctmsr/sr-unet';
import { describeBackends } from '@ctmsr/test-harness';
import sharp from 'sharp';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { CliIO } from './io.js';
import { main } from './main.js';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

async function cli(...argv: string[]): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const io: CliIO = {
    stdout: (t) => {
      stdout += t;
    },
    stderr: (t) => {
      stderr += t;
    },
    stderrIsTTY: false,
    columns: 80,
  };
  const code = await main(argv, io);
  return { code, stdout, stderr };
}

async function image(path: string, w: number, h: number, value: number, format: 'png' | 'jpeg' = 'png') {
  const img = sharp(new Uint8Array(w * h * 3).fill(value), { raw: { width: w, height: h, channels: 3 } });
  await writeFile(path, await (format === 'png' ? img.png() : img.jpeg()).toBuffer());
}

// The CLI is backend-agnostic: its suite runs on wasm only (the fastest) to keep the package quick.
describeBackends(
  'ctmsr CLI',
  () => {
    let dir: string;
    let model: string;
    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), 'ctmsr-cli-'));
      const net = SrUnet.create(resolveSrUnetConfig({ preset: 'tiny', windowSize: 2 }), 1);
      model = join(dir, 'model');
      await mkdir(model);
      await saveSrUnetFiles(net, join(model, 'model.json'));
      net.dispose();
    });
    afterAll(async () => {
      await rm(dir, { recursive: true, force: true });
    });

    it('usage errors exit with 2 and name the problem', async () => {
      expect((await cli()).code).toBe(2);
      const unknown = await cli('frobnicate');
      expect(unknown).toMatchObject({ code: 2 });
      expect(unknown.stderr).toMatch(/unknown command 'frobnicate'/);
      const flag = await cli('upscale', 'a.png', '-o', 'b.png', '--tiles', '3');
      expect(flag.code).toBe(2);
      expect(flag.stderr).toMatch(/^ctmsr upscale: unknown option '--tiles'/);
      expect((await cli('upscale', 'a.png')).stderr).toMatch(/missing '-o <file or folder>'/);
      expect((await cli('upscale', '-o', 'x')).stderr).toMatch(/no input files or folders given/);
      const steps = await cli('upscale', 'a.png', '-o', 'b.png', '--steps', 'two');
      expect(steps.code).toBe(2);
      expect(steps.stderr).toMatch(/option '--steps' must be an integer in \[1, 64\], got 'two'/);
      expect((await cli('upscale', 'a.png', '-o', 'b', '--format', 'gif')).stderr).toMatch(/png, jpeg, webp/);
      expect((await cli('eval', '--pred', dir)).code).toBe(2);
      expect((await cli('upscale', '--help')).stdout).toMatch(/^usage: ctmsr upscale/);
    });

    it('a missing model is a setup error (exit 2) with a clear message', async () => {
      await image(join(dir, 'one.png'), 8, 8, 50);
      const r = await cli(
        'upscale',
        join(dir, 'one.png'),
        '-o',
        join(dir, 'never.png'),
        '--model',
        join(dir, 'nope'),
        '--backend',
        'wasm',
      );
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/model not found/);
    });

    it('a folder in gives the same stems as PNG in the output folder; JSON summary on stdout', async () => {
      const input = join(dir, 'in');
      const out = join(dir, 'out');
      await mkdir(input);
      await image(join(input, 'a.png'), 8, 8, 60);
      await image(join(input, 'b.jpg'), 8, 16, 120, 'jpeg');
      await writeFile(join(input, 'notes.txt'), 'not an image');
      const r = await cli(
        'upscale',
        input,
        '-o',
        out,
        '--model',
        model,
        '--backend',
        'wasm',
        '--json',
        '--quiet',
      );
      expect(r.code).toBe(0);
      expect((await readdir(out)).sort()).toEqual(['a.png', 'b.png']);
      const meta = await sharp(join(out, 'b.png')).metadata();
      expect([meta.format, meta.width, meta.height]).toEqual(['png', 32, 64]);
      const summary = JSON.parse(r.stdout);
      expect(summary).toMatchObject({ command: 'upscale', backend: 'wasm', ok: 2, failed: 0, format: 'png' });
      expect(r.stderr).toBe('');
    });

    it('bad files give one line each, the batch continues, failures are summarised, exit 1', async () => {
      const input = join(dir, 'mixed');
      const out = join(dir, 'mixed-out');
      await mkdir(input);
      await image(join(input, 'good.png'), 8, 8, 90);
      await image(join(input, 'large.png'), 16, 16, 90);
      await writeFile(join(input, 'empty.png'), new Uint8Array(0));
      await writeFile(join(input, 'text.png'), 'hello');
      const good = await readFile(join(input, 'good.png'));
      await writeFile(join(input, 'truncated.png'), good.subarray(0, good.length - 25));
      const r = await cli(
        'upscale',
        input,
        '-o',
        out,
        '--model',
        model,
        '--backend',
        'wasm',
        '--max-pixels',
        '100',
      );
      expect(r.code).toBe(1);
      const lines = r.stderr.split('\n');
      const about = (name: string) =>
        lines.filter((l) => l.startsWith(`ctmsr upscale: ${join(input, name)}: `));
      expect(about('empty.png')[0]).toMatch(/empty file \(0 bytes\)$/);
      expect(about('text.png')[0]).toMatch(/not a readable image/);
      expect(about('truncated.png')[0]).toMatch(/cannot decode image/);
      expect(about('large.png')[0]).toMatch(/image too large: 16x16 = 256 pixels, the limit is 100/);
      expect(r.stderr).toMatch(/4 of 5 file\(s\) failed:/);
      expect(await readdir(out)).toEqual(['good.png']); // nothing half-written, no temp files left
    });

    it('existing outputs are kept without --force and replaced with it', async () => {
      const src = join(dir, 'keep.png');
      const dst = join(dir, 'keep-out.png');
      await image(src, 8, 8, 30);
      await writeFile(dst, 'precious');
      const r = await cli('upscale', src, '-o', dst, '--model', model, '--backend', 'wasm', '--quiet');
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/output exists: .*keep-out.png \(use --force to overwrite\)/);
      expect(await readFile(dst, 'utf8')).toBe('precious');
      const f = await cli(
        'upscale',
        src,
        '-o',
        dst,
        '--model',
        model,
        '--backend',
        'wasm',
        '--quiet',
        '--force',
      );
      expect(f.code).toBe(0);
      expect((await sharp(dst).metadata()).width).toBe(32);
    });

    it('a single file output takes its format from the extension; missing inputs are failures', async () => {
      const src = join(dir, 'single.png');
      await image(src, 8, 8, 200);
      const r = await cli(
        'upscale',
        src,
        join(dir, 'missing.png'),
        '-o',
        join(dir, 'single-out'),
        '--model',
        model,
        '--backend',
        'wasm',
      );
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/missing.png: no such file or folder/);
      expect(r.stderr).toMatch(/backend wasm/);
      const j = await cli(
        'upscale',
        src,
        '-o',
        join(dir, 'single.jpg'),
        '--model',
        model,
        '--backend',
        'wasm',
        '--quiet',
      );
      expect(j.code).toBe(0);
      expect((await sharp(join(dir, 'single.jpg')).metadata()).format).toBe('jpeg');
    });

    it('eval: PSNR/SSIM against hand-computed values, pairs by stem, failures and JSON', async () => {
      const pred = join(dir, 'pred');
      const gt = join(dir, 'gt');
      await mkdir(pred);
      await mkdir(gt);
      await image(join(pred, 'same.png'), 16, 16, 100);
      await image(join(gt, 'same.png'), 16, 16, 100);
      await image(join(pred, 'offset.png'), 16, 16, 110);
      await image(join(gt, 'offset.png'), 16, 16, 100);
      await image(join(pred, 'only-pred.png'), 16, 16, 1);
      const r = await cli('eval', '--pred', pred, '--gt', gt, '--json');
      expect(r.code).toBe(0);
      const res = JSON.parse(r.stdout);
      expect(res.count).toBe(2);
      const offset = res.pairs.find((p: { name: string }) => p.name === 'offset');
      // Decoded values are float32, hence 5 digits.
      expect(offset.psnrRgb).toBeCloseTo(20 * Math.log10(255 / 10), 5);
      expect(offset.psnrY).toBeCloseTo(20 * Math.log10(255 / ((219 * 10) / 255)), 5);
      expect(offset.ssimRgb).toBeLessThan(1);
      const same = res.pairs.find((p: { name: string }) => p.name === 'same');
      expect(same.psnrY).toBeNull(); // +Infinity in JSON
      expect(same.ssimY).toBeCloseTo(1, 10);
      expect(res.unmatched.pred).toEqual(['only-pred']);
      const table = await cli('eval', '--pred', pred, '--gt', gt, '--crop', '2');
      expect(table.stdout).toMatch(/^image\s+PSNR-Y\s+SSIM-Y\s+PSNR-RGB\s+SSIM-RGB/);
      expect(table.stdout).toMatch(/same\s+inf\s+1\.0000/);
      await image(join(pred, 'small.png'), 8, 8, 1);
      await image(join(gt, 'small.png'), 16, 16, 1);
      const bad = await cli('eval', '--pred', pred, '--gt', gt, '--quiet');
      expect(bad.code).toBe(1);
      expect(bad.stderr).toMatch(/small: size 8x8 differs from the ground truth's 16x16/);
    });

    it('info reports version, backend and model as JSON', async () => {
      const r = await cli('info', '--backend', 'wasm', '--model', model, '--json');
      expect(r.code).toBe(0);
      const info = JSON.parse(r.stdout);
      expect(info.backend.name).toBe('wasm');
      expect(info.model).toMatchObject({ scale: 4, requiredMultiple: 8 });
      expect(info.version).toMatch(/^\d+\.\d+\.\d+/);
    });
  },
  { backends: ['wasm'] },
);
