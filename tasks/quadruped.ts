// quadruped: Ant-v5 semantics on Paddock's ant: walk forward, terminated when the torso leaves the healthy height range.
import { z } from 'zod';
import { BaseTaskConfigSchema, RobotTask, obsSize } from './task.ts';
import { box } from './spaces.ts';
import type { ObsLayout } from './layout.ts';
import type { RewardTerms } from './reward.ts';
import type { Rng } from '../sim/rng.ts';
import { clampedReferenceQpos } from '../sim/kinematics.ts';
import { buildRobot, type RobotBuild } from './robots.ts';
import type { TaskEntry } from './registry.ts';

export const QuadrupedConfigSchema = BaseTaskConfigSchema.extend({
  forwardRewardWeight: z.number().default(1),
  /** Reward per step while healthy. */
  healthyReward: z.number().default(1),
  ctrlCostWeight: z.number().min(0).default(0.5),
  contactCostWeight: z.number().min(0).default(5e-4),
  /**
   * Weight of a vertical-speed cost, the squared torso z velocity ((m/s)², from the height change
   * over the step), as legged-robot rewards penalise bouncing. Default 0 (Ant-v5); the term
   * `z_velocity_cost` is only present when the weight is nonzero.
   */
  zVelocityCostWeight: z.number().min(0).default(0),
  /**
   * Weight of a soft-ceiling cost: the torso height above `heightCostFrom` (m, 0 below it), a dense
   * warning before the healthy range's upper end terminates a bound. Default 0 (Ant-v5); the term
   * `height_cost` is only present when the weight is nonzero.
   */
  heightCostWeight: z.number().min(0).default(0),
  /** Torso height (m) above which `height_cost` grows linearly. */
  heightCostFrom: z.number().default(0.9),
  /** Torso heights (m) outside which the episode terminates. */
  healthyZRange: z.tuple([z.number(), z.number()]).refine(([lo, hi]) => lo < hi, { message: 'need low < high' }).default([0.2, 1.0]),
  terminateWhenUnhealthy: z.boolean().default(true),
  /**
   * Minimum of the torso's up-axis z component for a healthy state (−1 disables it). Ant-v5 checks
   * height only, under which an ant lying on its back (torso z ≈ 0.25) counts as healthy; the
   * default 0 also ends the episode when the ant is upside down.
   */
  minUpright: z.number().min(-1).max(1).default(0),
  /** Append per-body contact forces (clipped to [−1, 1]) to the observation. */
  useContactForces: z.boolean().default(false),
  resetNoiseScale: z.number().min(0).default(0.1),
  /**
   * Gymnasium's `exclude_current_positions_from_observation`: true (default) leaves the torso's
   * world x, y out of the observation; false prepends them (`torso_xy`), e.g. for a DIAYN
   * discriminator on position, the x-y prior of the DIAYN paper's ant.
   */
  excludeCurrentPositionsFromObservation: z.boolean().default(true),
}).strict();
export type QuadrupedConfig = z.output<typeof QuadrupedConfigSchema>;

function layout(contactBodies: number, withXY: boolean): ObsLayout {
  const base: ObsLayout = [
    ...(withXY ? [{ name: 'torso_xy', size: 2, unit: 'm', description: 'torso position (world x, y)' }] : []),
    { name: 'torso_z', size: 1, unit: 'm', description: 'torso height' },
    { name: 'torso_quat', size: 4, unit: '', description: 'torso orientation quaternion (w, x, y, z)' },
    { name: 'joint_angles', size: 8, unit: 'rad', description: 'hip and ankle angles, legs 1–4' },
    { name: 'torso_velocity', size: 3, unit: 'm/s', description: 'torso linear velocity (world frame)' },
    { name: 'torso_angular_velocity', size: 3, unit: 'rad/s', description: 'torso angular velocity (torso frame)' },
    { name: 'joint_velocities', size: 8, unit: 'rad/s', description: 'hip and ankle velocities, same order' },
  ];
  if (contactBodies > 0) base.push({ name: 'contact_forces', size: 3 * contactBodies, unit: 'N (clipped to ±1)', description: 'contact normal force on each body, world frame' });
  return base;
}

