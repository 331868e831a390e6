// bench flips: the random drives' statistics, the rotation classes, and that held bang-bang drives tip the cheetah onto its back.
import { describe, expect, it } from 'vitest';
import { makeDrive, type DriveKind } from '../../../cli/bench/drives.ts';
import { classifyRotations, runDrive } from '../../../cli/bench/flips.ts';

const opts = { scale: 0.1, octaves: 8, mu: 2, maxHold: 20 };

/** One action entry of `steps` steps of a drive, after a reset. */
function series(kind: DriveKind, steps: number, o = opts): number[] {
  const d = makeDrive(kind, 2, 0.05, o, 3), out = new Float32Array(2), xs: number[] = [];
  d.reset();
  for (let t = 0; t < steps; t++) {
    d.next(t, out);
    xs.push(out[0]!);
  }
  return xs;
}

function lag1(xs: number[]): number {
  const m = xs.reduce((a, b) => a + b, 0) / xs.length;
  let num = 0, den = 0;
  for (let i = 0; i < xs.length; i++) {
    den += (xs[i]! - m) ** 2;
    if (i > 0) num += (xs[i]! - m) * (xs[i - 1]! - m);
  }
  return num / den;
}

describe('bench flips', () => {
  it('pink noise is correlated in time and white noise is not', () => {
    expect(Math.abs(lag1(series('white', 4000)))).toBeLessThan(0.1);
    expect(lag1(series('pink', 4000))).toBeGreaterThan(0.5);
  });

  it('holds a ±1 corner for several steps, and square waves switch between ±amplitude', () => {
    const h = series('hold', 2000);
    expect(h.every((x) => x === 1 || x === -1)).toBe(true);
    const switches = h.filter((x, i) => i > 0 && x !== h[i - 1]).length;
    expect(switches).toBeLessThan(2000 / 2);
    const sq = series('square', 400);
    expect(new Set(sq.map((x) => Math.abs(x))).size).toBe(1);
    expect(new Set(sq).size).toBe(2);
  });

  it('classifies net rotations into flips either way and on-back endings', () => {
    const r = classifyRotations('white', [0.1, 3, -3, 7, -6.5, 6.2]);
    expect([r.flipsForward, r.flipsBackward, r.onBack, r.maxAbsRotation]).toEqual([1, 1, 3, 7]);
  });

  it('tips the half-cheetah onto its back under held bang-bang actions, reproducibly', async () => {
    const o = { episodes: 20, steps: 200, seed: 1, ...opts, scale: 1 };
    const [a, b] = [await runDrive('half-cheetah', 'hold', o), await runDrive('half-cheetah', 'hold', o)];
    expect(a.rotations).toEqual(b.rotations);
    expect(a.onBack + a.flipsForward + a.flipsBackward).toBeGreaterThanOrEqual(5);
    const w = await runDrive('half-cheetah', 'white', { ...o, episodes: 5 });
    expect(w.maxAbsRotation).toBeLessThan(a.maxAbsRotation);
  }, 60_000);
});
