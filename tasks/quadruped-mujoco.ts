// quadruped-mujoco: the quadruped task's observation, reward and termination on the official MuJoCo WASM build (a devDependency), as a reference.
import { clampedReferenceQpos } from '../sim/kinematics.ts';
import type { StepInfo, StepResult } from './env.ts';
import { MujocoReferenceEnv, referenceParts, type ReferenceParts } from './mujoco-reference.ts';
import { QuadrupedConfigSchema, addStartNoise, isHealthy, quadrupedEntry, torsoUp, writeObservation, type QuadrupedConfig } from './quadruped.ts';
import type { TaskEntry } from './registry.ts';

/** The quadruped config minus what only the Rapier world offers (contact readout, randomisation, pushes, gravity). */
const QuadrupedMujocoConfigSchema = QuadrupedConfigSchema.superRefine((c, ctx) => {
  const rapierOnly: [string, boolean][] = [
    ['useContactForces', c.useContactForces], ['randomize', Object.keys(c.randomize).length > 0], ['pushes', c.pushes.length > 0], ['gravity', c.gravity !== undefined],
  ];
  for (const [field, set] of rapierOnly) if (set) ctx.addIssue({ code: 'custom', path: [field], message: 'not available on MuJoCo (quadruped only)' });
  for (const field of ['zVelocityCostWeight', 'heightCostWeight'] as const) {
    if (c[field] !== 0) ctx.addIssue({ code: 'custom', path: [field], message: 'not implemented by the MuJoCo reference (must be 0)' });
  }
});

/**
 * The quadruped task stepped by MuJoCo on the same MJCF file: same spec, start-state noise,
 * controls held for `spec.dt`, reward terms and termination. The contact cost term reads 0 here
 * (MuJoCo's external contact forces are not read; its weight is 5e-4).
 */
export class QuadrupedMujocoEnv extends MujocoReferenceEnv<QuadrupedConfig> {
  private readonly info: StepInfo = { rewardTerms: {}, pushes: [] };
  /** Weighted reward terms of the last step, in the spec's order. */
  private readonly terms = { healthy: 0, forward: 0, ctrl_cost: 0, contact_cost: 0 };
  private zMax = 0;
  private xVelocity = 0;

  constructor(parts: ReferenceParts, config: QuadrupedConfig) {
    super(parts.spec, config, parts.sim, clampedReferenceQpos(parts.model));
  }

  step(action: ArrayLike<number>): StepResult<Float32Array> {
    const d = this.sim.data, xBefore = d.qpos[0]!;
    const a = this.advance(action);
    this.zMax = Math.max(this.zMax, d.qpos[2]!);
    const healthy = isHealthy(d.qpos, d.qvel, this.config), c = this.config;
    this.xVelocity = (d.qpos[0]! - xBefore) / this.spec.dt;
    const terms = this.terms;
    terms.healthy = c.healthyReward * (healthy || !c.terminateWhenUnhealthy ? 1 : 0);
    terms.forward = c.forwardRewardWeight * this.xVelocity;
    let ctrl = 0;
    for (let i = 0; i < a.length; i++) ctrl += a[i]! * a[i]!;
    terms.ctrl_cost = -c.ctrlCostWeight * ctrl;
    const terminated = c.terminateWhenUnhealthy && !healthy;
    const truncated = !terminated && this.steps >= this.spec.maxEpisodeSteps;
    const reward = terms.healthy + terms.forward + terms.ctrl_cost + terms.contact_cost;
    this.info.rewardTerms = terms;
    return { obs: this.observe(), reward, terminated, truncated, info: this.describe() };
  }

  protected startNoise(qpos: Float64Array, qvel: Float64Array): void {
    addStartNoise(qpos, qvel, this.config.resetNoiseScale, this.rng);
  }

  protected onReset(): void {
    this.zMax = this.sim.data.qpos[2]!;
    this.xVelocity = 0;
    this.info.rewardTerms = {};
  }

  protected observe(): Float32Array {
    return writeObservation(this.sim.data.qpos, this.sim.data.qvel, this.config, this.obs);
  }

  protected describe(): StepInfo {
    const q = this.sim.data.qpos, info = this.info;
    info.x_position = q[0]!;
    info.y_position = q[1]!;
    info.torso_z = q[2]!;
    info.x_velocity = this.xVelocity;
    info.torso_z_max = this.zMax;
    info.torso_up = torsoUp(q);
    return info;
  }
}

export const quadrupedMujocoEntry: TaskEntry<typeof QuadrupedMujocoConfigSchema> = {
  id: 'quadruped-mujoco',
  summary: 'the quadruped task on MuJoCo WASM (devDependency) with the same MJCF file, reward and termination: a reference for what Rapier learns',
  configSchema: QuadrupedMujocoConfigSchema,
  reference: true,
  create: async (config) => new QuadrupedMujocoEnv(await referenceParts(quadrupedEntry.create, config, 'quadruped-mujoco', 'ant.xml'), config),
};
