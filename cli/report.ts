// `paddock report`: a Markdown table of training runs — final and best evaluation, steps to a threshold, wall-clock, the command.
import { existsSync, readFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { z } from 'zod';
import { num, UsageError, type Command } from './args.ts';
import { readMetrics, runBaseStepsPerStep, type MetricsRow } from '../agents/metrics.ts';
import { groupsOf } from './plot.ts';

const schema = z.object({
  run: z.array(z.string().min(1)).min(1),
  key: z.string().min(1).default('eval/return_mean'),
  threshold: num(z.number()).optional(),
  labels: z.string().optional(),
  json: z.boolean().default(false),
}).strict();
type Options = z.output<typeof schema>;

export interface RunSummary {
  run: string;
  seed: number | null;
  /** Base env steps: logged env steps × the run's `baseStepsPerStep` (hierarchical runs count their skills' steps). */
  envSteps: number;
  wallSeconds: number;
  final: number | null;
  best: number | null;
  /** First evaluated (base) env step at which the key reached the threshold (null: never). */
  stepsToThreshold: number | null;
  command: string | null;
}

/** Summarises one run directory's metrics for `key`. */
export function summarizeRun(dir: string, key: string, threshold?: number): RunSummary {
  const file = join(dir, 'metrics.jsonl');
  if (!existsSync(file)) throw new UsageError(`report: --run: no metrics.jsonl in ${dir}`);
  const rows = readMetrics(file);
  const evals = rows.filter((r): r is MetricsRow => typeof r[key] === 'number');
  const last = rows.at(-1);
  const config = existsSync(join(dir, 'config.json')) ? (JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')) as { options?: { seed?: number }; command?: string }) : {};
  const hit = threshold === undefined ? undefined : evals.find((r) => r[key]! >= threshold);
  const scale = runBaseStepsPerStep(dir);
  return {
    run: dir, seed: config.options?.seed ?? null, envSteps: (last?.env_steps ?? 0) * scale, wallSeconds: last?.time_s ?? 0,
    final: evals.at(-1)?.[key] ?? null, best: evals.length ? Math.max(...evals.map((r) => r[key]!)) : null,
    stepsToThreshold: hit ? hit.env_steps * scale : null, command: config.command ?? null,
  };
}

const fmt = (v: number | null, digits = 2) => (v === null ? '—' : v.toFixed(digits));

function markdown(groups: { label: string; runs: RunSummary[] }[], o: Options): string {
  const lines = [`| group | run | seed | env steps | wall-clock | final ${o.key} | best | steps to ≥ ${o.threshold ?? '—'} |`, '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |'];
  for (const g of groups) {
    for (const r of g.runs) {
      lines.push(`| ${g.label} | ${basename(r.run)} | ${r.seed ?? '—'} | ${r.envSteps} | ${(r.wallSeconds / 60).toFixed(0)} min | ${fmt(r.final)} | ${fmt(r.best)} | ${r.stepsToThreshold ?? (o.threshold === undefined ? '—' : 'not reached')} |`);
    }
    const finals = g.runs.map((r) => r.final).filter((v): v is number => v !== null);
    const mean = finals.reduce((a, b) => a + b, 0) / finals.length;
    const std = Math.sqrt(finals.reduce((a, b) => a + (b - mean) ** 2, 0) / finals.length);
    lines.push(`| **${g.label}** | **mean ± std over ${finals.length}** | | | | **${fmt(mean)} ± ${fmt(std)}** | | |`);
  }
  return lines.join('\n');
}

async function run(o: Options): Promise<number> {
  const groups = groupsOf(o.run);
  const labels = o.labels?.split(',').map((s) => s.trim());
  if (labels && labels.length !== groups.length) throw new UsageError(`report: --labels: ${labels.length} labels for ${groups.length} --run groups`);
  const summaries = groups.map((runs, i) => ({ label: labels?.[i] ?? basename(resolve(runs[0]!)), runs: runs.map((d) => summarizeRun(d, o.key, o.threshold)) }));
  if (o.json) console.log(JSON.stringify(summaries, null, 2));
  else {
    console.log(markdown(summaries, o));
    const commands = summaries.flatMap((g) => g.runs.map((r) => r.command).filter(Boolean));
    if (commands.length) console.log(`\nCommands:\n\n\`\`\`sh\n${commands.join('\n')}\n\`\`\``);
  }
  return 0;
}

export const reportCommand: Command<typeof schema> = {
  name: 'report',
  summary: 'Markdown table of runs: final and best evaluation metric, steps to a threshold, wall-clock, commands',
  flags: {
    run: { type: 'string', multiple: true, help: 'run directories, comma-separated: one group (e.g. the seeds of one configuration)' },
    key: { type: 'string', help: 'metric from metrics.jsonl (default eval/return_mean)' },
    threshold: { type: 'string', help: 'report the first env step at which the metric reached this value' },
    labels: { type: 'string', help: 'comma-separated group labels (default: the first run directory names)' },
    json: { type: 'boolean', help: 'print the summaries as JSON' },
  },
  schema,
  run,
};
