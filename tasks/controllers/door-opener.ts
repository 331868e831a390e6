// A scripted door opener for the `door` task: pulls the handle bar open, then pushes the panel round from behind, from observations only.
import type { Vec3 } from '../../sim/math.ts';
import { sliceOf } from '../layout.ts';
import { DOOR_GRASP_HEIGHT, DOOR_HINGE, DOOR_LAYOUT, DOOR_TOP, DOOR_WIDTH } from '../door.ts';

/** Tunables of the door opener (m, rad; actions are the door task's 4-D end-effector actions). */
export interface DoorOpenerOptions {
  /** A point on the hinge line (m, world); the default is the cabinet's. */
  hinge: Vec3;
  /** Grip height above the handle centre when grasping (m): the fingers straddle the bar's top 5 cm and the hand clears it. */
  graspHeight: number;
  /** Extra height of the approach point above the grasp point (m). */
  approachHeight: number;
  /** Steps spent closing the fingers on the bar. */
  closeSteps: number;
  /** How far ahead of the grip (rad about the hinge) each pull or push step aims. */
  lead: number;
  /** Largest action norm while pulling or pushing (0–1): a friction grasp slips if the door is yanked. */
  speed: number;
  /**
   * Door angle (rad) at which the bar is let go and the panel is pushed from behind instead. The
   * hand keeps a fixed orientation, so from about 0.5 rad its side meets the door face and levers
   * the fingers off the bar.
   */
  releaseAngle: number;
  /** Distance from the hinge along the panel (m) of the push point near the free edge. */
  pushRadius: number;
  /**
   * Grip height while pushing (m): the fingertips overlap the panel's top 3.4 cm and the hand, which
   * starts 4.5 cm above the grip and is 18 cm long, clears the top edge by 2 cm.
   */
  pushHeight: number;
  /** Clearance of the grip above the door top (m) while moving over the panel. */
  overClearance: number;
  /** Angle (rad) before the target over which pulling and pushing slow down. */
  slowZone: number;
  /**
   * Seconds the door is expected to coast after contact ends (its inertia over its damping, about
   * 0.3 s for the cabinet): pushing stops once angle + velocity · coastTime reaches the target. (A
   * pulled door is held by the grasp and stops at the target.)
   */
  coastTime: number;
  /** Stop at this door angle (rad); by default the observed desired goal. */
  targetAngle?: number;
  /** Grip displacement per unit action (m), as configured in the task (`eeStep`). */
  eeStep: number;
}

export const DEFAULT_DOOR_OPENER: DoorOpenerOptions = {
  hinge: DOOR_HINGE, graspHeight: DOOR_GRASP_HEIGHT, approachHeight: 0.1, closeSteps: 5, lead: 0.2, speed: 0.5,
  releaseAngle: 0.45, pushRadius: DOOR_WIDTH - 0.04, pushHeight: DOOR_TOP - 0.025, overClearance: 0.025, slowZone: 0.6, coastTime: 0.3, eeStep: 0.05,
};

export type DoorOpenerPhase = 'approach' | 'descend' | 'close' | 'pull' | 'lift' | 'over' | 'lower' | 'push' | 'hold';

const GRIP = sliceOf(DOOR_LAYOUT, 'grip_pos').start;
const ANGLE = sliceOf(DOOR_LAYOUT, 'door_angle').start;
const VELOCITY = sliceOf(DOOR_LAYOUT, 'door_vel').start;
const HANDLE = sliceOf(DOOR_LAYOUT, 'handle_pos').start;
/**
 * How far behind the panel's front face the grip is lowered (m): panel 2 cm, closed finger block
 * up to 2.1 cm deep, and 2.4 cm of margin. With 1.2 cm the lowering fingers triggered a Rapier
 * speculative contact that kicked the door open by 0.4 rad; 8 cm puts the point out of reach.
 */
const BEHIND = 0.065;
/** Action norm while lowering behind the panel (a slow descent keeps the hand off the top edge). */
const LOWER_SPEED = 0.2;

/**
 * Opens the door with the task's own actions: moves above the handle with the fingers open,
 * lowers them around the bar's top, closes them and pulls the bar round the hinge; past
 * `releaseAngle` it lets go, lifts over the door top, drops behind the panel near its free edge and
 * pushes it round, slowing down near the target angle, then holds still.
 */
export class DoorOpener {
  phase: DoorOpenerPhase = 'approach';
  readonly options: DoorOpenerOptions;
  private closing = 0;
  private readonly target = new Float64Array(3);
  private readonly action = new Float32Array(4);

  constructor(options: Partial<DoorOpenerOptions> = {}) {
    this.options = { ...DEFAULT_DOOR_OPENER, ...options };
  }

  /** Starts a new episode. */
  reset(): void {
    this.phase = 'approach';
    this.closing = 0;
  }

