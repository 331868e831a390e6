// Actuators and passive joint forces: Rapier joint motors where exact, explicit torques otherwise.
import type RAPIER from '@dimforge/rapier3d-compat';
import type { Model, ModelActuator, ModelJoint } from './model.ts';
import type { JointPlan, Plan } from './plan.ts';
import type { JointReadout } from './joints.ts';
import { Q, STRIDE, W, rotateAt, type RigidState } from './state.ts';
import type { ForceSink } from './forces.ts';

/** A joint force the solver cannot take implicitly, added every Rapier step. */
interface ExplicitJoint {
  jp: JointPlan;
  motors: ModelActuator[];
  servos: ModelActuator[];
}

/**
 * How a joint's `motor` actuators reach Rapier's force-based joint motor, whose force is
 * `k·(p₀ − p') + d·(v₀ − v')` at the end-of-step position and velocity (implicit):
 * `position` adds τ/k to the target p₀ (needs k > 0), `velocity` sets v₀ = τ/d (needs k = 0,
 * d > 0). Either way the motor then gives exactly spring + damping + τ.
 */
type Fold = 'position' | 'velocity' | null;

/** A Rapier impulse joint with a motor: springs, damping, servos and folded torques. */
interface MotorJoint {
  jp: JointPlan;
  servos: ModelActuator[];
  motors: ModelActuator[];
  fold: Fold;
  handle: number;
}

/** Keep folded hinge targets this far inside ±π of every reachable angle (Rapier wraps the error). */
const WRAP_MARGIN = 0.5;

/**
 * Hinge and slide joints that are Rapier impulse joints carry one force-based motor that sums
 * the joint's spring (stiffness toward springref), its damping and any position servos:
 * `τ = Σk·(target − q) − Σd·q̇`, integrated implicitly by Rapier as MuJoCo integrates damping.
 * `motor` actuators (`τ = gear · clip(ctrl)`) are folded into that motor's target when that is
 * exact (see `Fold`), so nothing runs in JS per Rapier step; otherwise (no spring or damping,
 * force-limited servos on the joint, multibody or ball joints) they are applied as equal and
 * opposite torques (forces at the anchor, for slides) on the two bodies every Rapier step.
 */
export class Actuation {
  readonly ctrl: Float64Array;
  private readonly explicit: ExplicitJoint[] = [];
  private readonly implicit: MotorJoint[] = [];
  private readonly actuatorIndex = new Map<ModelActuator, number>();
  private readonly axis = new Float64Array(6);
  private readonly point = { x: 0, y: 0, z: 0 };
  private readonly rot = { x: 0, y: 0, z: 0, w: 1 };
  private readonly rotData = new Float64Array(4);
  /** Multiplies every joint's damping (domain randomisation). */
  dampingScale = 1;
  /** True when some explicit force needs the full rigid state at every Rapier step. */
  readonly needsState: boolean;

  constructor(private readonly model: Model, plan: Plan, jointHandles: number[], private readonly sink: ForceSink) {
    this.ctrl = new Float64Array(model.actuators.length);
    model.actuators.forEach((a, i) => this.actuatorIndex.set(a, i));
    plan.joints.forEach((jp, i) => this.addJoint(jp, jointHandles[i]!, plan.warnings));
    this.needsState = this.explicit.some((e) => {
      const joint = model.joints[e.jp.joint]!;
      return joint.type !== 'hinge' || e.servos.length > 0 || joint.damping + joint.stiffness > 0;
    });
  }

  /** Sorts one joint's forces into its Rapier motor (`implicit`) and the per-step JS list (`explicit`). */
  private addJoint(jp: JointPlan, handle: number, warnings: string[]): void {
    const acts = this.model.actuators.filter((a) => a.joint === jp.joint);
    const motors = acts.filter((a) => a.type === 'motor');
    const servos = acts.filter((a) => a.type === 'position');
    const joint = this.model.joints[jp.joint]!;
    const implicit = handle >= 0 && jp.kind !== 'spherical';
    const fold = implicit ? foldOf(joint, motors, servos) : null;
    if (implicit) this.implicit.push({ jp, servos, motors: fold ? motors : [], fold, handle });
    const explicitMotors = fold ? [] : motors;
    if (implicit && explicitMotors.length > 0 && (joint.stiffness + joint.damping > 0 || servos.length > 0)) {
      warnings.push(`joint '${joint.name}': its motor torque is applied in JS beside the joint's Rapier motor, which then delivers only about half of it at equilibrium (docs/sim.md)`);
    }
    const passive = implicit ? 0 : joint.damping + joint.stiffness;
    if (explicitMotors.length > 0 || passive > 0 || (!implicit && servos.length > 0)) {
      if (joint.type === 'free') throw new Error(`joint '${joint.name}': actuators, damping and stiffness on free joints are not supported`);
      this.explicit.push({ jp, motors: explicitMotors, servos: implicit ? [] : servos });
    }
  }

