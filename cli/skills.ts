// `paddock skills`: per-skill behaviour of a DIAYN policy (speed, displacement, heading, flips, posterior, accuracy) and the best single skill.
import { z } from 'zod';
import { num, UsageError, type Command } from './args.ts';
import { loadDiscriminator } from '../agents/discriminator.ts';
import { findDiscriminatorDir } from '../agents/policy-io.ts';
import { evaluateSkills, overallAccuracy, skillHighlights, type SkillSummary } from '../agents/skills.ts';
import { openPolicy, policyArgShape, policyFlags } from './policy-arg.ts';

const schema = z.object({
  ...policyArgShape,
  episodes: num(z.number().int().min(1).max(100)).default(1),
  seed: num(z.number().int().min(0)).default(0),
  'min-distance': num(z.number().min(0)).default(1),
  speed: num(z.number().min(0)).default(1),
  sample: z.boolean().default(false),
  json: z.boolean().default(false),
}).strict();
type Options = z.output<typeof schema>;

async function run(o: Options): Promise<number> {
  const { dir, policy, task, env } = await openPolicy('skills', o, o.json, o.seed);
  if (!policy.skills) {
    env.close();
    throw new UsageError(`skills: ${dir} is not a skill policy (train it with --agent diayn)`);
  }
  const discDir = findDiscriminatorDir(dir);
  const disc = discDir ? loadDiscriminator(discDir) : null;
  const skills = evaluateSkills(env, policy, o.episodes, o.seed, { disc, sample: o.sample });
  env.close();
  const report = buildReport(dir, task, skills, o);
  if (o.json) console.log(JSON.stringify(report, null, 2));
  else printReport(report);
  disc?.dispose();
  policy.dispose();
  return 0;
}

type Report = ReturnType<typeof buildReport>;

function buildReport(dir: string, task: string, skills: SkillSummary[], o: Options) {
  const best = skills.reduce((a, b) => (b.return > a.return ? b : a));
  return {
    policy: dir, task, actions: o.sample ? 'sampled' : 'mean', episodes: o.episodes, skills, discriminatorAccuracy: overallAccuracy(skills),
    bestSkill: { skill: best.skill, return: best.return }, randomSkillReturn: skills.reduce((a, s) => a + s.return, 0) / skills.length,
    octantsCovered: new Set(skills.map((s) => s.octant)).size,
    moving: movingOctants(skills, o['min-distance']),
    fastestForward: Math.max(...skills.map((s) => s.xVelocity)), fastestBackward: Math.min(...skills.map((s) => s.xVelocity)),
    skillsWithFlip: skills.filter((s) => (s.flips ?? 0) >= 1).map((s) => s.skill),
    highlights: skillHighlights(skills, o.speed),
  };
}

function printReport(r: Report): void {
  const h = r.highlights, list = (ids: number[]) => (ids.length ? `skills ${ids.join(', ')}` : 'none');
  console.log(`${r.task}: ${r.skills.length} skills of ${r.policy}`);
  console.log('skill  return   x-vel  disp-x  disp-y  octant  consist  pitch-rot  turned  q(z|s)  acc');
  for (const s of r.skills) console.log(row(s));
  if (r.discriminatorAccuracy !== null) console.log(`discriminator accuracy over the visited states (${r.actions} actions): ${r.discriminatorAccuracy.toFixed(2)} (chance ${(1 / r.skills.length).toFixed(2)})`);
  console.log(`octants: ${r.octantsCovered} by all skills, ${r.moving.octants.length} by the ${r.moving.skills.length} that end ≥ ${r.moving.minDistance} m from the start`);
  console.log(`faster than +${h.speed} m/s: ${list(h.forward)}; slower than −${h.speed} m/s: ${list(h.backward)}`);
  if (r.skills[0]?.turnedOver !== null) console.log(`turned all the way over (|net pitch| ≥ 2π) in at least one of ${r.episodes} episode${r.episodes === 1 ? '' : 's'}: ${list(h.turnedOver)}`);
  console.log(`best single skill: ${r.bestSkill.skill} (return ${r.bestSkill.return.toFixed(1)}); a random skill: ${r.randomSkillReturn.toFixed(1)} on average`);
}

function row(s: SkillSummary): string {
  const f = (v: number | null, d: number, w: number) => (v ?? Number.NaN).toFixed(d).padStart(w);
  return `${String(s.skill).padStart(5)} ${f(s.return, 0, 7)} ${f(s.xVelocity, 2, 7)} ${f(s.displacement[0], 1, 7)} ${f(s.displacement[1], 1, 7)} ${String(s.octant).padStart(7)} ${f(s.headingConsistency, 2, 8)} ${f(s.pitchRotation, 1, 10)} ${f(s.turnedOver, 0, 7)} ${f(s.posterior, 2, 7)} ${f(s.accuracy, 2, 4)}`;
}

/** The skills whose mean displacement is at least `minDistance` (m), and the octants they cover (sorted). */
function movingOctants(skills: SkillSummary[], minDistance: number): { minDistance: number; skills: number[]; octants: number[] } {
  const moving = skills.filter((s) => Math.hypot(s.displacement[0], s.displacement[1]) >= minDistance);
  return { minDistance, skills: moving.map((s) => s.skill), octants: [...new Set(moving.map((s) => s.octant))].sort((a, b) => a - b) };
}

export const skillsCommand: Command<typeof schema> = {
  name: 'skills',
  summary: 'what each skill of a DIAYN policy does: speed, displacement, heading, flips, posterior, best skill',
  flags: {
    ...policyFlags,
    episodes: { type: 'string', help: 'episodes per skill (default 1)' },
    seed: { type: 'string', help: 'seed of the first episode (default 0)' },
    'min-distance': { type: 'string', help: 'also count the octants of only the skills whose mean displacement is at least this (m, default 1)' },
    speed: { type: 'string', help: 'list the skills whose mean x-velocity is beyond ± this (m/s, default 1)' },
    sample: { type: 'boolean', help: 'sample actions as in training (seeded by --seed) instead of taking the mean action' },
    json: { type: 'boolean', help: 'print the report as JSON' },
  },
  schema,
  run,
};
