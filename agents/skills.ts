// Skill evaluation for DIAYN policies: per-skill speed, displacement, heading, pitch rotation, task return and posterior.
import type { Env } from '../tasks/env.ts';
import { sliceOf } from '../tasks/layout.ts';
import type { Policy } from './policy.ts';
import { argmax, type Discriminator } from './discriminator.ts';

export interface SkillSummary {
  skill: number;
  /** Task return of the episode(s) under the env's own reward (for best-single-skill selection). */
  return: number;
  /** Mean forward velocity (m/s), from `info.x_velocity` or the x displacement over time. */
  xVelocity: number;
  /** Final displacement from the start (m, world x and y; y is 0 for planar robots). */
  displacement: [number, number];
  /** Heading of the displacement (rad, atan2(y, x)) and its octant 0–7 (octant 0 = [−22.5°, 22.5°)). */
  heading: number;
  octant: number;
  /**
   * How repeatable the direction is across the episodes: the mean resultant length of their unit
   * displacement vectors, 1 = the same heading every episode, ≈ 0 = unrelated headings (1 with one episode).
   */
  headingConsistency: number;
  /** Net torso pitch rotation (rad, from an unwrapped `rooty` observation; null when the task has none) and whole flips. */
  pitchRotation: number | null;
  flips: number | null;
  /** Episodes (of those run) whose |net pitch rotation| reached 2π: the skill turned all the way over (null without `rooty`). */
  turnedOver: number | null;
  /** Mean discriminator posterior q(z|s) of the skill over the visited states (when a discriminator is given). */
  posterior: number | null;
  /** Share of the visited states the discriminator assigns to this skill (argmax q(z|s) = z), states it never trained on. */
  accuracy: number | null;
  length: number;
}

export interface SkillEvalOptions {
  /** Discriminator q(z|s) for the posterior and accuracy. */
  disc?: Pick<Discriminator, 'posterior'> | null;
  /** Sample actions from the policy as in training (default: its mean action). */
  sample?: boolean;
}

/** Runs each skill of `policy` for `episodes` episodes (seeds `seed`, `seed + 1`, …) on `env`. */
export function evaluateSkills(env: Env, policy: Policy, episodes: number, seed: number, opts: SkillEvalOptions = {}): SkillSummary[] {
  const N = policy.skills;
  if (!N) throw new Error('not a skill policy (no `skills` in its metadata)');
  const out: SkillSummary[] = [];
  for (let z = 0; z < N; z++) {
    const runs = Array.from({ length: episodes }, (_, k) => runSkill(env, policy, z, seed + k, opts.disc ?? null, opts.sample ?? false));
    const avg = (f: (s: SkillSummary) => number) => runs.reduce((a, r) => a + f(r), 0) / runs.length;
    const dx = avg((r) => r.displacement[0]), dy = avg((r) => r.displacement[1]);
    const heading = Math.atan2(dy, dx);
    out.push({
      skill: z, return: avg((r) => r.return), xVelocity: avg((r) => r.xVelocity), displacement: [dx, dy], heading, octant: octantOf(heading),
      headingConsistency: meanResultantLength(runs.map((r) => r.displacement)),
      pitchRotation: runs[0]!.pitchRotation === null ? null : avg((r) => r.pitchRotation!), flips: runs[0]!.flips === null ? null : avg((r) => r.flips!),
      turnedOver: runs[0]!.turnedOver === null ? null : runs.reduce((a, r) => a + r.turnedOver!, 0),
      posterior: runs[0]!.posterior === null ? null : avg((r) => r.posterior!),
      accuracy: runs[0]!.accuracy === null ? null : avg((r) => r.accuracy! * r.length) / avg((r) => r.length), length: avg((r) => r.length),
    });
  }
  return out;
}

