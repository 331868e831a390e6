// Test support: a point mass on a plane that must reach a goal (a fast goal task for HER and skill tests, no physics engine).
import { z } from 'zod';
import { registerEnv, listEnvs } from '../../tasks/index.ts';
import type { Env, EnvSpec, GoalFunctions, StepInfo, StepResult } from '../../tasks/env.ts';
import { box } from '../../tasks/spaces.ts';
import { Rng } from '../../sim/rng.ts';

const Config = z.object({ maxEpisodeSteps: z.number().int().positive().default(30), threshold: z.number().positive().default(0.1) }).strict();
type Obs = { observation: Float32Array; achieved_goal: Float32Array; desired_goal: Float32Array };

/** Sparse −1 / 0 reward within `threshold` of the goal (2-D), batched. */
export function pointGoalFunctions(threshold: number): GoalFunctions {
  const dist = (a: ArrayLike<number>, d: ArrayLike<number>, r: number) => Math.hypot(a[2 * r]! - d[2 * r]!, a[2 * r + 1]! - d[2 * r + 1]!);
  return {
    goalDim: 2,
    computeReward: (a, d, out) => { for (let r = 0; r < out.length; r++) out[r] = dist(a, d, r) <= threshold ? 0 : -1; return out; },
    isSuccess: (a, d, out) => { for (let r = 0; r < out.length; r++) out[r] = dist(a, d, r) <= threshold ? 1 : 0; return out; },
  };
}

/** Position (m) moves by 0.15·action per step inside the box [−1.2, 1.2]²; goals ~ U(−1, 1)². */
export class PointGoalEnv implements Env<Obs> {
  readonly spec: EnvSpec;
  readonly config: z.output<typeof Config>;
  readonly goalBounds = { low: new Float32Array([-1.2, -1.2]), high: new Float32Array([1.2, 1.2]) };
  private readonly obs: Obs = { observation: new Float32Array(4), achieved_goal: new Float32Array(2), desired_goal: new Float32Array(2) };
  private readonly info: StepInfo = { rewardTerms: { not_at_goal: 0 }, pushes: [] };
  private readonly flag = new Uint8Array(1);
  private rng = new Rng(0);
  private steps = 0;

  constructor(config: z.output<typeof Config>) {
    this.config = config;
    const goal = box(2, -1.2, 1.2);
    this.spec = {
      id: 'point-goal', dt: 0.1, maxEpisodeSteps: config.maxEpisodeSteps,
      observationSpace: { type: 'dict', spaces: { observation: box(4, -2, 2), achieved_goal: goal, desired_goal: goal } },
      actionSpace: box(2, -1, 1),
      obsLayout: {
        observation: [{ name: 'pos', size: 2, unit: 'm', description: 'position' }, { name: 'vel', size: 2, unit: 'm/s', description: 'velocity' }],
        achieved_goal: [{ name: 'pos', size: 2, unit: 'm', description: 'position' }],
        desired_goal: [{ name: 'goal', size: 2, unit: 'm', description: 'goal position' }],
      },
      rewardTerms: [{ name: 'not_at_goal', weight: -1, description: '1 unless within the threshold' }],
      goal: pointGoalFunctions(config.threshold),
    };
  }

  reset(opts: { seed?: number } = {}) {
    if (opts.seed !== undefined) this.rng = new Rng(opts.seed);
    const o = this.obs;
    o.observation.set([this.rng.range(-0.1, 0.1), this.rng.range(-0.1, 0.1), 0, 0]);
    o.achieved_goal.set(o.observation.subarray(0, 2));
    o.desired_goal.set([this.rng.range(-1, 1), this.rng.range(-1, 1)]);
    this.steps = 0;
    this.score();
    return { obs: o, info: this.info };
  }

  setGoal(goal: ArrayLike<number>): void {
    this.obs.desired_goal.set([Math.max(-1.2, Math.min(1.2, goal[0]!)), Math.max(-1.2, Math.min(1.2, goal[1]!))]);
    this.score();
  }

  private score(): number {
    this.spec.goal!.isSuccess(this.obs.achieved_goal, this.obs.desired_goal, this.flag);
    this.info.isSuccess = this.flag[0] === 1;
    this.info.rewardTerms.not_at_goal = this.flag[0] ? 0 : -1;
    return this.flag[0] ? 0 : -1;
  }

  step(action: ArrayLike<number>): StepResult<Obs> {
    const o = this.obs.observation;
    for (let k = 0; k < 2; k++) {
      const a = Math.max(-1, Math.min(1, Number(action[k])));
      const p = Math.max(-1.2, Math.min(1.2, o[k]! + 0.15 * a));
      o[2 + k] = (p - o[k]!) / this.spec.dt;
      o[k] = p;
    }
    this.obs.achieved_goal.set(o.subarray(0, 2));
    this.steps++;
    return { obs: this.obs, reward: this.score(), terminated: false, truncated: this.steps >= this.spec.maxEpisodeSteps, info: this.info };
  }

  close(): void {}
}

if (!listEnvs().some((e) => e.id === 'point-goal')) {
  registerEnv({ id: 'point-goal', summary: 'a point mass on a plane reaching goals (test support)', configSchema: Config, create: async (c) => new PointGoalEnv(c) });
}