export class QuadrupedTask extends RobotTask<Float32Array> {
  private readonly qpos: Float64Array;
  private readonly qvel: Float64Array;
  private readonly contacts: Float64Array;
  private readonly obs: Float32Array;
  private xBefore = 0;
  private zBefore = 0;
  /** Torso forward velocity over the last step (m/s, world x); 0 after a reset. */
  private xVelocity = 0;
  /** Highest torso height (m) reached at a step's end this episode; the start height after a reset. */
  private zMax = 0;

  constructor(build: RobotBuild, readonly config: QuadrupedConfig) {
    const bodies = build.model.bodies.length - 1;
    const obsLayout = layout(config.useContactForces ? bodies : 0, !config.excludeCurrentPositionsFromObservation);
    super(build.R, {
      id: 'quadruped',
      model: build.model,
      preset: build.preset,
      controlDt: 0.05,
      maxEpisodeSteps: 1000,
      observationSpace: box(obsSize(obsLayout), -Infinity, Infinity),
      actionSpace: box(8, -1, 1),
      obsLayout: { observation: obsLayout },
      rewardTerms: [
        { name: 'healthy', weight: config.healthyReward, description: '1 while the torso height is in the healthy range' },
        { name: 'forward', weight: config.forwardRewardWeight, description: 'forward (x) velocity of the torso (m/s)' },
        { name: 'ctrl_cost', weight: -config.ctrlCostWeight, description: 'squared norm of the action' },
        { name: 'contact_cost', weight: -config.contactCostWeight, description: 'squared norm of the clipped contact forces' },
        ...(config.zVelocityCostWeight === 0 ? [] : [{ name: 'z_velocity_cost', weight: -config.zVelocityCostWeight, description: 'squared vertical velocity of the torso ((m/s)², height change over the step)' }]),
        ...(config.heightCostWeight === 0 ? [] : [{ name: 'height_cost', weight: -config.heightCostWeight, description: `torso height above ${config.heightCostFrom} m (m, 0 below it)` }]),
      ],
    }, config);
    this.qpos = new Float64Array(build.model.nq);
    this.qvel = new Float64Array(build.model.nv);
    this.contacts = new Float64Array(build.model.bodies.length * 3);
    this.obs = new Float32Array(obsSize(obsLayout));
  }

  /** The published ant starts with its ankles outside their range; start them clamped into it, then add noise. */
  protected resetTask(rng: Rng): void {
    this.xVelocity = 0;
    const q = clampedReferenceQpos(this.world.model), qd = new Float64Array(this.world.model.nv);
    addStartNoise(q, qd, this.config.resetNoiseScale, rng);
    this.world.setState(q, qd);
    this.zMax = this.world.qpos(this.qpos)[2]!;
  }

  protected applyAction(action: Float32Array): void {
    this.world.qpos(this.qpos);
    this.xBefore = this.qpos[0]!;
    this.zBefore = this.qpos[2]!;
    this.world.setControl(action);
  }

  private healthy(): boolean {
    return isHealthy(this.qpos, this.qvel, this.config);
  }

  protected scoreStep(action: Float32Array, terms: RewardTerms): void {
    this.world.qpos(this.qpos);
    this.world.qvel(this.qvel);
    this.world.contactForces(this.contacts);
    let ctrl = 0;
    for (let i = 0; i < action.length; i++) ctrl += action[i]! * action[i]!;
    let contact = 0;
    for (let i = 3; i < this.contacts.length; i++) contact += Math.min(1, Math.max(-1, this.contacts[i]!)) ** 2;
    terms.set('healthy', this.healthy() || !this.config.terminateWhenUnhealthy ? 1 : 0);
    this.xVelocity = (this.qpos[0]! - this.xBefore) / this.spec.dt;
    this.zMax = Math.max(this.zMax, this.qpos[2]!);
    terms.set('forward', this.xVelocity);
    terms.set('ctrl_cost', ctrl);
    terms.set('contact_cost', contact);
    if (this.config.zVelocityCostWeight !== 0) terms.set('z_velocity_cost', ((this.qpos[2]! - this.zBefore) / this.spec.dt) ** 2);
    if (this.config.heightCostWeight !== 0) terms.set('height_cost', Math.max(0, this.qpos[2]! - this.config.heightCostFrom));
  }