/** Length of the mean of the vectors scaled to unit length (zero vectors count as [0, 0]): 1 = all one direction. */
function meanResultantLength(vs: [number, number][]): number {
  let cx = 0, cy = 0;
  for (const [x, y] of vs) {
    const n = Math.hypot(x, y);
    if (n > 0) { cx += x / n; cy += y / n; }
  }
  return Math.hypot(cx, cy) / vs.length;
}

/** Octant 0–7 of a heading, counter-clockwise from +x, octant 0 centred on +x. */
export function octantOf(heading: number): number {
  return ((Math.round(heading / (Math.PI / 4)) % 8) + 8) % 8;
}

/** The skills faster than +`speed` and slower than −`speed` (m/s, mean x-velocity), and those that turned over in at least one episode. */
export function skillHighlights(skills: Pick<SkillSummary, 'skill' | 'xVelocity' | 'turnedOver'>[], speed: number): { speed: number; forward: number[]; backward: number[]; turnedOver: number[] } {
  const ids = (keep: (s: (typeof skills)[number]) => boolean) => skills.filter(keep).map((s) => s.skill);
  return { speed, forward: ids((s) => s.xVelocity > speed), backward: ids((s) => s.xVelocity < -speed), turnedOver: ids((s) => (s.turnedOver ?? 0) > 0) };
}

/** Share of all the skills' visited states assigned to their own skill (null without a discriminator). */
export function overallAccuracy(skills: SkillSummary[]): number | null {
  if (skills.some((s) => s.accuracy === null)) return null;
  const states = skills.reduce((a, s) => a + s.length, 0);
  return skills.reduce((a, s) => a + s.accuracy! * s.length, 0) / states;
}

function runSkill(env: Env, policy: Policy, z: number, seed: number, disc: Pick<Discriminator, 'posterior'> | null, sample: boolean): SkillSummary {
  const obs0 = env.reset({ seed });
  const od = policy.obsDim - policy.skills!;
  const layout = env.spec.obsLayout.observation!;
  const pitchAt = layout.some((e) => e.name === 'rooty') ? sliceOf(layout, 'rooty').start : -1;
  const input = new Float32Array(policy.obsDim), action = new Float32Array(policy.actDim);
  let obs = obs0.obs as Float32Array;
  const start = [Number(obs0.info.x_position ?? 0), Number(obs0.info.y_position ?? 0)];
  const pitch0 = pitchAt >= 0 ? obs[pitchAt]! : 0;
  let ret = 0, length = 0, vx = 0, post = 0, hits = 0, x = start[0]!, y = start[1]!;
  for (;;) {
    input.set(obs.subarray(0, od));
    input.fill(0, od);
    input[od + z] = 1;
    policy.act(input, action, 1, !sample);
    const r = env.step(action);
    obs = r.obs as Float32Array;
    ret += r.reward;
    length++;
    x = Number(r.info.x_position ?? x);
    y = Number(r.info.y_position ?? y);
    vx += typeof r.info.x_velocity === 'number' ? r.info.x_velocity : 0;
    if (disc) {
      const q = disc.posterior(obs, 1, od);
      post += q[z]!;
      hits += argmax(q, 0, q.length) === z ? 1 : 0;
    }
    if (r.terminated || r.truncated) break;
  }
  const hasVx = typeof obs0.info.x_velocity === 'number';
  const xVelocity = hasVx ? vx / length : (x - start[0]!) / (length * env.spec.dt);
  const pitchRotation = pitchAt >= 0 ? obs[pitchAt]! - pitch0 : null;
  const displacement: [number, number] = [x - start[0]!, y - start[1]!];
  const heading = Math.atan2(displacement[1], displacement[0]);
  const flips = pitchRotation === null ? null : Math.floor(Math.abs(pitchRotation) / (2 * Math.PI));
  return {
    skill: z, return: ret, xVelocity, displacement, heading, octant: octantOf(heading), headingConsistency: 1, pitchRotation,
    flips, turnedOver: flips === null ? null : Number(flips >= 1), posterior: disc ? post / length : null,
    accuracy: disc ? hits / length : null, length,
  };
}
