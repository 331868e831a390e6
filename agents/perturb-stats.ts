// Aggregates of push-sweep trials per (slope, target, impulse): survival with a Wilson interval, recovery and return-lost statistics.
import type { Cell, Trial } from './perturb-schema.ts';

/** 95% Wilson score interval of a proportion `k / n` (n > 0). */
export function wilson(k: number, n: number, z = 1.959964): [number, number] {
  const p = k / n, z2 = z * z;
  const centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = (z / (1 + z2 / n)) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  return [Math.max(0, centre - half), Math.min(1, centre + half)];
}

export function median(xs: number[]): number | null {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

export function mean(xs: number[]): number | null {
  return xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null;
}

export function std(xs: number[]): number | null {
  const m = mean(xs);
  return m === null ? null : Math.sqrt(xs.reduce((a, b) => a + (b - m) ** 2, 0) / xs.length);
}

/** One cell from its trials (valid and invalid). */
export function cellOf(slope: number, target: string, impulse: number, trials: Trial[]): Cell {
  const valid = trials.filter((t) => t.valid);
  const n = valid.length;
  const failures = valid.filter((t) => t.failed).length;
  const recovered = valid.map((t) => t.recoveryTime).filter((r): r is number => r !== null);
  const interval = n > 0 ? wilson(n - failures, n) : null;
  return {
    slope, target, impulse, trials: n, invalid: trials.length - n, failures,
    survival: n > 0 ? 1 - failures / n : null,
    survivalLow: interval ? interval[0] : null,
    survivalHigh: interval ? interval[1] : null,
    baselineFailures: valid.filter((t) => t.baselineFailed).length,
    recovered: recovered.length,
    recoveryTimeMedian: median(recovered),
    recoveryTimeMean: mean(recovered),
    baselineRecoveryTimeMedian: median(valid.map((t) => t.baselineRecoveryTime).filter((r): r is number => r !== null)),
    failTimeMedian: median(valid.map((t) => t.failTime).filter((f): f is number => f !== null)),
    returnLostMean: mean(valid.map((t) => t.returnLost)),
    returnLostStd: std(valid.map((t) => t.returnLost)),
  };
}

/** Cells for every (slope, target, impulse), in the sweep's order. */
export function cellsOf(trials: Trial[], slopes: number[], targets: string[], impulses: number[]): Cell[] {
  const out: Cell[] = [];
  for (const slope of slopes) {
    for (const target of targets) {
      for (const impulse of impulses) {
        const mine = trials.filter((t) => t.slope === slope && t.target === target && t.impulse === impulse);
        if (mine.length > 0) out.push(cellOf(slope, target, impulse, mine));
      }
    }
  }
  return out;
}
