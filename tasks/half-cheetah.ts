// half-cheetah: HalfCheetah-v5 semantics on Paddock's cheetah: run forward, never terminates.
import { z } from 'zod';
import { BaseTaskConfigSchema, RobotTask, obsSize } from './task.ts';
import { box } from './spaces.ts';
import type { ObsLayout } from './layout.ts';
import type { RewardTerm, RewardTerms } from './reward.ts';
import type { Rng } from '../sim/rng.ts';
import { referenceQpos } from '../sim/kinematics.ts';
import { buildRobot, type RobotBuild } from './robots.ts';
import type { TaskEntry } from './registry.ts';

export const HalfCheetahConfigSchema = BaseTaskConfigSchema.extend({
  /** Weight of the forward velocity term. */
  forwardRewardWeight: z.number().default(1),
  /**
   * Weight of the pitch-rate term (rad/s, the unwrapped `rooty` change over the step; positive
   * tips the nose down). 0, the default, leaves the term out; a flip-feasibility probe, not HalfCheetah-v5.
   */
  pitchRewardWeight: z.number().default(0),
  /** Weight of the control cost ‖a‖². */
  ctrlCostWeight: z.number().min(0).default(0.1),
  /** Reset noise: qpos + U(±s), qvel + s·N(0, 1). */
  resetNoiseScale: z.number().min(0).default(0.1),
  /** Gymnasium's option: false puts the torso's x position (`rootx`) first in the observation. */
  excludeCurrentPositionsFromObservation: z.boolean().default(true),
  /**
   * Paddock addition, off unless set: appends `mean_pitch_rate` = (rooty − rooty₀)/(t + τ) (rad/s),
   * the torso's net pitch rotation since the episode start over the elapsed time t plus this lag τ (s).
   * Rocking, or lying on the back, averages toward 0 over an episode; only a sustained rotation keeps
   * it away from 0. A discriminator input for DIAYN skills that flip (docs/results.md, diayn27).
   */
  meanPitchRateLag: z.number().positive().optional()
    .describe('τ (s): appends `mean_pitch_rate` = (rooty − rooty₀)/(t + τ), rad/s; only a sustained rotation keeps it away from 0'),
  /**
   * Paddock addition, off unless set: appends `pitch_rate_ema`, the torso's pitch rate (rad/s, from
   * the unwrapped `rooty` change over each step) averaged exponentially with this time constant T (s):
   * e ← e·exp(−dt/T) + ω·(1 − exp(−dt/T)), 0 at the episode start. It returns to 0 within a few T of
   * any fall or rocking, and stays away from 0 only while the torso keeps turning (docs/results.md, diayn28).
   */
  pitchRateEmaTime: z.number().positive().optional()
    .describe('T (s): appends `pitch_rate_ema`, the pitch rate (rad/s) averaged exponentially with time constant T, 0 at reset'),
}).strict();
export type HalfCheetahConfig = z.output<typeof HalfCheetahConfigSchema>;

const JOINTS = ['bthigh', 'bshin', 'bfoot', 'fthigh', 'fshin', 'ffoot'];

export const HALF_CHEETAH_LAYOUT: ObsLayout = [
  { name: 'rootz', size: 1, unit: 'm', description: 'torso height offset from its start (slide rootz)' },
  { name: 'rooty', size: 1, unit: 'rad', description: 'torso pitch (hinge rooty)' },
  { name: 'joint_angles', size: 6, unit: 'rad', description: `leg joint angles: ${JOINTS.join(', ')}` },
  { name: 'root_velocity', size: 3, unit: 'm/s, rad/s', description: 'forward, vertical and pitch velocity of the torso' },
  { name: 'joint_velocities', size: 6, unit: 'rad/s', description: 'leg joint velocities, same order' },
];

const ROOTX: ObsLayout[number] = { name: 'rootx', size: 1, unit: 'm', description: 'torso x position (slide rootx, world frame)' };
const MEAN_PITCH_RATE: ObsLayout[number] = { name: 'mean_pitch_rate', size: 1, unit: 'rad/s', description: 'net pitch rotation since the episode start over the elapsed time plus meanPitchRateLag' };
const PITCH_RATE_EMA: ObsLayout[number] = { name: 'pitch_rate_ema', size: 1, unit: 'rad/s', description: 'pitch rate averaged exponentially with time constant pitchRateEmaTime' };

/** The observation layout a config selects: [rootx], the default entries, [mean_pitch_rate], [pitch_rate_ema]. */
export function cheetahLayout(c: HalfCheetahConfig): ObsLayout {
  const extra = [...(c.meanPitchRateLag === undefined ? [] : [MEAN_PITCH_RATE]), ...(c.pitchRateEmaTime === undefined ? [] : [PITCH_RATE_EMA])];
  return [...(c.excludeCurrentPositionsFromObservation ? [] : [ROOTX]), ...HALF_CHEETAH_LAYOUT, ...extra];
}

export class HalfCheetahTask extends RobotTask<Float32Array> {
  private readonly qpos: Float64Array;
  private readonly qvel: Float64Array;
  private readonly obs: Float32Array;
  private xBefore = 0;
  private pitchBefore = 0;
  /** Unwrapped torso pitch at the episode start (rad), for `mean_pitch_rate`. */
  private pitchStart = 0;
  /** Exponential average of the pitch rate (rad/s), for `pitch_rate_ema`. */
  private pitchRateEma = 0;

