import { describe, expect, it } from 'vitest';
import {
  DEFAULT_REAL_ESRGAN_OPTIONS,
  REAL_ESRGAN_TEST_OPTIONS,
  type RealEsrganOptionsInput,
} from './options.js';
import { resolveRealEsrganOptions, validateRealEsrganOptions } from './options-validate.js';

describe('Real-ESRGAN options', () => {
  it('the training defaults are the numbers of method.md §6.1-6.2', () => {
    const o = DEFAULT_REAL_ESRGAN_OPTIONS;
    expect(o.scale).toBe(4);
    expect(o.kernel1.sizes).toEqual([3, 5, 7, 9, 11, 13, 15, 17, 19]);
    expect(o.kernel2.sizes).toEqual([3, 5, 7, 9, 11, 13]);
    expect(o.kernel1.kernelProbs).toEqual([0.45, 0.25, 0.12, 0.03, 0.12, 0.03]);
    expect(o.kernel1.sigmaRange).toEqual([0.2, 3]);
    expect(o.kernel2.sigmaRange).toEqual([0.2, 1.5]);
    expect(o.resize1).toMatchObject({ probs: [0.2, 0.7, 0.1], range: [0.15, 1.5] });
    expect(o.resize2).toMatchObject({ probs: [0.3, 0.4, 0.3], range: [0.3, 1.2] });
    expect(o.noise1).toEqual({
      gaussianProb: 0.5,
      sigmaRange: [1, 30],
      poissonScaleRange: [0.05, 3],
      grayProb: 0.4,
    });
    expect(o.noise2).toEqual({
      gaussianProb: 0.5,
      sigmaRange: [1, 25],
      poissonScaleRange: [0.05, 2.5],
      grayProb: 0.4,
    });
    expect([o.secondOrderProb, o.secondBlurProb, o.finalSinc.prob, o.finalResizeFirstProb]).toEqual([
      0.5, 0.8, 0.8, 0.5,
    ]);
    expect([o.jpeg1Range, o.jpeg2Range]).toEqual([
      [30, 95],
      [30, 95],
    ]);
    expect(() => validateRealEsrganOptions(o)).not.toThrow();
    expect(() => validateRealEsrganOptions(REAL_ESRGAN_TEST_OPTIONS)).not.toThrow();
    expect(REAL_ESRGAN_TEST_OPTIONS.secondOrderProb).toBe(0);
    expect(REAL_ESRGAN_TEST_OPTIONS.jpeg1Range).toEqual([70, 95]);
  });

  it('defaults are frozen; partial input merges one level deep', () => {
    expect(Object.isFrozen(DEFAULT_REAL_ESRGAN_OPTIONS.kernel1.sizes)).toBe(true);
    const o = resolveRealEsrganOptions({ scale: 2, noise1: { grayProb: 0 } });
    expect(o.scale).toBe(2);
    expect(o.noise1).toEqual({ ...DEFAULT_REAL_ESRGAN_OPTIONS.noise1, grayProb: 0 });
    expect(o.kernel1).toBe(DEFAULT_REAL_ESRGAN_OPTIONS.kernel1);
    const t = resolveRealEsrganOptions({ scale: 3 }, REAL_ESRGAN_TEST_OPTIONS);
    expect(t.jpeg2Range).toEqual([70, 95]);
  });

  it.each<[string, RealEsrganOptionsInput, RegExp]>([
    [
      'resize probabilities',
      { resize1: { probs: [0.2, 0.7, 0.2] } },
      /'resize1.probs' must sum to 1, got 1.1/,
    ],
    [
      'kernel probabilities',
      { kernel2: { kernelProbs: [0.5, 0.4, 0, 0, 0, 0] } },
      /'kernel2.kernelProbs' must sum to 1, got 0.9/,
    ],
    [
      'probability count',
      { kernel1: { kernelProbs: [1] } },
      /'kernel1.kernelProbs' must have 6 entries, got 1/,
    ],
    [
      'a probability above 1',
      { secondOrderProb: 1.5 },
      /'secondOrderProb' must be a finite number in \[0, 1\], got 1.5/,
    ],
    [
      'an unordered range',
      { noise1: { sigmaRange: [30, 1] } },
      /'noise1.sigmaRange' must be ordered \(lo <= hi\), got \[30, 1\]/,
    ],
    [
      'JPEG out of range',
      { jpeg2Range: [0, 95] },
      /'jpeg2Range\[0\]' must be a finite number in \[1, 100\], got 0/,
    ],
    [
      'even kernel size',
      { kernel1: { sizes: [3, 4] } },
      /'kernel1.sizes\[1\]' must be a positive odd integer, got 4/,
    ],
    [
      'kernel larger than padding',
      { kernel2: { sizes: [17] } },
      /'kernel2.sizes\[0\]' must be <= the padded size 15, got 17/,
    ],
    ['scale', { scale: 8 }, /'scale' must be 2, 3 or 4, got 8/],
    [
      'resize mode',
      { finalResizeModes: ['nearest' as 'area'] },
      /'finalResizeModes' has unknown mode 'nearest'/,
    ],
    ['resize range without 1', { resize2: { range: [0.3, 0.9] } }, /'resize2.range' must contain 1/],
    [
      'beta range without 1',
      { kernel1: { betaPlateauRange: [1.2, 2] } },
      /'kernel1.betaPlateauRange' must contain 1/,
    ],
    ['unknown option', { sigma: 3 } as unknown as RealEsrganOptionsInput, /'sigma' is not an option/],
  ])('rejects %s with a clear error', (_, input, message) => {
    expect(() => resolveRealEsrganOptions(input)).toThrow(message);
  });
});
