// Failure detectors for perturbation sweeps: per-task definitions of "the robot failed", read from task state only.
import type { Env, StepResult } from './env.ts';
import type { SimWorld } from '../sim/world.ts';
import { simOf } from './recording.ts';

export type FailureKind = 'termination' | 'flipped' | 'goal';

/**
 * Watches one episode and reports the first failure. Call `reset` after `env.reset`, `update`
 * after every `env.step` (with the number of steps taken so far) and `finish` when the episode is
 * cut short by its caller. Nothing is allocated per step.
 */
export interface FailureDetector {
  readonly kind: FailureKind;
  /** One line saying what counts as failing. */
  readonly description: string;
  /** Seconds a failure condition must last to count (0 when it counts at once). */
  readonly confirmSeconds: number;
  reset(env: Env): void;
  update(env: Env, step: number, result: StepResult): void;
  /** The episode is over (ended, or cut by the caller after `step` steps). */
  finish(env: Env, step: number): void;
  /** Step (number of steps taken) at which the failure began, or null while none is confirmed. */
  readonly failedAt: number | null;
}

/** Fails when the task itself terminates the episode (the quadruped: torso height outside its healthy range, or upside down). */
export class TerminationDetector implements FailureDetector {
  readonly kind = 'termination';
  readonly confirmSeconds = 0;
  failedAt: number | null = null;

  constructor(readonly description = 'the task terminated the episode') {}

  reset(): void {
    this.failedAt = null;
  }

  update(_env: Env, step: number, result: StepResult): void {
    if (this.failedAt === null && result.terminated) this.failedAt = step;
  }

  finish(): void {}
}

/** Wraps an angle (rad) into (−π, π]. */
export function wrapAngle(a: number): number {
  const w = Math.atan2(Math.sin(a), Math.cos(a));
  return w === -Math.PI ? Math.PI : w;
}

/**
 * Fails when a torso angle stays beyond `limit` (rad, |wrapped angle|) for longer than
 * `confirmSeconds`; the failure is dated to the start of that stretch. The half-cheetah: its
 * pitch (hinge `rooty`, qpos[2]) beyond π/2, i.e. upside down, for over 1 s.
 */
export class FlippedDetector implements FailureDetector {
  readonly kind = 'flipped';
  readonly description: string;
  failedAt: number | null = null;
  private onset = -1;
  private readonly qpos: Float64Array;

  constructor(private readonly world: SimWorld, private readonly qposIndex: number, private readonly dt: number, readonly confirmSeconds = 1, private readonly limit = Math.PI / 2) {
    this.qpos = new Float64Array(world.model.nq);
    this.description = `|torso pitch| > ${(limit * 180 / Math.PI).toFixed(0)}° (upside down) for over ${confirmSeconds} s`;
  }

  reset(): void {
    this.failedAt = null;
    this.onset = this.flipped() ? 0 : -1;
  }

  update(_env: Env, step: number): void {
    if (this.failedAt !== null) return;
    if (!this.flipped()) { this.onset = -1; return; }
    if (this.onset < 0) this.onset = step;
    if ((step - this.onset) * this.dt > this.confirmSeconds + 1e-9) this.failedAt = this.onset;
  }

  finish(): void {}

  /** The current torso angle (rad, wrapped). */
  angle(): number {
    return wrapAngle(this.world.qpos(this.qpos)[this.qposIndex]!);
  }

  private flipped(): boolean {
    return Math.abs(this.angle()) > this.limit;
  }
}

/**
 * Goal tasks (arm-reach, arm-push, door): fails when `info.isSuccess` is false at the last step
 * run, i.e. the goal is not reached at the end of the episode or of the window after the push.
 */
export class GoalDetector implements FailureDetector {
  readonly kind = 'goal';
  readonly confirmSeconds = 0;
  readonly description = 'the goal is not reached (info.isSuccess false) at the end of the window after the push';
  failedAt: number | null = null;
  private success = false;
  private last = 0;

  reset(): void {
    this.failedAt = null;
    this.success = false;
    this.last = 0;
  }

  update(env: Env, step: number, result: StepResult): void {
    this.success = result.info.isSuccess === true;
    this.last = step;
    if (result.terminated || result.truncated) this.finish();
  }

  /** Judges the last step seen. */
  finish(): void {
    if (this.failedAt === null && !this.success) this.failedAt = this.last;
  }
}

/** The simulation of a task and the qpos index of one of its joints, by name. */
function jointOf(env: Env, joint: string): { world: SimWorld; index: number } {
  const world = simOf(env);
  const j = world?.model.joints.find((x) => x.name === joint);
  if (!world || !j) throw new Error(`${env.spec.id}: no joint named '${joint}'`);
  return { world, index: j.qposAdr };
}

/**
 * The failure definition of a task: the quadruped by termination, the half-cheetah by being upside
 * down for over 1 s, goal tasks by not reaching the goal; any other task by its own termination.
 */
export function failureDetectorFor(env: Env): FailureDetector {
  const id = env.spec.id;
  if (id === 'half-cheetah') {
    const { world, index } = jointOf(env, 'rooty');
    return new FlippedDetector(world, index, env.spec.dt);
  }
  if (id === 'quadruped') return new TerminationDetector('the episode terminated: torso height outside [0.2, 1.0] m or torso upside down');
  if (env.spec.goal) return new GoalDetector();
  return new TerminationDetector();
}
