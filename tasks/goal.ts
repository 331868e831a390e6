// Goal-settable envs: goal tasks whose desired goal can be moved mid-episode (the viewer's goal marker and door angle).
import type { Env } from './env.ts';

/** A goal task whose desired goal can be set from outside (the viewer, scripted controllers, tests). */
export interface GoalSettable {
  /**
   * Replaces the desired goal (`spec.goal.goalDim` values, in goal units). Throws on a wrong length
   * or a non-finite value; clamps each value into `goalBounds`. The env's observation arrays are
   * updated in place, so `desired_goal` shows the new goal at once, and the next step is scored
   * against it.
   */
  setGoal(goal: ArrayLike<number>): void;
  /** The box the task samples goals from and clamps set goals into (goal units). */
  readonly goalBounds: { low: Float32Array; high: Float32Array };
}

/** True for envs with goal functions and a `setGoal` method (every built-in goal task). */
export function isGoalSettable<E extends Env>(env: E): env is E & GoalSettable {
  const candidate = env as E & Partial<GoalSettable>;
  return env.spec.goal !== undefined && typeof candidate.setGoal === 'function' && candidate.goalBounds !== undefined;
}
