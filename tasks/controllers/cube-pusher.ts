// A scripted cube pusher for `arm-push`: moves behind the cube, lowers the closed fingers to cube height and pushes it onto the goal, from observations only.
import { sliceOf } from '../layout.ts';
import { ARM_PUSH_LAYOUT, PUSH_GOAL_Z } from '../arm-push.ts';

/** Tunables of the pusher (m; actions are arm-push's 4-D end-effector actions). */
export interface CubePusherOptions {
  /** Distance (m) behind the cube's centre, away from the goal, where the fingers are lowered. */
  behind: number;
  /** Grip height (m) while moving over to the start point: clears the 5 cm cube. */
  travelHeight: number;
  /** Grip height (m) while pushing: the cube's centre height, so the fingers meet its face. */
  pushHeight: number;
  /** Distance (m) from a waypoint at which the next phase starts. */
  tolerance: number;
  /** Grip displacement per unit action (m), as configured in the task (`eeStep`). */
  eeStep: number;
}

export const DEFAULT_CUBE_PUSHER: CubePusherOptions = {
  behind: 0.06, travelHeight: PUSH_GOAL_Z + 0.075, pushHeight: PUSH_GOAL_Z, tolerance: 0.015, eeStep: 0.05,
};

export type CubePusherPhase = 'over' | 'lower' | 'push';

const GRIP = sliceOf(ARM_PUSH_LAYOUT, 'grip_pos').start;
const CUBE = sliceOf(ARM_PUSH_LAYOUT, 'object_pos').start;

/**
 * Pushes the cube with the task's own actions: travels above the point `behind` the cube on the
 * goal–cube line, lowers the fingers there, then moves the grip by the cube's remaining error to
 * the goal each step, so the cube (ahead of the fingers) is driven onto the goal.
 */
export class CubePusher {
  phase: CubePusherPhase = 'over';
  readonly options: CubePusherOptions;
  private readonly target = new Float64Array(3);
  private readonly action = new Float32Array(4);

  constructor(options: Partial<CubePusherOptions> = {}) {
    this.options = { ...DEFAULT_CUBE_PUSHER, ...options };
  }

  /** Starts a new episode. */
  reset(): void {
    this.phase = 'over';
  }

  /** The action for the current observation (the returned array is reused by the next call). */
  act(obs: { observation: Float32Array; desired_goal: Float32Array }): Float32Array {
    const o = obs.observation, g = obs.desired_goal, opt = this.options, t = this.target;
    const ex = g[0]! - o[CUBE]!, ey = g[1]! - o[CUBE + 1]!;
    if (this.phase === 'push') {
      t[0] = o[GRIP]! + ex;
      t[1] = o[GRIP + 1]! + ey;
      t[2] = opt.pushHeight;
    } else {
      const d = Math.hypot(ex, ey) || 1;
      t[0] = o[CUBE]! - (ex / d) * opt.behind;
      t[1] = o[CUBE + 1]! - (ey / d) * opt.behind;
      t[2] = this.phase === 'over' ? opt.travelHeight : opt.pushHeight;
      const gap = this.phase === 'over' ? Math.hypot(t[0] - o[GRIP]!, t[1] - o[GRIP + 1]!) : Math.abs(t[2] - o[GRIP + 2]!);
      if (gap < opt.tolerance) this.phase = this.phase === 'over' ? 'lower' : 'push';
    }
    return this.toAction(o);
  }

  /** End-effector action toward the target, each component clipped to [−1, 1]; the gripper entry is unused (blocked). */
  private toAction(o: Float32Array): Float32Array {
    const a = this.action;
    for (let k = 0; k < 3; k++) a[k] = Math.max(-1, Math.min(1, (this.target[k]! - o[GRIP + k]!) / this.options.eeStep));
    a[3] = 0;
    return a;
  }
}
