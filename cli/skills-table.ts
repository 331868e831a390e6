// `paddock skills-table`: which of the DIAYN skill criteria (accuracy, runners both ways, a flip) each `paddock skills --json` report meets, as a Markdown table.
import { existsSync, readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { z } from 'zod';
import { num, type Command } from './args.ts';
import { flagArg } from './json-arg.ts';
import { groupsOf } from './plot.ts';
import { skillHighlights } from '../agents/skills.ts';

const schema = z.object({
  report: z.array(z.string().min(1)).min(1),
  accuracy: num(z.number().min(0).max(1)).default(0.8),
  speed: num(z.number().min(0)).default(1),
  json: z.boolean().default(false),
}).strict();
type Options = z.output<typeof schema>;

/** The fields of a `paddock skills --json` report this table reads. */
const SkillsReport = z.object({
  actions: z.enum(['mean', 'sampled']),
  discriminatorAccuracy: z.number().min(0).max(1).nullable(),
  skills: z.array(z.object({
    skill: z.number().int().min(0),
    xVelocity: z.number(),
    flips: z.number().min(0).nullable(),
    turnedOver: z.number().int().min(0).nullable().optional(),
  }).transform((s) => ({ ...s, turnedOver: s.turnedOver === undefined ? legacyTurnedOver(s.flips) : s.turnedOver }))).min(1),
});
type SkillsReport = z.output<typeof SkillsReport>;

export interface CriteriaRow {
  report: string;
  actions: 'mean' | 'sampled';
  accuracy: number | null;
  /** Fastest mean x-velocity forward and backward (m/s). */
  fastestForward: number;
  fastestBackward: number;
  /** Skills beyond +speed and −speed, and the skills that turned over in at least one episode. */
  forward: number[];
  backward: number[];
  turnedOver: number[];
  /** Which criteria hold: accuracy ≥ the threshold, a runner each way, a flip; `all` when every one does. */
  met: { accuracy: boolean; forward: boolean; backward: boolean; flip: boolean; all: boolean };
}

/** Reads one `paddock skills --json` report, naming the file and the field when it does not fit. */
export function readSkillsReport(path: string): SkillsReport {
  return flagArg('skills-table', 'report', () => {
    if (!existsSync(path)) throw new Error(`no file ${path}`);
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(path, 'utf8'));
    } catch (err) {
      throw new Error(`${path} is not JSON (${(err as Error).message})`);
    }
    const parsed = SkillsReport.safeParse(raw);
    if (parsed.success) return parsed.data;
    const issue = parsed.error.issues[0]!;
    throw new Error(`${path}: ${issue.path.join('.') || '(top level)'}: ${issue.message}`);
  });
}

/**
 * `turnedOver` of a report written before it was counted: `flips` is the mean of whole turns per
 * episode, so it is above 0 exactly when some episode reached 2π (at least 1 such episode).
 */
function legacyTurnedOver(flips: number | null): number | null {
  return flips === null ? null : Number(flips > 0);
}

/** The criteria one report meets at accuracy threshold `minAccuracy` and speed `speed` (m/s). */
export function criteriaOf(name: string, r: SkillsReport, minAccuracy: number, speed: number): CriteriaRow {
  const { forward, backward, turnedOver } = skillHighlights(r.skills, speed);
  const accuracy = r.discriminatorAccuracy !== null && r.discriminatorAccuracy >= minAccuracy;
  const [fwd, bwd, flip] = [forward.length > 0, backward.length > 0, turnedOver.length > 0];
  const v = r.skills.map((s) => s.xVelocity);
  return {
    report: name, actions: r.actions, accuracy: r.discriminatorAccuracy, fastestForward: Math.max(...v), fastestBackward: Math.min(...v), forward, backward, turnedOver,
    met: { accuracy, forward: fwd, backward: bwd, flip, all: accuracy && fwd && bwd && flip },
  };
}

/** A Markdown table of the rows, then how many reports meet each criterion. */
export function criteriaTable(rows: CriteriaRow[], minAccuracy: number, speed: number): string {
  const yes = (b: boolean) => (b ? 'yes' : '—');
  const lines = [
    `| report | actions | accuracy (≥ ${minAccuracy}) | fastest forward / backward (m/s) | skills > +${speed} / < −${speed} m/s | skills that turned over | all met |`,
    '| --- | --- | ---: | --- | --- | --- | --- |',
    ...rows.map((r) => `| ${r.report} | ${r.actions} | ${r.accuracy === null ? '—' : r.accuracy.toFixed(3)}${r.met.accuracy ? ' ✓' : ''} | ${r.fastestForward.toFixed(2)} / ${r.fastestBackward.toFixed(2)} | ${r.forward.length} / ${r.backward.length} | ${r.turnedOver.length ? r.turnedOver.join(', ') : '—'} | ${yes(r.met.all)} |`),
  ];
  const count = (k: keyof CriteriaRow['met']) => rows.filter((r) => r.met[k]).length;
  lines.push('', `Of ${rows.length} reports: accuracy ${count('accuracy')}, a runner forward ${count('forward')}, backward ${count('backward')}, a flip ${count('flip')}, all four ${count('all')}.`);
  return lines.join('\n');
}

async function run(o: Options): Promise<number> {
  const files = groupsOf(o.report).flat();
  const rows = files.map((f) => criteriaOf(basename(f, '.json'), readSkillsReport(f), o.accuracy, o.speed));
  console.log(o.json ? JSON.stringify(rows, null, 2) : criteriaTable(rows, o.accuracy, o.speed));
  return 0;
}

export const skillsTableCommand: Command<typeof schema> = {
  name: 'skills-table',
  summary: 'which DIAYN criteria (accuracy, runners both ways, a flip) each `paddock skills --json` report meets, as a Markdown table',
  flags: {
    report: { type: 'string', multiple: true, help: 'reports written by `paddock skills --json`, comma-separated' },
    accuracy: { type: 'string', help: 'discriminator accuracy to reach (default 0.8)' },
    speed: { type: 'string', help: 'mean x-velocity a runner must exceed each way (m/s, default 1)' },
    json: { type: 'boolean', help: 'print the rows as JSON' },
  },
  schema,
  run,
};
