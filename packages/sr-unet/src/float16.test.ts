import { describe, expect, it } from 'vitest';
import { decodeFloat16, encodeFloat16, fromFloat16Bits, toFloat16Bits } from './float16.js';

describe('float16', () => {
  it('encodes known values', () => {
    expect(toFloat16Bits(1)).toBe(0x3c00);
    expect(toFloat16Bits(-2)).toBe(0xc000);
    expect(toFloat16Bits(65504)).toBe(0x7bff);
    expect(toFloat16Bits(65520)).toBe(0x7c00); // rounds to infinity
    expect(toFloat16Bits(2 ** -24)).toBe(0x0001); // smallest subnormal
    expect(toFloat16Bits(2 ** -26)).toBe(0x0000); // below half of it: zero
    expect(toFloat16Bits(-0)).toBe(0x8000);
    expect(toFloat16Bits(Number.POSITIVE_INFINITY)).toBe(0x7c00);
    expect(Number.isNaN(fromFloat16Bits(toFloat16Bits(Number.NaN)))).toBe(true);
    // Ties to even: 1 + 2^-11 lies halfway between 1 and 1 + 2^-10.
    expect(toFloat16Bits(1 + 2 ** -11)).toBe(0x3c00);
    expect(toFloat16Bits(1 + 3 * 2 ** -11)).toBe(0x3c02);
  });

  it('every non-NaN half value round-trips exactly', () => {
    for (let h = 0; h < 0x10000; h++) {
      const v = fromFloat16Bits(h);
      if (Number.isNaN(v)) continue;
      expect(toFloat16Bits(v)).toBe(h);
    }
  });

  it('rounds to the nearest representable value', () => {
    const x = new Float32Array([0.1, -0.3333, 1e-5, 123.456, 3e-7]);
    const y = decodeFloat16(encodeFloat16(x));
    for (let i = 0; i < x.length; i++) {
      const ulp = Math.max(2 ** -24, 2 ** (Math.floor(Math.log2(Math.abs(x[i]))) - 10));
      expect(Math.abs(y[i] - x[i])).toBeLessThanOrEqual(ulp / 2 + 1e-12);
    }
  });
});
