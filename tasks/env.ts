// The environment contract (Gymnasium-style): what agents, vector envs, the viewer and the CLI rely on.
import type { BoxSpace, Space } from './spaces.ts';
import type { ObsLayout } from './layout.ts';
import type { RewardTerm } from './reward.ts';

/** A flat observation, or a dict of them for goal tasks (`observation`, `achieved_goal`, `desired_goal`). */
export type Observation = Float32Array | Record<string, Float32Array>;

export interface ResetOptions {
  seed?: number;
  options?: Record<string, unknown>;
}

/** A push applied during an episode, as recorded in `info.pushes` (enough to replay it exactly). */
export interface PushRecord {
  /** Environment step at which it was applied (0 = before the first step). */
  step: number;
  body: string;
  /** World point (m); omitted = the body's centre of mass. */
  point?: [number, number, number];
  force?: [number, number, number];
  impulse?: [number, number, number];
  /** Seconds a force is held. */
  duration?: number;
  /** A drag event (see `drag` in push.ts): spring target (m, world; null = release) and natural frequency (Hz). */
  drag?: { target: [number, number, number] | null; hz: number };
}

export interface StepInfo {
  /** Weighted reward terms; they sum to the reward. */
  rewardTerms: Record<string, number>;
  /** Pushes applied during this step (or before the first step, at reset). */
  pushes: PushRecord[];
  isSuccess?: boolean;
  [key: string]: unknown;
}

export interface StepResult<O extends Observation = Observation> {
  obs: O;
  reward: number;
  /** The episode truly ended (the task's own end condition); do not bootstrap. */
  terminated: boolean;
  /** The episode was cut by the time limit; bootstrap from `obs`. */
  truncated: boolean;
  info: StepInfo;
}

/**
 * Batched, pure goal functions for hindsight relabelling: rows of `goalDim` values, row-major.
 * `out` decides the number of rows.
 */
export interface GoalFunctions {
  goalDim: number;
  computeReward(achieved: Float32Array, desired: Float32Array, out: Float32Array): Float32Array;
  isSuccess(achieved: Float32Array, desired: Float32Array, out: Uint8Array): Uint8Array;
}

export interface EnvSpec {
  id: string;
  /** Seconds of simulated time per `step`. */
  dt: number;
  maxEpisodeSteps: number;
  observationSpace: Space;
  actionSpace: BoxSpace;
  /** Layout of each observation array (key `observation` for flat observations). */
  obsLayout: Record<string, ObsLayout>;
  rewardTerms: RewardTerm[];
  goal?: GoalFunctions;
  /**
   * Steps of an underlying env that one `step` runs (a hierarchical controller's skill choice runs
   * K base steps); absent = 1. Runs record it, and learning curves and reports count base steps.
   */
  baseStepsPerStep?: number;
}

/**
 * An environment. Observation arrays returned by `reset` and `step` belong to the env and are
 * overwritten by the next call (no allocation per step): copy what you keep.
 */
export interface Env<O extends Observation = Observation> {
  readonly spec: EnvSpec;
  reset(opts?: ResetOptions): { obs: O; info: StepInfo };
  step(action: ArrayLike<number>): StepResult<O>;
  close(): void;
}
