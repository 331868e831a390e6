// RobotTask: the env mechanics every simulated task shares (resets, actions, frame skip, rewards, pushes, randomisation).
import { z } from 'zod';
import type { Rapier } from '../sim/rapier.ts';
import type { Model } from '../sim/model.ts';
import type { SimPreset } from '../sim/presets.ts';
import { createSimWorld, type SimSnapshot, type SimWorld } from '../sim/world.ts';
import { Rng } from '../sim/rng.ts';
import type { Env, EnvSpec, GoalFunctions, Observation, PushRecord, ResetOptions, StepInfo, StepResult } from './env.ts';
import type { BoxSpace, Space } from './spaces.ts';
import { checkLayout, layoutSize, type ObsLayout } from './layout.ts';
import { RewardTerms, type RewardTerm } from './reward.ts';
import { ScheduledPushSchema, type Draggable, type DragSpec, type Pushable, type PushSpec } from './push.ts';

const range = z.tuple([z.number().positive(), z.number().positive()]).refine(([lo, hi]) => lo <= hi, { message: 'range must be [low, high] with low ≤ high' });

/** Options every simulated task accepts (each task's schema extends this). */
export const BaseTaskConfigSchema = z.object({
  /** What to do with an action outside the action space: throw (default) or clip. NaN and wrong length always throw. */
  actions: z.enum(['error', 'clip']).default('error'),
  /** Override of the task's time limit, in environment steps. */
  maxEpisodeSteps: z.number().int().positive().optional(),
  /** Domain randomisation: scale factors drawn uniformly per episode from these ranges. */
  randomize: z.object({ mass: range.optional(), friction: range.optional(), damping: range.optional() }).strict().default({}),
  /** Pushes applied at given steps of every episode. */
  pushes: z.array(ScheduledPushSchema).default([]),
  /**
   * World gravity (m/s², world frame) replacing the model's. Tilting it about the y axis simulates
   * an up or down slope on the same ground plane (used by perturbation sweeps; docs/perturb.md).
   */
  gravity: z.tuple([z.number().finite(), z.number().finite(), z.number().finite()]).optional(),
});
export type BaseTaskConfig = z.output<typeof BaseTaskConfigSchema>;

/** What a concrete task declares about itself. */
export interface TaskSetup {
  id: string;
  model: Model;
  preset: SimPreset;
  /** Seconds per environment step (a multiple of the physics step). */
  controlDt: number;
  maxEpisodeSteps: number;
  observationSpace: Space;
  actionSpace: BoxSpace;
  obsLayout: Record<string, ObsLayout>;
  rewardTerms: RewardTerm[];
  goal?: GoalFunctions;
}

export abstract class RobotTask<O extends Observation = Observation> implements Env<O>, Pushable, Draggable {
  readonly spec: EnvSpec;
  readonly world: SimWorld;
  protected rng = new Rng(0);
  protected readonly terms: RewardTerms;
  /** Environment steps taken in this episode. */
  protected stepCount = 0;
  protected readonly action: Float32Array;
  private readonly frameSkip: number;
  private readonly initial: SimSnapshot;
  private readonly info: StepInfo;

  constructor(R: Rapier, setup: TaskSetup, protected readonly base: BaseTaskConfig) {
    const built = base.gravity ? { ...setup.model, option: { ...setup.model.option, gravity: base.gravity } } : setup.model;
    this.world = createSimWorld(R, built, setup.preset.settings);
    this.frameSkip = Math.round(setup.controlDt / this.world.dt);
    if (this.frameSkip < 1 || Math.abs(this.frameSkip * this.world.dt - setup.controlDt) > 1e-9) {
      throw new Error(`${setup.id}: control step ${setup.controlDt} s is not a multiple of the physics step ${this.world.dt} s`);
    }
    const { model, preset, controlDt, ...rest } = setup;
    this.spec = { ...rest, dt: controlDt, maxEpisodeSteps: base.maxEpisodeSteps ?? setup.maxEpisodeSteps };
    for (const [key, layout] of Object.entries(setup.obsLayout)) {
      const space = setup.observationSpace.type === 'dict' ? setup.observationSpace.spaces[key] : setup.observationSpace;
      if (!space) throw new Error(`${setup.id}: observation layout '${key}' has no matching space`);
      checkLayout(layout, space.shape.reduce((a, b) => a * b, 1), `${setup.id}.${key}`);
    }
    this.terms = new RewardTerms(setup.rewardTerms);
    this.action = new Float32Array(setup.actionSpace.shape[0]!);
    this.info = { rewardTerms: {}, pushes: [] };
    this.initial = this.world.snapshot();
  }

  /** Puts the robot in its start state for a new episode (called after the initial snapshot is restored). */
  protected abstract resetTask(rng: Rng, options: Record<string, unknown>): void;
  /** Turns the validated action into controls (called once per environment step). */
  protected abstract applyAction(action: Float32Array): void;
  /** Writes the observation into the env's own arrays and returns them. */
  protected abstract observe(): O;
  /** Sets every reward term's raw value for the step just taken. */
  protected abstract scoreStep(action: Float32Array, terms: RewardTerms): void;
  /** True when the episode truly ended (not the time limit). */
  protected isTerminated(): boolean {
    return false;
  }
  /** Adds task-specific entries to `info` (success, positions...). */
  protected describe(info: StepInfo): void {
    void info;
  }

