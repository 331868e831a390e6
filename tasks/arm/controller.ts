// The arm's control layer: damped-least-squares IK for end-effector steps, joint-delta mode, gravity-compensated servo targets, fingers.
import type { Model } from '../../sim/model.ts';
import { indexOf } from '../../sim/model.ts';
import { referenceQpos } from '../../sim/kinematics.ts';
import type { SimWorld } from '../../sim/world.ts';
import { ArmChain } from './kinematics.ts';

/** Settings of the inverse-kinematics solve (all in SI units). */
export interface IkSettings {
  /** Gauss–Newton iterations per solve. */
  iterations: number;
  /** Damping λ of the least-squares solve (m); larger is steadier near singularities. */
  damping: number;
  /** Weight of the orientation error (m per rad) against the position error. */
  orientationWeight: number;
  /** Gain of the null-space pull toward the rest posture, per iteration (0–1). */
  postureGain: number;
  /** Largest joint change per iteration (rad). */
  maxStep: number;
}

export const DEFAULT_IK: IkSettings = { iterations: 6, damping: 0.03, orientationWeight: 0.5, postureGain: 0.1, maxStep: 0.3 };

/**
 * Position IK for the grip site with a fixed hand orientation (the one at the rest pose: pointing
 * down, fingers closing along world y) and a null-space posture term toward the rest pose. Solves
 * damped least squares on the 6 × 7 site Jacobian: dq = Jᵀ(JJᵀ + λ²I)⁻¹(e − Jz) + z, z = k(q_rest − q).
 */
export class ArmIk {
  readonly chain: ArmChain;
  /** Posture (rad) the null-space term pulls toward: the model's reference pose unless set. */
  readonly rest: Float64Array;
  /** Target hand rotation (row-major, world): the one at the rest posture. */
  readonly targetRot = new Float64Array(9);
  private readonly J: Float64Array;
  private readonly M = new Float64Array(36);
  private readonly e = new Float64Array(6);
  private readonly z: Float64Array;
  private readonly dq: Float64Array;
  private readonly waypoint = new Float64Array(3);
  private readonly settings: IkSettings;

  constructor(model: Model, site = 'grip', settings: Partial<IkSettings> = {}) {
    this.settings = { ...DEFAULT_IK, ...settings };
    this.chain = new ArmChain(model, site);
    this.rest = this.chain.readJoints(referenceQpos(model), new Float64Array(this.chain.dof));
    this.chain.forward(this.rest);
    this.targetRot.set(this.chain.siteRot);
    this.J = new Float64Array(6 * this.chain.dof);
    this.z = new Float64Array(this.chain.dof);
    this.dq = new Float64Array(this.chain.dof);
  }

  /**
   * Joint angles (rad) that put the site at `target` (m, world) with the target orientation,
   * starting from `seed`; written to `out` (may alias `seed`), clipped to the joint ranges.
   * Returns the remaining position error (m).
   */
  solve(seed: ArrayLike<number>, target: ArrayLike<number>, out: Float64Array): number {
    const c = this.chain;
    for (let i = 0; i < c.dof; i++) out[i] = seed[i]!;
    for (let it = 0; it < this.settings.iterations; it++) {
      c.forward(out);
      this.error(target);
      this.step(out, it < this.settings.iterations - 1 ? this.settings.postureGain : 0);
    }
    c.forward(out);
    return Math.hypot(target[0]! - c.sitePos[0]!, target[1]! - c.sitePos[1]!, target[2]! - c.sitePos[2]!);
  }

  /**
   * Like `solve` for a far target: walks the site toward `target` in straight-line increments of
   * at most `stride` (m), solving at each, so the posture stays continuous. Returns the final error (m).
   */
  reach(seed: ArrayLike<number>, target: ArrayLike<number>, out: Float64Array, stride = 0.05, maxWalk = 60): number {
    const c = this.chain, p = this.waypoint;
    for (let i = 0; i < c.dof; i++) out[i] = seed[i]!;
    let err = Infinity;
    for (let s = 0; s < maxWalk && err > 1e-4; s++) {
      c.forward(out);
      const d = Math.hypot(target[0]! - c.sitePos[0]!, target[1]! - c.sitePos[1]!, target[2]! - c.sitePos[2]!);
      const k = Math.min(1, stride / Math.max(d, 1e-12));
      for (let i = 0; i < 3; i++) p[i] = c.sitePos[i]! + k * (target[i]! - c.sitePos[i]!);
      err = this.solve(out, k === 1 ? target : p, out);
      if (k < 1) err = Infinity;
    }
    return err;
  }

