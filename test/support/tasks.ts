// Test support: a user-written env registered next to the built-ins, so the contract suite proves custom envs work.
import { z } from 'zod';
import { registerEnv, listEnvs } from '../../tasks/index.ts';
import type { Env, EnvSpec, StepInfo, StepResult } from '../../tasks/env.ts';
import { box } from '../../tasks/spaces.ts';
import { Rng } from '../../sim/rng.ts';

const PointConfig = z.object({
  actions: z.enum(['error', 'clip']).default('error'),
  maxEpisodeSteps: z.number().int().positive().default(50),
  randomize: z.object({ mass: z.tuple([z.number().positive(), z.number().positive()]).refine(([a, b]) => a <= b).optional() }).strict().default({}),
}).strict();

/** A 1-D point mass that should move to the origin: a user's own env, no physics engine. */
class PointEnv implements Env<Float32Array> {
  readonly spec: EnvSpec;
  private readonly obs = new Float32Array(2);
  private readonly info: StepInfo = { rewardTerms: { distance: 0 }, pushes: [] };
  private rng = new Rng(0);
  private steps = 0;

  constructor(private readonly config: z.output<typeof PointConfig>) {
    this.spec = {
      id: 'user-point', dt: 0.1, maxEpisodeSteps: config.maxEpisodeSteps,
      observationSpace: box(2, -10, 10), actionSpace: box(1, -1, 1),
      obsLayout: { observation: [{ name: 'x', size: 1, unit: 'm', description: 'position' }, { name: 'v', size: 1, unit: 'm/s', description: 'velocity' }] },
      rewardTerms: [{ name: 'distance', weight: -1, description: '|x|' }],
    };
  }

  reset(opts: { seed?: number } = {}) {
    if (opts.seed !== undefined) this.rng = new Rng(opts.seed);
    this.obs[0] = this.rng.range(-1, 1);
    this.obs[1] = 0;
    this.steps = 0;
    return { obs: this.obs, info: this.info };
  }

  step(action: ArrayLike<number>): StepResult<Float32Array> {
    if (action.length !== 1) throw new Error('user-point: action must have 1 values');
    const a = Number(action[0]);
    if (!Number.isFinite(a)) throw new Error('user-point: action must be finite');
    if (Math.abs(a) > 1 && this.config.actions === 'error') throw new Error('user-point: action outside [-1, 1]');
    const u = Math.max(-1, Math.min(1, a));
    this.obs[1] = Math.max(-10, Math.min(10, this.obs[1]! + u * this.spec.dt));
    this.obs[0] = Math.max(-10, Math.min(10, this.obs[0]! + this.obs[1]! * this.spec.dt));
    this.steps++;
    this.info.rewardTerms.distance = -Math.abs(this.obs[0]!);
    return { obs: this.obs, reward: -Math.abs(this.obs[0]!), terminated: false, truncated: this.steps >= this.spec.maxEpisodeSteps, info: this.info };
  }

  close(): void {}
}

if (!listEnvs().some((e) => e.id === 'user-point')) {
  registerEnv({ id: 'user-point', summary: 'a user-written 1-D point mass', configSchema: PointConfig, create: async (c) => new PointEnv(c) });
}
