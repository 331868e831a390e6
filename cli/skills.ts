// `paddock skills`: per-skill behaviour of a DIAYN policy (speed, displacement, heading, flips, posterior, accuracy) and the best single skill.
import { z } from 'zod';
import { num, UsageError, type Command } from './args.ts';
import { loadDiscriminator } from '../agents/discriminator.ts';
import { findDiscriminatorDir } from '../agents/policy-io.ts';
import { evaluateSkills, overallAccuracy, type SkillSummary } from '../agents/skills.ts';
import { openPolicy, policyArgShape, policyFlags } from './policy-arg.ts';

const schema = z.object({
  ...policyArgShape,
  episodes: num(z.number().int().min(1).max(100)).default(1),
  seed: num(z.number().int().min(0)).default(0),
  'min-distance': num(z.number().min(0)).default(1),
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
  const best = skills.reduce((a, b) => (b.return > a.return ? b : a));
  const meanReturn = skills.reduce((a, s) => a + s.return, 0) / skills.length;
  const report = {
    policy: dir, task, actions: o.sample ? 'sampled' : 'mean', skills, discriminatorAccuracy: overallAccuracy(skills), bestSkill: { skill: best.skill, return: best.return }, randomSkillReturn: meanReturn,
    octantsCovered: new Set(skills.map((s) => s.octant)).size,
    moving: movingOctants(skills, o['min-distance']),
    fastestForward: Math.max(...skills.map((s) => s.xVelocity)), fastestBackward: Math.min(...skills.map((s) => s.xVelocity)),
    skillsWithFlip: skills.filter((s) => (s.flips ?? 0) >= 1).map((s) => s.skill),
  };
  if (o.json) console.log(JSON.stringify(report, null, 2));
  else {
    console.log(`${report.task}: ${skills.length} skills of ${dir}`);
    console.log('skill  return   x-vel  disp-x  disp-y  octant  consist  pitch-rot  q(z|s)  acc');
    for (const s of skills) console.log(row(s));
    if (report.discriminatorAccuracy !== null) console.log(`discriminator accuracy over the visited states (${report.actions} actions): ${report.discriminatorAccuracy.toFixed(2)} (chance ${(1 / skills.length).toFixed(2)})`);
    console.log(`octants: ${report.octantsCovered} by all skills, ${report.moving.octants.length} by the ${report.moving.skills.length} that end ≥ ${report.moving.minDistance} m from the start`);
    console.log(`best single skill: ${best.skill} (return ${best.return.toFixed(1)}); a random skill: ${meanReturn.toFixed(1)} on average`);
  }
  disc?.dispose();
  policy.dispose();
  return 0;
}

function row(s: SkillSummary): string {
  const f = (v: number | null, d: number, w: number) => (v ?? Number.NaN).toFixed(d).padStart(w);
  return `${String(s.skill).padStart(5)} ${f(s.return, 0, 7)} ${f(s.xVelocity, 2, 7)} ${f(s.displacement[0], 1, 7)} ${f(s.displacement[1], 1, 7)} ${String(s.octant).padStart(7)} ${f(s.headingConsistency, 2, 8)} ${f(s.pitchRotation, 1, 10)} ${f(s.posterior, 2, 7)} ${f(s.accuracy, 2, 4)}`;
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
    sample: { type: 'boolean', help: 'sample actions as in training (seeded by --seed) instead of taking the mean action' },
    json: { type: 'boolean', help: 'print the report as JSON' },
  },
  schema,
  run,
};