  /** Fills `e` with the weighted 6-D error at the last forward kinematics. */
  private error(target: ArrayLike<number>): void {
    const s = this.chain.sitePos, R = this.chain.siteRot, D = this.targetRot, w = 0.5 * this.settings.orientationWeight;
    for (let k = 0; k < 3; k++) this.e[k] = target[k]! - s[k]!;
    this.e[3] = 0; this.e[4] = 0; this.e[5] = 0;
    for (let col = 0; col < 3; col++) {
      const ax = R[col]!, ay = R[3 + col]!, az = R[6 + col]!;
      const bx = D[col]!, by = D[3 + col]!, bz = D[6 + col]!;
      this.e[3] = this.e[3]! + w * (ay * bz - az * by);
      this.e[4] = this.e[4]! + w * (az * bx - ax * bz);
      this.e[5] = this.e[5]! + w * (ax * by - ay * bx);
    }
  }

  /** One damped least-squares update of `q` in place, with null-space posture gain `k`. */
  private step(q: Float64Array, k: number): void {
    const n = this.chain.dof, J = this.chain.jacobian(this.J), M = this.M, e = this.e, z = this.z, dq = this.dq;
    const w = this.settings.orientationWeight, lambda2 = this.settings.damping ** 2;
    for (let k = 3 * n; k < 6 * n; k++) J[k] = J[k]! * w;
    for (let j = 0; j < n; j++) z[j] = k * (this.rest[j]! - q[j]!);
    for (let r = 0; r < 6; r++) {
      let jz = 0;
      for (let j = 0; j < n; j++) jz += J[r * n + j]! * z[j]!;
      e[r] = e[r]! - jz;
      for (let s = 0; s <= r; s++) {
        let v = 0;
        for (let j = 0; j < n; j++) v += J[r * n + j]! * J[s * n + j]!;
        M[r * 6 + s] = v + (r === s ? lambda2 : 0);
      }
    }
    choleskySolve6(M, e);
    let largest = 0;
    for (let j = 0; j < n; j++) {
      let v = z[j]!;
      for (let r = 0; r < 6; r++) v += J[r * n + j]! * e[r]!;
      dq[j] = v;
      largest = Math.max(largest, Math.abs(v));
    }
    const scale = largest > this.settings.maxStep ? this.settings.maxStep / largest : 1;
    for (let j = 0; j < n; j++) q[j] = Math.min(this.chain.upper[j]!, Math.max(this.chain.lower[j]!, q[j]! + scale * dq[j]!));
  }
}

/** Solves M x = b in place (b ← x) for a symmetric positive definite 6 × 6 M given by its lower triangle (overwritten). */
function choleskySolve6(M: Float64Array, b: Float64Array): void {
  for (let j = 0; j < 6; j++) {
    let d = M[j * 6 + j]!;
    for (let k = 0; k < j; k++) d -= M[j * 6 + k]! ** 2;
    const l = Math.sqrt(Math.max(d, 1e-12));
    M[j * 6 + j] = l;
    for (let i = j + 1; i < 6; i++) {
      let v = M[i * 6 + j]!;
      for (let k = 0; k < j; k++) v -= M[i * 6 + k]! * M[j * 6 + k]!;
      M[i * 6 + j] = v / l;
    }
  }
  for (let i = 0; i < 6; i++) {
    let v = b[i]!;
    for (let k = 0; k < i; k++) v -= M[i * 6 + k]! * b[k]!;
    b[i] = v / M[i * 6 + i]!;
  }
  for (let i = 5; i >= 0; i--) {
    let v = b[i]!;
    for (let k = i + 1; k < 6; k++) v -= M[k * 6 + i]! * b[k]!;
    b[i] = v / M[i * 6 + i]!;
  }
}

/** How actions drive the arm. */
export interface ArmControlOptions {
  /** 'ee': 4-D (dx, dy, dz, gripper); 'joint': 8-D (7 joint-target deltas, gripper). */
  mode: 'ee' | 'joint';
  /** Grip displacement per step for a unit action (m), world frame. */
  eeStep: number;
  /** Joint-target change per step for a unit action (rad). */
  jointStep: number;
  /** Keep the fingers closed and ignore the gripper action (as Fetch does for reach and push). */
  blockGripper: boolean;
  /** How far (m) the previous target may be from the grip and still be the reference of the next step. */
  holdRadius: number;
  /** Box (m, world) the grip target is clipped to: [xmin, ymin, zmin], [xmax, ymax, zmax]. */
  workspace: { low: [number, number, number]; high: [number, number, number] };
}

/** Finger opening range (m per finger): 0 closed, 0.04 fully open. */
export const FINGER_MAX = 0.04;

/**
 * Turns task actions into the arm's 9 servo controls. Joint servos receive the IK (or joint-delta)
 * setpoint plus gravity compensation, `ctrl = gear·q* − τ_g(q*)/(gear·kp)`, so the arm holds its setpoints
 * instead of sagging; finger servos receive the opening `FINGER_MAX · (a + 1)/2`.
 */
