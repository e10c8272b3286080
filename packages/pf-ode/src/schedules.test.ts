import { karrasSchedule, trajectoryLevels } from '@ctmsr/pf-ode';
import { expect, it } from 'vitest';

it('default levels are i/(N-1) for sigma and alpha', () => {
  expect(trajectoryLevels(4)).toEqual([
    { sigma: 0, alpha: 0 },
    { sigma: 1 / 3, alpha: 1 / 3 },
    { sigma: 2 / 3, alpha: 2 / 3 },
    { sigma: 1, alpha: 1 },
  ]);
  expect(trajectoryLevels(5).map((l) => l.sigma)).toEqual([0, 0.25, 0.5, 0.75, 1]);
});

it('karrasSchedule has exact endpoints, is ascending, and follows the rho formula', () => {
  for (const rho of [0.5, 1, 2, 7]) {
    const v = karrasSchedule(11, 0.002, 80, rho);
    expect(v[0]).toBe(0.002);
    expect(v[10]).toBe(80);
    for (let i = 1; i < v.length; i++) expect(v[i]).toBeGreaterThan(v[i - 1]);
    const a = 0.002 ** (1 / rho);
    const b = 80 ** (1 / rho);
    expect(v[3]).toBeCloseTo((a + 0.3 * (b - a)) ** rho, 10);
  }
});

it('schedules name their bad arguments', () => {
  expect(() => karrasSchedule(1, 0, 1, 1)).toThrow(/karrasSchedule: 'n' must be an integer >= 2, got 1/);
  expect(() => karrasSchedule(4, 1, 0.5, 1)).toThrow(/'hi' must be a finite number in \[1,/);
  expect(() => karrasSchedule(4, 0, 1, 0)).toThrow(/'rho'/);
  expect(() => trajectoryLevels(3, { sigmaMax: Number.NaN })).toThrow(/'hi'/);
});
