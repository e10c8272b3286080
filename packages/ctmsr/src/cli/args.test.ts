import { describe, expect, it } from 'vitest';
import { choiceFlag, intFlag, numberFlag, parseArgs, UsageError } from './args.js';

const SPEC = {
  out: { type: 'string', short: 'o' },
  force: { type: 'boolean' },
  n: { type: 'string' },
} as const;

describe('parseArgs', () => {
  it('reads flags in both spellings, short aliases, positionals and --', () => {
    const r = parseArgs(['a', '-o', 'x', '--force', '--n=3', 'b', '--', '--not-a-flag'], SPEC, 'cmd');
    expect(r.flags).toEqual({ out: 'x', force: true, n: '3' });
    expect(r.positionals).toEqual(['a', 'b', '--not-a-flag']);
  });

  it('makes usage errors that name the flag', () => {
    expect(() => parseArgs(['--nope'], SPEC, 'cmd')).toThrow(new UsageError("cmd: unknown option '--nope'"));
    expect(() => parseArgs(['-x'], SPEC, 'cmd')).toThrow(/unknown option '-x'/);
    expect(() => parseArgs(['--out'], SPEC, 'cmd')).toThrow(/option '--out' needs a value/);
    expect(() => parseArgs(['--out', '--force'], SPEC, 'cmd')).toThrow(/needs a value/);
    expect(() => parseArgs(['--force=yes'], SPEC, 'cmd')).toThrow(/takes no value/);
    expect(() => parseArgs(['--n', '1', '--n', '2'], SPEC, 'cmd')).toThrow(/given twice/);
  });

  it('validates typed values', () => {
    expect(intFlag('c', { n: '12' }, 'n', 1)).toBe(12);
    expect(intFlag('c', {}, 'n', 1, 5)).toBe(5);
    expect(() => intFlag('c', { n: '1.5' }, 'n', 1)).toThrow(/'--n' must be an integer/);
    expect(() => intFlag('c', { n: '0' }, 'n', 1)).toThrow(/got '0'/);
    expect(numberFlag('c', { n: '0.5' }, 'n', 0)).toBe(0.5);
    expect(() => numberFlag('c', { n: 'abc' }, 'n', 0)).toThrow(/must be a number > 0/);
    expect(choiceFlag('c', { n: 'b' }, 'n', ['a', 'b'])).toBe('b');
    expect(() => choiceFlag('c', { n: 'z' }, 'n', ['a', 'b'])).toThrow(/one of a, b, got 'z'/);
  });
});