  protected override isTerminated(): boolean {
    return this.config.terminateWhenUnhealthy && !this.healthy();
  }

  protected override describe(info: Record<string, unknown>): void {
    this.world.qpos(this.qpos);
    info.x_position = this.qpos[0]!;
    info.y_position = this.qpos[1]!;
    info.torso_z = this.qpos[2]!;
    info.x_velocity = this.xVelocity;
    info.torso_z_max = this.zMax;
    info.torso_up = torsoUp(this.qpos);
  }

  protected observe(): Float32Array {
    this.world.qpos(this.qpos);
    this.world.qvel(this.qvel);
    const o = writeObservation(this.qpos, this.qvel, this.config, this.obs);
    const nq = this.config.excludeCurrentPositionsFromObservation ? 13 : 15;
    if (this.config.useContactForces) {
      this.world.contactForces(this.contacts);
      for (let i = 3; i < this.contacts.length; i++) o[nq + 14 + i - 3] = Math.min(1, Math.max(-1, this.contacts[i]!));
    }
    return o;
  }
}

/** Adds the task's start-state noise in place: U(±s) on positions except the torso orientation, s·N(0, 1) on velocities. */
export function addStartNoise(qpos: Float64Array, qvel: Float64Array, s: number, rng: Rng): void {
  for (let i = 0; i < qpos.length; i++) if (i < 3 || i >= 7) qpos[i] = qpos[i]! + rng.range(-s, s);
  for (let i = 0; i < qvel.length; i++) qvel[i] = s * rng.normal();
}

/** z component of the torso's up axis (1 upright, −1 upside down) from the free joint's quaternion in `qpos`. */
export function torsoUp(qpos: ArrayLike<number>): number {
  return 1 - 2 * (qpos[4]! * qpos[4]! + qpos[5]! * qpos[5]!);
}

/** The task's health check: finite state, torso height within `healthyZRange`, up axis not below `minUpright`. */
export function isHealthy(qpos: Float64Array, qvel: Float64Array, c: QuadrupedConfig): boolean {
  const z = qpos[2]!, [lo, hi] = c.healthyZRange;
  return qpos.every(Number.isFinite) && qvel.every(Number.isFinite) && z >= lo && z <= hi && torsoUp(qpos) >= c.minUpright;
}

/** Writes qpos (from index 2 when positions are excluded) then qvel into `out`, the layout's entries before any contact forces. */
export function writeObservation(qpos: ArrayLike<number>, qvel: ArrayLike<number>, c: QuadrupedConfig, out: Float32Array): Float32Array {
  const first = c.excludeCurrentPositionsFromObservation ? 2 : 0, nq = 15 - first;
  for (let i = first; i < 15; i++) out[i - first] = qpos[i]!;
  for (let i = 0; i < 14; i++) out[nq + i] = qvel[i]!;
  return out;
}

export const quadrupedEntry: TaskEntry<typeof QuadrupedConfigSchema> = {
  id: 'quadruped',
  summary: 'Ant-v5 semantics: a four-legged ant walks forward; reward = healthy 1 + forward velocity − 0.5‖a‖² − 5e-4‖contact‖²; terminates when the torso height leaves [0.2, 1.0] or it is upside down',
  configSchema: QuadrupedConfigSchema,
  create: async (config) => new QuadrupedTask(await buildRobot('quadruped', 'ant.xml'), config),
};
