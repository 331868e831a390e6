// half-cheetah-mujoco: the half-cheetah task's observation and reward on the official MuJoCo WASM build (a devDependency), as a reference.
import { referenceQpos } from '../sim/kinematics.ts';
import type { StepInfo, StepResult } from './env.ts';
import { HalfCheetahConfigSchema, addCheetahStartNoise, cheetahRewardTerms, halfCheetahEntry, writeCheetahObservation, type HalfCheetahConfig } from './half-cheetah.ts';
import { MujocoReferenceEnv, referenceParts, type ReferenceParts } from './mujoco-reference.ts';
import { RewardTerms } from './reward.ts';
import type { TaskEntry } from './registry.ts';

/** The half-cheetah config minus what only the Rapier world offers (randomisation, pushes, gravity, the pitch-rate averages). */
const HalfCheetahMujocoConfigSchema = HalfCheetahConfigSchema.superRefine((c, ctx) => {
  const rapierOnly: [string, boolean][] = [
    ['randomize', Object.keys(c.randomize).length > 0], ['pushes', c.pushes.length > 0], ['gravity', c.gravity !== undefined],
    ['meanPitchRateLag', c.meanPitchRateLag !== undefined], ['pitchRateEmaTime', c.pitchRateEmaTime !== undefined],
  ];
  for (const [field, set] of rapierOnly) if (set) ctx.addIssue({ code: 'custom', path: [field], message: 'not available on MuJoCo (half-cheetah only)' });
});

/**
 * The half-cheetah task stepped by MuJoCo on the same MJCF file: same spec, start-state noise,
 * controls held for `spec.dt`, reward terms (qpos = [rootx, rootz, rooty, legs…], as in Gymnasium).
 */
export class HalfCheetahMujocoEnv extends MujocoReferenceEnv<HalfCheetahConfig> {
  private readonly terms: RewardTerms;
  private readonly info: StepInfo = { rewardTerms: {}, pushes: [] };

  constructor(parts: ReferenceParts, config: HalfCheetahConfig) {
    super(parts.spec, config, parts.sim, referenceQpos(parts.model));
    this.terms = new RewardTerms(cheetahRewardTerms(config));
  }

  /** Holds `action` for `spec.dt`; the episode only ends by truncation, as in HalfCheetah-v5. */
  step(action: ArrayLike<number>): StepResult<Float32Array> {
    const q = this.sim.data.qpos, xBefore = q[0]!, pitchBefore = q[2]!;
    const a = this.advance(action);
    let ctrl = 0;
    for (let i = 0; i < a.length; i++) ctrl += a[i]! * a[i]!;
    this.terms.set('forward', (q[0]! - xBefore) / this.spec.dt);
    this.terms.set('ctrl_cost', ctrl);
    if (this.config.pitchRewardWeight !== 0) this.terms.set('pitch_rate', (q[2]! - pitchBefore) / this.spec.dt);
    const truncated = this.steps >= this.spec.maxEpisodeSteps;
    return { obs: this.observe(), reward: this.terms.total(), terminated: false, truncated, info: this.describe() };
  }

  protected startNoise(qpos: Float64Array, qvel: Float64Array): void {
    addCheetahStartNoise(qpos, qvel, this.config.resetNoiseScale, this.rng);
  }

  protected onReset(): void {
    this.terms.values.fill(0);
  }

  protected observe(): Float32Array {
    return writeCheetahObservation(this.sim.data.qpos, this.sim.data.qvel, this.config, this.obs);
  }

  protected describe(): StepInfo {
    const info = this.info;
    this.terms.record(info.rewardTerms);
    info.x_position = this.sim.data.qpos[0]!;
    info.x_velocity = this.terms.values[0]! / (this.config.forwardRewardWeight || 1);
    return info;
  }
}

export const halfCheetahMujocoEntry: TaskEntry<typeof HalfCheetahMujocoConfigSchema> = {
  id: 'half-cheetah-mujoco',
  summary: 'the half-cheetah task on MuJoCo WASM (devDependency) with the same MJCF file and reward: a reference for what Rapier learns',
  configSchema: HalfCheetahMujocoConfigSchema,
  reference: true,
  create: async (config) => new HalfCheetahMujocoEnv(await referenceParts(halfCheetahEntry.create, config, 'half-cheetah-mujoco', 'half_cheetah.xml'), config),
};