  reset(opts: ResetOptions = {}): { obs: O; info: StepInfo } {
    if (opts.seed !== undefined) this.rng = new Rng(opts.seed);
    this.world.restore(this.initial);
    this.randomizePhysics();
    this.resetTask(this.rng, opts.options ?? {});
    this.stepCount = 0;
    this.info.pushes.length = 0;
    this.applyScheduledPushes();
    this.terms.values.fill(0);
    this.terms.record(this.info.rewardTerms);
    this.describe(this.info);
    return { obs: this.observe(), info: this.info };
  }

  step(action: ArrayLike<number>): StepResult<O> {
    this.validateAction(action);
    this.dropOldPushes();
    if (this.stepCount > 0) this.applyScheduledPushes();
    this.applyAction(this.action);
    this.world.step(this.frameSkip);
    this.stepCount++;
    this.scoreStep(this.action, this.terms);
    const terminated = this.isTerminated();
    const truncated = !terminated && this.stepCount >= this.spec.maxEpisodeSteps;
    this.terms.record(this.info.rewardTerms);
    this.describe(this.info);
    return { obs: this.observe(), reward: this.terms.total(), terminated, truncated, info: this.info };
  }

  close(): void {
    this.world.free();
  }

  /** Applies a validated push now (see `push` in push.ts) and records it for this step's info. */
  applyPush(p: PushSpec): PushRecord {
    const b = this.bodyNamed(p.body, 'push');
    if (p.impulse) this.world.applyImpulse(b, p.impulse, p.point);
    else this.world.applyForce(b, p.force!, p.duration!, p.point);
    const record: PushRecord = { step: this.stepCount, ...p };
    this.info.pushes.push(record);
    return record;
  }

  /** Starts, moves or releases a validated drag (see `drag` in push.ts) and records it for this step's info. */
  applyDrag(d: DragSpec): PushRecord {
    const b = this.bodyNamed(d.body, 'drag');
    const grab = d.point ?? this.bodyOrigin(b);
    this.world.drag(b, grab, d.target, d.hz);
    const record: PushRecord = { step: this.stepCount, body: d.body, ...(d.point ? { point: d.point } : {}), drag: { target: d.target, hz: d.hz } };
    this.info.pushes.push(record);
    return record;
  }

  private bodyNamed(name: string, what: string): number {
    const b = this.world.model.bodies.findIndex((body, i) => i > 0 && body.name === name);
    if (b < 0) throw new Error(`${this.spec.id}: no body named '${name}' to ${what}`);
    return b;
  }

  private bodyOrigin(b: number): [number, number, number] {
    const p: [number, number, number] = [0, 0, 0];
    this.world.bodyPose(b, p);
    return p;
  }

  /** Keeps only pushes made since the last step (live pushes between steps, and reset-time ones). */
  private dropOldPushes(): void {
    const pushes = this.info.pushes;
    let k = 0;
    for (const p of pushes) if (p.step === this.stepCount) pushes[k++] = p;
    pushes.length = k;
  }

  private applyScheduledPushes(): void {
    for (const { step, ...p } of this.base.pushes) if (step === this.stepCount) this.applyPush(p);
  }

  private randomizePhysics(): void {
    const r = this.base.randomize;
    if (!r.mass && !r.friction && !r.damping) return;
    const draw = (range?: [number, number]) => (range ? this.rng.range(range[0], range[1]) : 1);
    this.world.setPhysicsScales({ mass: draw(r.mass), friction: draw(r.friction), damping: draw(r.damping) });
  }

  /** Copies the action into `this.action`, applying the configured policy. */
  private validateAction(action: ArrayLike<number>): void {
    checkAction(this.spec, this.base.actions, action, this.action);
  }
}

/**
 * Copies `action` into `out` after checking it against `spec.actionSpace`: a wrong length or a
 * non-finite value throws; a value outside the bounds throws (`policy` 'error') or is clipped.
 */
export function checkAction(spec: EnvSpec, policy: BaseTaskConfig['actions'], action: ArrayLike<number>, out: Float32Array): Float32Array {
  const space = spec.actionSpace;
  const n = out.length;
  if (!action || action.length !== n) throw new Error(`${spec.id}: action must have ${n} values, got ${action?.length ?? 'none'}`);
  for (let i = 0; i < n; i++) {
    const v = Number(action[i]);
    if (!Number.isFinite(v)) throw new Error(`${spec.id}: action[${i}] is ${v}; actions must be finite numbers`);
    const lo = space.low[i]!, hi = space.high[i]!;
    if (v < lo || v > hi) {
      if (policy === 'error') throw new Error(`${spec.id}: action[${i}] = ${v} is outside [${lo}, ${hi}] (set config actions: 'clip' to clip instead)`);
      out[i] = Math.min(hi, Math.max(lo, v));
    } else out[i] = v;
  }
  return out;
}

/** Size of a flat observation layout (for building Box spaces). */
export function obsSize(layout: ObsLayout): number {
  return layoutSize(layout);
}