  /** Sets the controls, clipped to each actuator's ctrlrange (as MuJoCo does). */
  setControl(ctrl: ArrayLike<number>): void {
    if (ctrl.length !== this.ctrl.length) throw new Error(`control has length ${ctrl.length}, the model has ${this.ctrl.length} actuators`);
    const acts = this.model.actuators;
    for (let i = 0; i < acts.length; i++) {
      const a = acts[i]!;
      const u = ctrl[i]!;
      if (!Number.isFinite(u)) throw new Error(`control[${i}] (${a.name}) is not finite`);
      this.ctrl[i] = a.ctrlrange ? Math.min(a.ctrlrange[1], Math.max(a.ctrlrange[0], u)) : u;
    }
  }

  /**
   * Writes implicit joint motors' targets, stiffness and damping for the current controls: all
   * of them (`all`, after building or restoring), else only those that depend on the controls.
   */
  configureMotors(R: typeof RAPIER, world: RAPIER.World, all = true): void {
    for (const m of this.implicit) {
      if (!all && m.servos.length === 0 && m.motors.length === 0) continue;
      const joint = this.model.joints[m.jp.joint]!;
      let k = joint.stiffness;
      let kTarget = joint.stiffness * (joint.springref - joint.ref);
      let d = joint.damping * this.dampingScale;
      let maxForce = Number.POSITIVE_INFINITY;
      for (const a of m.servos) {
        const i = this.actuatorIndex.get(a)!;
        k += a.kp * a.gear * a.gear;
        kTarget += a.kp * a.gear * a.gear * (this.ctrl[i]! / a.gear - joint.ref);
        d += a.kv * a.gear * a.gear;
        if (a.forcerange) maxForce = Math.abs(a.gear) * Math.max(-a.forcerange[0], a.forcerange[1]);
      }
      if (k === 0 && d === 0) continue;
      const tau = this.motorTorque(m.motors);
      const rj = world.getImpulseJoint(m.handle) as RAPIER.UnitImpulseJoint;
      if (all) rj.configureMotorModel(R.MotorModel.ForceBased);
      const target = k > 0 ? (kTarget + (m.fold === 'position' ? tau : 0)) / k : 0;
      rj.configureMotor(target, m.fold === 'velocity' ? tau / d : 0, k, d);
      if (all && Number.isFinite(maxForce)) rj.setMotorMaxForce(maxForce);
    }
  }

  /** Total generalized force (N·m or N) of `motor` actuators at the current controls. */
  private motorTorque(motors: ModelActuator[]): number {
    let tau = 0;
    for (const a of motors) tau += a.gear * this.clampForce(a, this.ctrl[this.actuatorIndex.get(a)!]!);
    return tau;
  }

  /**
   * Applies the explicit joint forces for one Rapier step of `h` seconds through the force sink.
   * `state` must be current when `needsState` is true; otherwise only parent rotations are read.
   */
  apply(bodies: RAPIER.RigidBody[], state: RigidState, readout: JointReadout, h: number): void {
    for (const e of this.explicit) {
      const joint = this.model.joints[e.jp.joint]!;
      if (joint.type === 'ball') {
        this.applyBallDamping(e.jp, joint.damping * this.dampingScale, bodies, state, h);
        continue;
      }
      let tau = this.motorTorque(e.motors);
      if (this.needsState) tau += this.passiveAndServo(e, joint, readout);
      this.applyGeneralized(e.jp, joint.type === 'hinge', tau, bodies, state, readout, h);
    }
  }

  private passiveAndServo(e: ExplicitJoint, joint: ModelJoint, readout: JointReadout): number {
    if (joint.damping + joint.stiffness === 0 && e.servos.length === 0) return 0;
    const q = readout.value(e.jp);
    const qd = readout.velocity(e.jp);
    let tau = -joint.stiffness * (q - joint.springref) - joint.damping * this.dampingScale * qd;
    for (const a of e.servos) {
      const force = a.kp * (this.ctrl[this.actuatorIndex.get(a)!]! - a.gear * q) - a.kv * a.gear * qd;
      tau += a.gear * this.clampForce(a, force);
    }
    return tau;
  }

