// Actuators and passive joint forces: implicit Rapier joint motors for servos/springs/damping, explicit torques for motors.
import type RAPIER from '@dimforge/rapier3d-compat';
import type { Model, ModelActuator } from './model.ts';
import type { JointPlan, Plan } from './plan.ts';
import type { JointReadout } from './joints.ts';
import { Q, STRIDE, W, rotateAt, type RigidState } from './state.ts';
import type { ForceSink } from './forces.ts';

/** A joint force the solver cannot take implicitly, added every Rapier step. */
interface ExplicitJoint {
  jp: JointPlan;
  motors: ModelActuator[];
  servos: ModelActuator[];
  actuatorIndex: Map<ModelActuator, number>;
}

/**
 * Hinge and slide joints that are Rapier impulse joints carry one force-based motor that sums
 * the joint's spring (stiffness toward springref), its damping and any position servos:
 * `τ = Σk·(target − q) − Σd·q̇`, integrated implicitly by Rapier as MuJoCo integrates damping.
 * `motor` actuators (`τ = gear · clip(ctrl)`) are applied as equal and opposite torques (or
 * forces at the anchor, for slides) on the two bodies, recomputed every Rapier step.
 */
export class Actuation {
  readonly ctrl: Float64Array;
  private readonly explicit: ExplicitJoint[] = [];
  private readonly implicit: { jp: JointPlan; servos: ModelActuator[]; handle: number }[] = [];
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
    plan.joints.forEach((jp, i) => {
      const acts = model.actuators.filter((a) => a.joint === jp.joint);
      const motors = acts.filter((a) => a.type === 'motor');
      const servos = acts.filter((a) => a.type === 'position');
      const handle = jointHandles[i]!;
      const joint = model.joints[jp.joint]!;
      if (handle >= 0 && jp.kind !== 'spherical') this.implicit.push({ jp, servos, handle });
      const passive = handle < 0 || jp.kind === 'spherical' ? joint.damping + joint.stiffness : 0;
      if (motors.length > 0 || passive > 0 || (handle < 0 && servos.length > 0)) {
        if (joint.type === 'free') throw new Error(`joint '${joint.name}': actuators, damping and stiffness on free joints are not supported`);
        const actuatorIndex = new Map(acts.map((a) => [a, model.actuators.indexOf(a)]));
        this.explicit.push({ jp, motors, servos: handle < 0 ? servos : [], actuatorIndex });
      }
    });
    this.needsState = this.explicit.some((e) => {
      const joint = model.joints[e.jp.joint]!;
      return joint.type !== 'hinge' || e.servos.length > 0 || joint.damping + joint.stiffness > 0;
    });
  }

  /** Sets the controls, clipped to each actuator's ctrlrange (as MuJoCo does). */
  setControl(ctrl: ArrayLike<number>): void {
    if (ctrl.length !== this.ctrl.length) throw new Error(`control has length ${ctrl.length}, the model has ${this.ctrl.length} actuators`);
    this.model.actuators.forEach((a, i) => {
      const u = ctrl[i]!;
      if (!Number.isFinite(u)) throw new Error(`control[${i}] (${a.name}) is not finite`);
      this.ctrl[i] = a.ctrlrange ? Math.min(a.ctrlrange[1], Math.max(a.ctrlrange[0], u)) : u;
    });
  }

  /**
   * Writes implicit joint motors' targets, stiffness and damping for the current controls: all
   * of them (`all`, after building or restoring), else only those driven by position servos.
   */
  configureMotors(R: typeof RAPIER, world: RAPIER.World, all = true): void {
    for (const { jp, servos, handle } of this.implicit) {
      if (!all && servos.length === 0) continue;
      const joint = this.model.joints[jp.joint]!;
      let k = joint.stiffness;
      let kTarget = joint.stiffness * (joint.springref - joint.ref);
      let d = joint.damping * this.dampingScale;
      let maxForce = Number.POSITIVE_INFINITY;
      for (const a of servos) {
        const i = this.model.actuators.indexOf(a);
        k += a.kp * a.gear * a.gear;
        kTarget += a.kp * a.gear * a.gear * (this.ctrl[i]! / a.gear - joint.ref);
        d += a.kv * a.gear * a.gear;
        if (a.forcerange) maxForce = Math.abs(a.gear) * Math.max(-a.forcerange[0], a.forcerange[1]);
      }
      if (k === 0 && d === 0) continue;
      const rj = world.getImpulseJoint(handle) as RAPIER.UnitImpulseJoint;
      rj.configureMotorModel(R.MotorModel.ForceBased);
      rj.configureMotor(k > 0 ? kTarget / k : 0, 0, k, d);
      if (Number.isFinite(maxForce)) rj.setMotorMaxForce(maxForce);
    }
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
      let tau = 0;
      for (const a of e.motors) tau += a.gear * this.clampForce(a, this.ctrl[e.actuatorIndex.get(a)!]!);
      if (this.needsState) tau += this.passiveAndServo(e, joint, readout);
      this.applyGeneralized(e.jp, joint.type === 'hinge', tau, bodies, state, readout, h);
    }
  }

  private passiveAndServo(e: ExplicitJoint, joint: Model['joints'][number], readout: JointReadout): number {
    if (joint.damping + joint.stiffness === 0 && e.servos.length === 0) return 0;
    const q = readout.value(e.jp);
    const qd = readout.velocity(e.jp);
    let tau = -joint.stiffness * (q - joint.springref) - joint.damping * this.dampingScale * qd;
    for (const a of e.servos) {
        const force = a.kp * (this.ctrl[e.actuatorIndex.get(a)!]! - a.gear * q) - a.kv * a.gear * qd;
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
