// quadruped-mujoco: the quadruped task's observation, reward and termination on the official MuJoCo WASM build (a devDependency), as a reference.
import { readFileSync } from 'node:fs';
import { assetPath } from '../assets/index.ts';
import { loadMjcf } from '../sim/mjcf/index.ts';
import { clampedReferenceQpos } from '../sim/kinematics.ts';
import { MujocoSim, loadMujocoModule } from '../sim/mujoco.ts';
import { Rng } from '../sim/rng.ts';
import type { Env, EnvSpec, ResetOptions, StepInfo, StepResult } from './env.ts';
import { QuadrupedConfigSchema, addStartNoise, isHealthy, quadrupedEntry, torsoUp, writeObservation, type QuadrupedConfig } from './quadruped.ts';
import type { TaskEntry } from './registry.ts';
import { checkAction } from './task.ts';

/** The quadruped config minus what only the Rapier world offers (contact readout, randomisation, pushes, gravity). */
const QuadrupedMujocoConfigSchema = QuadrupedConfigSchema.superRefine((c, ctx) => {
  const rapierOnly: [string, boolean][] = [
    ['useContactForces', c.useContactForces], ['randomize', Object.keys(c.randomize).length > 0], ['pushes', c.pushes.length > 0], ['gravity', c.gravity !== undefined],
  ];
  for (const [field, set] of rapierOnly) if (set) ctx.addIssue({ code: 'custom', path: [field], message: 'not available on MuJoCo (quadruped only)' });
});

/**
 * The quadruped task stepped by MuJoCo on the same MJCF file: same spec, start-state noise,
 * controls held for `spec.dt`, reward terms and termination. The contact cost term reads 0 here
 * (MuJoCo's external contact forces are not read; its weight is 5e-4).
 */
export class QuadrupedMujocoEnv implements Env<Float32Array> {
  private rng = new Rng(0);
  private readonly obs: Float32Array;
  private readonly q0: Float64Array;
  private readonly substeps: number;
  private readonly info: StepInfo = { rewardTerms: {}, pushes: [] };
  private readonly action: Float32Array;
  /** Weighted reward terms of the last step, in the spec's order. */
  private readonly terms = { healthy: 0, forward: 0, ctrl_cost: 0, contact_cost: 0 };
  private steps = 0;
  private zMax = 0;

  constructor(readonly spec: EnvSpec, readonly config: QuadrupedConfig, private readonly sim: MujocoSim, model: ReturnType<typeof loadMjcf>) {
    this.obs = new Float32Array(spec.observationSpace.type === 'box' ? spec.observationSpace.shape[0]! : 0);
    this.q0 = clampedReferenceQpos(model);
    this.substeps = Math.max(1, Math.round(spec.dt / sim.dt));
    this.action = new Float32Array(spec.actionSpace.low.length);
  }

  reset(opts: ResetOptions = {}): { obs: Float32Array; info: StepInfo } {
    if (opts.seed !== undefined) this.rng = new Rng(opts.seed);
    const d = this.sim.data, q = Float64Array.from(this.q0), qd = new Float64Array(this.sim.model.nv);
    addStartNoise(q, qd, this.config.resetNoiseScale, this.rng);
    d.qpos.set(q);
    d.qvel.set(qd);
    d.time = 0;
    this.sim.mj.mj_forward(this.sim.model, d);
    this.steps = 0;
    this.zMax = d.qpos[2]!;
    return { obs: this.observe(), info: this.describe({}, 0) };
  }

  step(action: ArrayLike<number>): StepResult<Float32Array> {
    const d = this.sim.data, a = checkAction(this.spec, this.config.actions, action, this.action);
    const xBefore = d.qpos[0]!;
    this.sim.setControl(a);
    this.sim.step(this.substeps);
    this.steps++;
    this.zMax = Math.max(this.zMax, d.qpos[2]!);
    const healthy = isHealthy(d.qpos, d.qvel, this.config), c = this.config, xVelocity = (d.qpos[0]! - xBefore) / this.spec.dt;
    const terms = this.terms;
    terms.healthy = c.healthyReward * (healthy || !c.terminateWhenUnhealthy ? 1 : 0);
    terms.forward = c.forwardRewardWeight * xVelocity;
    terms.ctrl_cost = -c.ctrlCostWeight * a.reduce((sum, v) => sum + v * v, 0);
    const terminated = c.terminateWhenUnhealthy && !healthy;
    const truncated = !terminated && this.steps >= this.spec.maxEpisodeSteps;
    const reward = terms.healthy + terms.forward + terms.ctrl_cost + terms.contact_cost;
    return { obs: this.observe(), reward, terminated, truncated, info: this.describe(terms, xVelocity) };
  }

  close(): void {
    this.sim.free();
  }

  private observe(): Float32Array {
    return writeObservation(this.sim.data.qpos, this.sim.data.qvel, this.config, this.obs);
  }

  private describe(terms: Record<string, number>, xVelocity: number): StepInfo {
    const q = this.sim.data.qpos, info = this.info;
    info.rewardTerms = terms;
    info.x_position = q[0]!;
    info.y_position = q[1]!;
    info.torso_z = q[2]!;
    info.x_velocity = xVelocity;
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
  create: async (config) => {
    const rapier = await quadrupedEntry.create(config);
    const spec = { ...rapier.spec, id: 'quadruped-mujoco' };
    rapier.close();
    const xml = readFileSync(assetPath('ant.xml'), 'utf8');
    return new QuadrupedMujocoEnv(spec, config, new MujocoSim(await loadMujocoModule(), xml), loadMjcf(xml));
  },
};
