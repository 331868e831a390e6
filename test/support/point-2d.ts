// Test support: a reward-free point mass on a plane (flat observations), for skill discovery tests; no physics engine.
import { z } from 'zod';
import { registerEnv, listEnvs } from '../../tasks/index.ts';
import type { Env, EnvSpec, StepInfo, StepResult } from '../../tasks/env.ts';
import { box } from '../../tasks/spaces.ts';
import { Rng } from '../../sim/rng.ts';

const Config = z.object({ maxEpisodeSteps: z.number().int().positive().default(20) }).strict();

/** Position (m) moves by 0.1·action per step inside [−1, 1]²; reward 0. */
class Point2dEnv implements Env<Float32Array> {
  readonly spec: EnvSpec;
  private readonly obs = new Float32Array(2);
  private readonly info: StepInfo = { rewardTerms: { none: 0 }, pushes: [] };
  private rng = new Rng(0);
  private steps = 0;

  constructor(readonly config: z.output<typeof Config>) {
    this.spec = {
      id: 'point-2d', dt: 0.1, maxEpisodeSteps: config.maxEpisodeSteps,
      observationSpace: box(2, -1, 1), actionSpace: box(2, -1, 1),
      obsLayout: { observation: [{ name: 'pos', size: 2, unit: 'm', description: 'position' }] },
      rewardTerms: [{ name: 'none', weight: 0, description: 'no task reward' }],
    };
  }

  reset(opts: { seed?: number } = {}) {
    if (opts.seed !== undefined) this.rng = new Rng(opts.seed);
    this.obs.set([this.rng.range(-0.05, 0.05), this.rng.range(-0.05, 0.05)]);
    this.steps = 0;
    this.info.x_position = this.obs[0]!;
    this.info.y_position = this.obs[1]!;
    return { obs: this.obs, info: this.info };
  }

  step(action: ArrayLike<number>): StepResult<Float32Array> {
    for (let k = 0; k < 2; k++) this.obs[k] = Math.max(-1, Math.min(1, this.obs[k]! + 0.1 * Math.max(-1, Math.min(1, Number(action[k])))));
    this.steps++;
    this.info.x_position = this.obs[0]!;
    this.info.y_position = this.obs[1]!;
    return { obs: this.obs, reward: 0, terminated: false, truncated: this.steps >= this.spec.maxEpisodeSteps, info: this.info };
  }

  close(): void {}
}

if (!listEnvs().some((e) => e.id === 'point-2d')) {
  registerEnv({ id: 'point-2d', summary: 'a reward-free point mass on a plane (test support)', configSchema: Config, create: async (c) => new Point2dEnv(c) });
}