  constructor(build: RobotBuild, readonly config: HalfCheetahConfig) {
    const layout = cheetahLayout(config);
    super(build.R, {
      id: 'half-cheetah',
      model: build.model,
      preset: build.preset,
      controlDt: 0.05,
      maxEpisodeSteps: 1000,
      observationSpace: box(obsSize(layout), -Infinity, Infinity),
      actionSpace: box(6, -1, 1),
      obsLayout: { observation: layout },
      rewardTerms: cheetahRewardTerms(config),
    }, config);
    this.qpos = new Float64Array(build.model.nq);
    this.qvel = new Float64Array(build.model.nv);
    this.obs = new Float32Array(obsSize(layout));
  }

  protected resetTask(rng: Rng): void {
    const q = referenceQpos(this.world.model), qd = new Float64Array(this.world.model.nv);
    addCheetahStartNoise(q, qd, this.config.resetNoiseScale, rng);
    this.world.setState(q, qd);
    this.pitchStart = this.world.qpos(this.qpos)[2]!;
    this.pitchRateEma = 0;
  }

  protected applyAction(action: Float32Array): void {
    this.world.qpos(this.qpos);
    this.xBefore = this.qpos[0]!;
    this.pitchBefore = this.qpos[2]!;
    this.world.setControl(action);
  }

  protected scoreStep(action: Float32Array, terms: RewardTerms): void {
    this.world.qpos(this.qpos);
    const x = this.qpos[0]!;
    let ctrl = 0;
    for (let i = 0; i < action.length; i++) ctrl += action[i]! * action[i]!;
    terms.set('forward', (x - this.xBefore) / this.spec.dt);
    terms.set('ctrl_cost', ctrl);
    const rate = (this.qpos[2]! - this.pitchBefore) / this.spec.dt, T = this.config.pitchRateEmaTime;
    if (this.config.pitchRewardWeight !== 0) terms.set('pitch_rate', rate);
    if (T !== undefined) this.pitchRateEma += (rate - this.pitchRateEma) * (1 - Math.exp(-this.spec.dt / T));
  }

  protected override describe(info: Record<string, unknown>): void {
    info.x_position = this.world.qpos(this.qpos)[0]!;
    info.x_velocity = this.terms.values[0]! / (this.config.forwardRewardWeight || 1);
  }

  protected observe(): Float32Array {
    const obs = writeCheetahObservation(this.world.qpos(this.qpos), this.world.qvel(this.qvel), this.config, this.obs);
    const lag = this.config.meanPitchRateLag, ema = this.config.pitchRateEmaTime !== undefined;
    if (lag !== undefined) obs[obs.length - (ema ? 2 : 1)] = (this.qpos[2]! - this.pitchStart) / (this.stepCount * this.spec.dt + lag);
    if (ema) obs[obs.length - 1] = this.pitchRateEma;
    return obs;
  }
}

/** Gymnasium's reset noise, in place: qpos + U(±s), then qvel = s·N(0, 1), drawn in that order. */
export function addCheetahStartNoise(qpos: Float64Array, qvel: Float64Array, s: number, rng: Rng): void {
  for (let i = 0; i < qpos.length; i++) qpos[i] = qpos[i]! + rng.range(-s, s);
  for (let i = 0; i < qvel.length; i++) qvel[i] = s * rng.normal();
}

/** Writes the observation (qpos without `rootx` unless configured, then qvel) into `out`. */
export function writeCheetahObservation(qpos: ArrayLike<number>, qvel: ArrayLike<number>, c: HalfCheetahConfig, out: Float32Array): Float32Array {
  const first = c.excludeCurrentPositionsFromObservation ? 1 : 0, nq = qpos.length - first;
  for (let i = 0; i < nq; i++) out[i] = qpos[first + i]!;
  for (let i = 0; i < qvel.length; i++) out[nq + i] = qvel[i]!;
  return out;
}

/** The reward terms the config declares: forward, control cost and, when weighted, pitch rate. */
export function cheetahRewardTerms(config: HalfCheetahConfig): RewardTerm[] {
  return [
    { name: 'forward', weight: config.forwardRewardWeight, description: 'forward velocity of the torso (m/s), from its x displacement over the step' },
    { name: 'ctrl_cost', weight: -config.ctrlCostWeight, description: 'squared norm of the action' },
    ...(config.pitchRewardWeight === 0 ? [] : [{ name: 'pitch_rate', weight: config.pitchRewardWeight, description: 'pitch rate of the torso (rad/s), from its unwrapped rooty change over the step' }]),
  ];
}

export const halfCheetahEntry: TaskEntry<typeof HalfCheetahConfigSchema> = {
  id: 'half-cheetah',
  summary: 'HalfCheetah-v5 semantics: a planar cheetah runs forward; reward = forward velocity − 0.1‖a‖²; never terminates',
  configSchema: HalfCheetahConfigSchema,
  create: async (config) => new HalfCheetahTask(await buildRobot('half-cheetah', 'half_cheetah.xml'), config),
};
