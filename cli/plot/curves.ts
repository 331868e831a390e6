// Learning curves from run directories: one metric of metrics.jsonl against env steps, mean and spread across runs on a shared axis.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { readMetrics, runBaseStepsPerStep } from '../../agents/metrics.ts';
import type { LineChart, Series } from './svg.ts';

/** One run's values of a metric, sorted by env steps (a step logged twice keeps its last value). */
export interface RunCurve {
  run: string;
  x: number[];
  y: number[];
}

/**
 * Reads `<dir>/metrics.jsonl` (rows failing MetricsRowSchema are skipped) and keeps the rows that
 * have `key`, against base env steps (env steps × the run's `baseStepsPerStep`).
 */
export function readRunCurve(dir: string, key: string): RunCurve {
  const file = join(dir, 'metrics.jsonl');
  if (!existsSync(file)) throw new Error(`${dir}: no metrics.jsonl (is it a run directory?)`);
  const scale = runBaseStepsPerStep(dir);
  const byStep = new Map<number, number>();
  for (const row of readMetrics(file)) {
    const v = row[key];
    if (typeof v === 'number' && Number.isFinite(v)) byStep.set(row.env_steps * scale, v);
  }
  const x = [...byStep.keys()].sort((a, b) => a - b);
  return { run: dir, x, y: x.map((s) => byStep.get(s)!) };
}

/** Linear interpolation of a curve at `x`, or NaN outside the logged range (no extrapolation). */
export function valueAt(c: RunCurve, x: number): number {
  const xs = c.x;
  if (xs.length === 0 || x < xs[0]! || x > xs[xs.length - 1]!) return Number.NaN;
  let hi = xs.findIndex((v) => v >= x);
  if (xs[hi] === x) return c.y[hi]!;
  const lo = hi - 1;
  const f = (x - xs[lo]!) / (xs[hi]! - xs[lo]!);
  return c.y[lo]! + f * (c.y[hi]! - c.y[lo]!);
}

export type Spread = 'std' | 'minmax';

/**
 * Mean and spread across runs at every env step any run logged, over the runs whose logged range
 * covers it; steps covered by fewer than `minRuns` runs are left out.
 */
export interface Aggregate {
  x: number[];
  mean: number[];
  lo: number[];
  hi: number[];
  /** Number of runs averaged at each x. */
  count: number[];
}

export function aggregate(curves: RunCurve[], spread: Spread, minRuns = 1): Aggregate {
  const xs = [...new Set(curves.flatMap((c) => c.x))].sort((a, b) => a - b);
  const out: Aggregate = { x: [], mean: [], lo: [], hi: [], count: [] };
  for (const x of xs) {
    const v = curves.map((c) => valueAt(c, x)).filter(Number.isFinite);
    if (v.length === 0 || v.length < minRuns) continue;
    const m = v.reduce((a, b) => a + b, 0) / v.length;
    const sd = Math.sqrt(v.reduce((a, b) => a + (b - m) ** 2, 0) / v.length);
    out.x.push(x);
    out.mean.push(m);
    out.lo.push(spread === 'std' ? m - sd : Math.min(...v));
    out.hi.push(spread === 'std' ? m + sd : Math.max(...v));
    out.count.push(v.length);
  }
  return out;
}

/** One line per group of runs (mean, with the spread as a band when a group has several runs). */
export interface CurveGroup {
  label: string;
  runs: string[];
}

/**
 * One line per group. By default only the env steps every run of a group covers are drawn (a
 * mean of all its runs); `partial` also draws steps covered by some of them (the label then gives
 * the range of run counts).
 */
export function learningCurveChart(groups: CurveGroup[], key: string, spread: Spread, title?: string, partial = false): LineChart {
  const series: Series[] = groups.map((g) => {
    const curves = g.runs.map((r) => readRunCurve(r, key));
    const empty = curves.filter((c) => c.x.length === 0).map((c) => c.run);
    if (empty.length > 0 && !partial) throw new Error(`no '${key}' values in ${empty.join(', ')}`);
    const a = aggregate(curves, spread, partial ? 1 : curves.length);
    if (a.x.length === 0) throw new Error(`the runs of '${g.label}' share no logged range of '${key}' (pass --partial to draw what each covers)`);
    const lo = Math.min(...a.count), hi = Math.max(...a.count);
    const runs = lo === hi ? `${lo} run${lo > 1 ? 's' : ''}` : `${lo}–${hi} runs`;
    const s: Series = { label: g.runs.length > 1 ? `${g.label} (${runs})` : g.label, points: a.x.map((x, i) => [x, a.mean[i]!]), markers: a.x.length <= 60 };
    if (g.runs.length > 1) s.band = a.x.map((x, i) => [x, a.lo[i]!, a.hi[i]!]);
    return s;
  });
  const several = groups.some((g) => g.runs.length > 1);
  return {
    title: title ?? `${key} during training`,
    subtitle: several ? `mean across runs; band: ${spread === 'std' ? '± 1 standard deviation' : 'min to max'} across them${partial ? ' (at each step, the runs that reached it)' : ''}` : 'one run per line',
    xLabel: 'environment steps', yLabel: key, series,
  };
}