export class ArmController {
  readonly ik: ArmIk;
  /** Current joint setpoint (rad), the kinematic target before gravity compensation. */
  readonly setpoint: Float64Array;
  /** Grip target of the last end-effector action (m, world). */
  readonly target = new Float64Array(3);
  private readonly servo: number[];
  private readonly kp: number[];
  private readonly gear: number[];
  private readonly fingers: number[];
  private readonly gripSite: number;
  private readonly ctrl: Float64Array;
  private readonly q: Float64Array;
  private readonly qpos: Float64Array;
  private readonly grip = new Float64Array(3);
  private readonly tau: Float64Array;

  constructor(model: Model, readonly options: ArmControlOptions) {
    this.ik = new ArmIk(model);
    const chain = this.ik.chain;
    this.servo = chain.joints.map((j) => actuatorOf(model, j));
    this.kp = this.servo.map((a) => model.actuators[a]!.kp);
    this.gear = this.servo.map((a) => model.actuators[a]!.gear);
    this.fingers = ['finger_left', 'finger_right'].map((name) => actuatorOf(model, indexOf(model.joints, name, 'joint')));
    this.gripSite = indexOf(model.sites, 'grip', 'site');
    this.ctrl = new Float64Array(model.actuators.length);
    this.setpoint = new Float64Array(chain.dof);
    this.q = new Float64Array(chain.dof);
    this.qpos = new Float64Array(model.nq);
    this.tau = new Float64Array(chain.dof);
  }

  /** Number of action values for the configured mode. */
  get actionSize(): number {
    return this.options.mode === 'ee' ? 4 : this.ik.chain.dof + 1;
  }

  /** Holds the arm where it is now with the fingers at `opening` (m); call after posing the world. */
  reset(world: SimWorld, opening: number): void {
    this.ik.chain.readJoints(world.qpos(this.qpos), this.setpoint);
    world.sitePos(this.gripSite, this.target);
    this.send(world, this.options.blockGripper ? 0 : opening);
  }

  /** Applies one validated action (see `options.mode`) as servo controls. */
  apply(world: SimWorld, action: ArrayLike<number>): void {
    const chain = this.ik.chain;
    if (this.options.mode === 'joint') {
      for (let j = 0; j < chain.dof; j++) {
        this.setpoint[j] = Math.min(chain.upper[j]!, Math.max(chain.lower[j]!, this.setpoint[j]! + this.options.jointStep * action[j]!));
      }
    } else {
      this.moveGrip(world, action);
    }
    const g = action[this.actionSize - 1]!;
    this.send(world, this.options.blockGripper ? 0 : (FINGER_MAX * (g + 1)) / 2);
  }

  /**
   * End-effector mode: grip target = reference + eeStep · a, clipped to the workspace, solved by IK
   * from the current joints. The reference is the current grip moved toward the previous target by
   * at most `holdRadius`: in motion it is the grip itself, at rest it is the previous target, so
   * the servos' small static error (~0.5 mm) does not accumulate into a drift.
   */
  private moveGrip(world: SimWorld, action: ArrayLike<number>): void {
    const { low, high } = this.options.workspace;
    const g = world.sitePos(this.gripSite, this.grip), t = this.target;
    const gap = Math.hypot(t[0]! - g[0]!, t[1]! - g[1]!, t[2]! - g[2]!);
    const keep = gap > this.options.holdRadius ? this.options.holdRadius / gap : 1;
    for (let k = 0; k < 3; k++) {
      const ref = g[k]! + keep * (t[k]! - g[k]!);
      t[k] = Math.min(high[k]!, Math.max(low[k]!, ref + this.options.eeStep * action[k]!));
    }
    this.ik.chain.readJoints(world.qpos(this.qpos), this.q);
    this.ik.solve(this.q, t, this.setpoint);
  }

  /** Sends the setpoint with gravity compensation, and the finger opening (m). */
  private send(world: SimWorld, opening: number): void {
    const chain = this.ik.chain;
    chain.forward(this.setpoint);
    chain.gravityTorques(world.model.option.gravity, this.tau);
    for (let j = 0; j < chain.dof; j++) {
      const gear = this.gear[j]!;
      this.ctrl[this.servo[j]!] = gear * this.setpoint[j]! - this.tau[j]! / (gear * this.kp[j]!);
    }
    for (const f of this.fingers) this.ctrl[f] = opening;
    world.setControl(this.ctrl);
  }
}

/** Index of the position servo driving joint `j`. */
function actuatorOf(model: Model, j: number): number {
  const a = model.actuators.findIndex((act) => act.joint === j && act.type === 'position');
  if (a < 0) throw new Error(`no position servo drives joint '${model.joints[j]!.name}'`);
  return a;
}