  private clampForce(a: ModelActuator, f: number): number {
    return a.forcerange ? Math.min(a.forcerange[1], Math.max(a.forcerange[0], f)) : f;
  }

  /** Equal and opposite generalized force `tau` (N·m or N) on the joint's two bodies for `h` seconds. */
  private applyGeneralized(jp: JointPlan, hinge: boolean, tau: number, bodies: RAPIER.RigidBody[], state: RigidState, readout: JointReadout, h: number): void {
    const child = bodies[jp.childRigid]!;
    const parent = bodies[jp.parentRigid]!;
    const parentMoves = parent.isDynamic();
    this.parentAxis(jp, parent, parentMoves, state);
    const x = tau * this.axis[0]!, y = tau * this.axis[1]!, z = tau * this.axis[2]!;
    if (hinge) {
      this.sink.torque(child, x, y, z, h);
      if (parentMoves) this.sink.torque(parent, -x, -y, -z, h);
      return;
    }
    readout.anchorOf(jp, this.axis, 3);
    const p = this.point;
    p.x = this.axis[3]!; p.y = this.axis[4]!; p.z = this.axis[5]!;
    this.sink.forceAt(child, x, y, z, p, h);
    if (parentMoves) this.sink.forceAt(parent, -x, -y, -z, p, h);
  }

  /** The joint axis in world coordinates now, into `axis[0..3]`; reads the parent's rotation from Rapier. */
  private parentAxis(jp: JointPlan, parent: RAPIER.RigidBody, parentMoves: boolean, state: RigidState): void {
    if (!parentMoves) {
      rotateAt(state.data, jp.parentRigid * STRIDE + Q, jp.axis[0], jp.axis[1], jp.axis[2], this.axis, 0);
      return;
    }
    parent.rotation(this.rot);
    const r = this.rotData;
    r[0] = this.rot.w; r[1] = this.rot.x; r[2] = this.rot.y; r[3] = this.rot.z;
    rotateAt(r, 0, jp.axis[0], jp.axis[1], jp.axis[2], this.axis, 0);
  }

  /** Damping torque `−d·(ω_child − ω_parent)` on a ball joint for `h` seconds. */
  private applyBallDamping(jp: JointPlan, damping: number, bodies: RAPIER.RigidBody[], state: RigidState, h: number): void {
    const d = state.data;
    const c = jp.childRigid * STRIDE + W;
    const p = jp.parentRigid * STRIDE + W;
    const x = -damping * (d[c]! - d[p]!), y = -damping * (d[c + 1]! - d[p + 1]!), z = -damping * (d[c + 2]! - d[p + 2]!);
    this.sink.torque(bodies[jp.childRigid]!, x, y, z, h);
    const parent = bodies[jp.parentRigid]!;
    if (parent.isDynamic()) this.sink.torque(parent, -x, -y, -z, h);
  }
}

/**
 * Whether a joint's `motor` actuators can ride in its Rapier motor exactly (see `Fold`). Not
 * when force-limited servos share the joint (their limit would clamp the torque too) or when
 * the joint has neither stiffness nor damping. A hinge's folded target must stay within π of
 * every angle the joint can reach, because Rapier wraps the position error into [−π, π].
 */
function foldOf(joint: ModelJoint, motors: ModelActuator[], servos: ModelActuator[]): Fold {
  if (motors.length === 0 || servos.length > 0) return null;
  const k = joint.stiffness;
  if (k === 0) return joint.damping > 0 && (joint.type === 'hinge' || joint.range === null) ? 'velocity' : null;
  if (joint.type !== 'hinge') return 'position';
  let tauMax = 0;
  for (const a of motors) {
    const u = Math.max(...(a.ctrlrange ?? [-Infinity, Infinity]).map(Math.abs));
    const f = a.forcerange ? Math.min(u, Math.max(...a.forcerange.map(Math.abs))) : u;
    tauMax += Math.abs(a.gear) * f;
  }
  if (!joint.range || !Number.isFinite(tauMax)) return null;
  const spring = joint.springref - joint.ref;
  const lo = joint.range[0] - joint.ref, hi = joint.range[1] - joint.ref;
  const reach = Math.max(hi - (spring - tauMax / k), spring + tauMax / k - lo);
  return reach < Math.PI - WRAP_MARGIN ? 'position' : null;
}