  /** The action for the current observation (the returned array is reused by the next call). */
  act(obs: { observation: Float32Array; desired_goal: Float32Array }): Float32Array {
    const o = obs.observation, opt = this.options;
    const goal = opt.targetAngle ?? obs.desired_goal[0]!;
    const angle = o[ANGLE]!;
    const coasted = angle + o[VELOCITY]! * opt.coastTime;
    if ((this.phase === 'pull' && angle >= goal) || (this.phase === 'push' && coasted >= goal)) this.phase = 'hold';
    if (this.phase === 'pull' && angle >= opt.releaseAngle) this.phase = 'lift';
    switch (this.phase) {
      case 'approach': case 'descend': return this.grasp(o);
      case 'close':
        this.holdStill(o);
        if (++this.closing >= opt.closeSteps) this.phase = 'pull';
        return this.toAction(o, -1, 1);
      case 'pull':
        this.aimAhead(o, o[HANDLE + 2]! + opt.graspHeight);
        return this.toAction(o, -1, this.slowed(goal - angle));
      case 'lift': case 'over': case 'lower': return this.goBehind(o, angle);
      case 'push':
        this.aimAhead(o, opt.pushHeight);
        return this.toAction(o, -1, this.slowed(goal - angle));
      default:
        this.holdStill(o);
        return this.toAction(o, -1, 1);
    }
  }

  /** Approach and descend: above the handle with the fingers open, then down around the bar. */
  private grasp(o: Float32Array): Float32Array {
    const t = this.target, opt = this.options, approach = this.phase === 'approach';
    for (let k = 0; k < 3; k++) t[k] = o[HANDLE + k]!;
    t[2] = t[2]! + opt.graspHeight + (approach ? opt.approachHeight : 0);
    if (this.gap(o) < (approach ? 0.015 : 0.008)) this.phase = approach ? 'descend' : 'close';
    return this.toAction(o, 1, 1);
  }

  /** Lift over the door top, move above the push point behind the panel, lower onto it. */
  private goBehind(o: Float32Array, angle: number): Float32Array {
    const t = this.target, opt = this.options;
    const over = DOOR_TOP + opt.overClearance;
    if (this.phase === 'lift') {
      for (let k = 0; k < 2; k++) t[k] = o[GRIP + k]!;
      t[2] = over;
      if (this.gap(o) < 0.02) this.phase = 'over';
    } else {
      this.doorPoint(opt.pushRadius, -BEHIND, angle);
      t[2] = this.phase === 'over' ? over : opt.pushHeight;
      if (this.gap(o) < 0.015) this.phase = this.phase === 'over' ? 'lower' : 'push';
    }
    return this.toAction(o, this.phase === 'lift' ? 1 : -1, this.phase === 'lower' ? LOWER_SPEED : 1);
  }

  /** Target = the point `u` along the panel from the hinge and `v` in front of its front face (m), at door angle `angle`. */
  private doorPoint(u: number, v: number, angle: number): void {
    const h = this.options.hinge, c = Math.cos(angle), s = Math.sin(angle);
    this.target[0] = h[0] - u * s - v * c;
    this.target[1] = h[1] + u * c - v * s;
  }

  /** Pull or push target: the grip turned `lead` further about the hinge, at its current radius, at height `z`. */
  private aimAhead(o: Float32Array, z: number): void {
    const h = this.options.hinge, t = this.target;
    const rx = o[GRIP]! - h[0], ry = o[GRIP + 1]! - h[1];
    const c = Math.cos(this.options.lead), s = Math.sin(this.options.lead);
    t[0] = h[0] + c * rx - s * ry;
    t[1] = h[1] + s * rx + c * ry;
    t[2] = z;
  }

  private holdStill(o: Float32Array): void {
    for (let k = 0; k < 3; k++) this.target[k] = o[GRIP + k]!;
  }

  /** Speed cap for the remaining angle (rad): full speed outside `slowZone`, down to a tenth at the target. */
  private slowed(remaining: number): number {
    const f = Math.min(1, Math.max(0.1, remaining / this.options.slowZone));
    return this.options.speed * f;
  }

  /** Distance (m) from the grip to the target. */
  private gap(o: Float32Array): number {
    const t = this.target;
    return Math.hypot(t[0]! - o[GRIP]!, t[1]! - o[GRIP + 1]!, t[2]! - o[GRIP + 2]!);
  }

  /** End-effector action toward the target, its norm capped at `speed`, with the finger command. */
  private toAction(o: Float32Array, fingers: number, speed: number): Float32Array {
    const a = this.action;
    let norm = 0;
    for (let k = 0; k < 3; k++) {
      a[k] = Math.max(-1, Math.min(1, (this.target[k]! - o[GRIP + k]!) / this.options.eeStep));
      norm += a[k]! * a[k]!;
    }
    norm = Math.sqrt(norm);
    if (norm > speed) for (let k = 0; k < 3; k++) a[k] = (a[k]! * speed) / norm;
    a[3] = fingers;
    return a;
  }
}
