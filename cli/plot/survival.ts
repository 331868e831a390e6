// Sweep charts: survival (or recovery time, or return lost) against impulse or ground slope, one line per policy, seeds with the same label merged.
import type { Cell, SweepResult } from '../../agents/perturb-schema.ts';
import type { LineChart, Series } from './svg.ts';

export type SweepMetric = 'survival' | 'recovery' | 'return-lost';
/** The x axis: push impulse (one line per slope), or ground slope (one line per impulse). */
export type SweepAxis = 'impulse' | 'slope';

const METRIC: Record<SweepMetric, { title: string; axis: string; value(c: Cell): number | null }> = {
  survival: { title: 'Survival', axis: 'survival (fraction of trials not failing)', value: (c) => c.survival },
  recovery: { title: 'Recovery time', axis: 'median recovery time (s), recovered trials', value: (c) => c.recoveryTimeMedian },
  'return-lost': { title: 'Return lost', axis: 'mean return lost over the window', value: (c) => c.returnLostMean },
};

/** The cell's value on the x axis and on the other axis (which tells lines apart). */
const AXIS: Record<SweepAxis, { x(c: Cell): number; other(c: Cell): number; title: string; label(other: number): string }> = {
  impulse: { x: (c) => c.impulse, other: (c) => c.slope, title: 'push impulse', label: (s) => `slope ${s > 0 ? '+' : ''}${s}°` },
  slope: { x: (c) => c.slope, other: (c) => c.impulse, title: 'ground slope', label: (j) => `${j} N·s` },
};

/** Short failure definitions for chart subtitles (the full ones are in the sweep JSON). */
const FAILURE: Record<SweepResult['definitions']['failure']['kind'], string> = {
  termination: 'the episode terminates', flipped: 'upside down > 1 s', goal: 'goal not reached',
};

/** One line: every policy result with the same label, action, target and value on the other axis (e.g. training seeds). */
interface LineKey {
  label: string;
  action: string;
  /** Slope (°) when x is the impulse; impulse when x is the slope. */
  other: number;
  target: string;
}

function keyOf(k: LineKey): string {
  return JSON.stringify([k.label, k.action, k.other, k.target]);
}

/** Collects the cells of each line from one or more sweep results. */
function linesOf(results: SweepResult[], axis: SweepAxis): Map<string, { key: LineKey; members: Cell[][] }> {
  const lines = new Map<string, { key: LineKey; members: Cell[][] }>();
  for (const r of results) {
    for (const p of r.policies) {
      const bySubset = new Map<string, Cell[]>();
      for (const c of p.cells) {
        const key: LineKey = { label: p.label, action: p.action, other: AXIS[axis].other(c), target: c.target };
        const k = keyOf(key);
        if (!bySubset.has(k)) bySubset.set(k, []);
        bySubset.get(k)!.push(c);
        if (!lines.has(k)) lines.set(k, { key, members: [] });
      }
      for (const [k, cells] of bySubset) lines.get(k)!.members.push(cells);
    }
  }
  return lines;
}

function lineLabel(k: LineKey, many: { action: boolean; other: boolean; target: boolean }, axis: SweepAxis): string {
  const parts = [k.label];
  if (many.action) parts.push(k.action === 'mean' ? 'mean action' : 'sampled');
  if (many.other) parts.push(AXIS[axis].label(k.other));
  if (many.target) parts.push(k.target);
  return parts.join(' · ');
}

/**
 * A line per (label, action, other axis, target). One member: the band is the 95% Wilson interval of
 * survival (none for the other metrics). Several members (policies sharing a label, e.g. training
 * seeds): the line is their mean and the band their min to max.
 */
function seriesOf(key: LineKey, members: Cell[][], metric: SweepMetric, label: string, axis: SweepAxis): Series {
  const xOf = AXIS[axis].x;
  const xs = [...new Set(members.flatMap((m) => m.map(xOf)))].sort((a, b) => a - b);
  const value = METRIC[metric].value;
  const points: [number, number][] = [];
  const band: [number, number, number][] = [];
  for (const x of xs) {
    const cells = members.map((m) => m.find((c) => xOf(c) === x)).filter((c): c is Cell => c !== undefined);
    const vals = cells.map(value).filter((v): v is number => v !== null);
    points.push([x, vals.length ? vals.reduce((a, b) => a + b, 0) / vals.length : Number.NaN]);
    if (members.length > 1 && vals.length) band.push([x, Math.min(...vals), Math.max(...vals)]);
    else if (metric === 'survival' && cells[0]?.survivalLow != null) band.push([x, cells[0].survivalLow, cells[0].survivalHigh!]);
  }
  return { label: members.length > 1 ? `${label} (${members.length} policies)` : label, points, band, markers: true, dashed: key.action === 'stochastic' };
}

/** The chart of `metric` against impulse (or slope) for the policies of one or more sweeps of the same task. */
export function sweepChart(results: SweepResult[], metric: SweepMetric = 'survival', title?: string, axis: SweepAxis = 'impulse'): LineChart {
  if (results.length === 0) throw new Error('no sweep results to plot');
  const tasks = [...new Set(results.map((r) => r.task))];
  if (tasks.length > 1) throw new Error(`sweeps of different tasks cannot share a chart (${tasks.join(', ')})`);
  const perKg = [...new Set(results.map((r) => r.settings.perKg))];
  if (perKg.length > 1) throw new Error('sweeps with and without --per-kg cannot share an impulse axis');
  const lines = [...linesOf(results, axis).values()];
  const distinct = (f: (k: LineKey) => unknown) => new Set(lines.map((l) => f(l.key))).size > 1;
  const many = { action: distinct((k) => k.action), other: distinct((k) => k.other), target: distinct((k) => k.target) };
  const series = lines.map((l) => seriesOf(l.key, l.members, metric, lineLabel(l.key, many, axis), axis));
  const r = results[0]!;
  const trials = [...new Set(results.map((x) => x.settings.trials))].join('/');
  const bands = lines.some((l) => l.members.length > 1) ? 'bands: 95% Wilson interval (one policy) or min–max across policies' : metric === 'survival' ? 'bands: 95% Wilson interval' : '';
  const subtitle = [`${trials} trials per point`, `${r.settings.directions} ${r.settings.plane} directions`, `failure: ${FAILURE[r.definitions.failure.kind]}`, bands].filter(Boolean).join(' · ');
  return {
    title: title ?? `${METRIC[metric].title} against ${AXIS[axis].title} (${tasks[0]})`,
    subtitle,
    xLabel: axis === 'slope' ? 'ground slope (°, + = uphill along +x)' : perKg[0] ? 'impulse per kg of robot (N·s/kg = m/s)' : 'impulse (N·s)',
    yLabel: METRIC[metric].axis,
    series,
    ...(metric === 'survival' ? { yDomain: [-0.03, 1.03] as [number, number] } : {}),
  };
}
