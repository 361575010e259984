import { describe, expect, it } from 'vitest';
import { BOX, THREE_MODES, captured, snapshotSvd, snapshots } from './heat-snapshots.js';

describe('heat-equation snapshots', () => {
  it('the dyadic sum rebuilds X and the rank-r error is Σ_{k>r} σₖ²', () => {
    const sol = snapshots(BOX, { nx: 40, nt: 21 });
    expect(sol.u.shape).toEqual([40, 21]);
    const { errors, fullError, s } = snapshotSvd(sol.u, [1, 3, 6]);
    expect(fullError).toBeLessThan(1e-13);
    for (const e of errors) expect(Math.abs(e.measured - e.theory) / e.theory).toBeLessThan(1e-9);
    // a box is not a finite sum of modes: many singular values stay well above round-off
    expect(s[8]! / s[0]!).toBeGreaterThan(1e-8);
  });

  it('three sine modes give rank-3 snapshots whose POD basis spans exactly those modes', () => {
    const sol = snapshots(THREE_MODES, { nx: 40, nt: 21 });
    const { U, s } = snapshotSvd(sol.u, []);
    expect(s[3]! / s[0]!).toBeLessThan(1e-8);
    for (const k of [1, 3, 7]) expect(captured(U, sol.x, k, 3)).toBeCloseTo(1, 8);
    expect(captured(U, sol.x, 2, 3)).toBeLessThan(1e-8);
  });
});
