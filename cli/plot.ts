// `paddock plot`: SVG charts of learning curves (metrics.jsonl of run directories) and of push sweeps (paddock perturb JSON).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { z } from 'zod';
import { num, UsageError, type Command } from './args.ts';
import { parseSweepResult, type SweepResult } from '../agents/perturb-schema.ts';
import { learningCurveChart, type CurveGroup } from './plot/curves.ts';
import { sweepChart } from './plot/survival.ts';
import { lineChart, type LineChart } from './plot/svg.ts';

const list = z.array(z.string().min(1)).optional();

const schema = z.object({
  run: list,
  sweep: list,
  key: z.string().min(1).default('eval/return_mean'),
  labels: z.string().optional(),
  spread: z.enum(['std', 'minmax']).default('std'),
  partial: z.boolean().default(false),
  metric: z.enum(['survival', 'recovery', 'return-lost']).default('survival'),
  x: z.enum(['impulse', 'slope']).default('impulse'),
  title: z.string().optional(),
  width: num(z.number().int().min(200).max(4000)).default(720),
  height: num(z.number().int().min(150).max(4000)).default(420),
  out: z.string().min(1),
}).strict();
type Options = z.output<typeof schema>;

/** Splits repeated, comma-separated flag values: `--run a,b --run c` → [[a, b], [c]]. */
export function groupsOf(values: string[]): string[][] {
  return values.map((v) => v.split(',').map((s) => s.trim()).filter(Boolean)).filter((g) => g.length > 0);
}

function curveGroups(o: Options): CurveGroup[] {
  const groups = groupsOf(o.run ?? []);
  const labels = o.labels?.split(',').map((s) => s.trim());
  if (labels && labels.length !== groups.length) throw new UsageError(`plot: --labels: ${labels.length} labels for ${groups.length} --run groups`);
  return groups.map((runs, i) => ({ label: labels?.[i] ?? (runs.length === 1 ? basename(resolve(runs[0]!)) : runs.map((r) => basename(resolve(r))).join('+')), runs }));
}

/** Reads and validates sweep JSON files (`paddock perturb --out` writes sweep.json). */
export function readSweeps(files: string[]): SweepResult[] {
  return files.map((file) => {
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(file, 'utf8'));
    } catch (err) {
      throw new UsageError(`plot: --sweep: cannot read ${file} (${(err as Error).message})`);
    }
    try {
      return parseSweepResult(raw, file);
    } catch (err) {
      throw new UsageError(`plot: --sweep: ${(err as Error).message}`);
    }
  });
}

function chartOf(o: Options): LineChart {
  if (!!o.run === !!o.sweep) throw new UsageError('plot: give either --run (learning curves) or --sweep (perturbation sweeps)');
  try {
    if (o.run) return learningCurveChart(curveGroups(o), o.key, o.spread, o.title, o.partial);
    return sweepChart(readSweeps(groupsOf(o.sweep!).flat()), o.metric, o.title, o.x);
  } catch (err) {
    if (err instanceof UsageError) throw err;
    throw new UsageError(`plot: ${(err as Error).message}`);
  }
}

async function run(o: Options): Promise<number> {
  const chart = chartOf(o);
  const svg = lineChart({ ...chart, width: o.width, height: o.height });
  mkdirSync(dirname(resolve(o.out)), { recursive: true });
  writeFileSync(o.out, svg);
  console.error(`[paddock] wrote ${o.out}: ${chart.series.length} line(s): ${chart.series.map((s) => s.label).join('; ')}`);
  return 0;
}

export const plotCommand: Command<typeof schema> = {
  name: 'plot',
  summary: 'SVG charts: learning curves of runs (mean ± spread), or survival against impulse or slope from perturb sweeps',
  flags: {
    run: { type: 'string', multiple: true, help: 'run directories (metrics.jsonl), comma-separated: one line, mean and spread across them; repeat for more lines' },
    sweep: { type: 'string', multiple: true, help: 'sweep JSON files from `paddock perturb --out` (comma-separated or repeated); policies with the same label are merged' },
    key: { type: 'string', help: 'metric to plot from metrics.jsonl (default eval/return_mean)' },
    labels: { type: 'string', help: 'comma-separated line labels for the --run groups (default: the run directory names)' },
    spread: { type: 'string', help: 'learning-curve band: std (± 1 standard deviation, default) or minmax' },
    partial: { type: 'boolean', help: 'learning curves: also draw env steps only some runs of a group reached (default: only those all reached)' },
    metric: { type: 'string', help: 'sweep charts: survival (default), recovery (median recovery time) or return-lost' },
    x: { type: 'string', help: 'sweep charts: x axis impulse (default; a line per slope) or slope (a line per impulse; sweeps with --slopes)' },
    title: { type: 'string', help: 'chart title' },
    width: { type: 'string', help: 'width in pixels (default 720)' },
    height: { type: 'string', help: 'height in pixels (default 420)' },
    out: { type: 'string', help: 'the SVG file to write' },
  },
  schema,
  run,
};
