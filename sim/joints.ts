// Joint readout (MuJoCo qpos/qvel layout) computed from Rapier body states: angles from relative rotations.
import type { Model, ModelJoint } from './model.ts';
import type { JointPlan, Plan } from './plan.ts';
import { C, P, Q, STRIDE, V, W, rotateAt, unrotateAt, type RigidState } from './state.ts';

const TWO_PI = 2 * Math.PI;

function wrapToPi(a: number): number {
  return a - TWO_PI * Math.floor((a + Math.PI) / TWO_PI);
}

/**
 * Reads joint coordinates from the rigid-state cache without allocating.
 * Hinge angles are unwrapped across steps (`track`), so a joint that turns twice reads ≈ 4π.
 */
export class JointReadout {
  /** Last tracked hinge value per joint (unwrapped), NaN for non-hinges. */
  readonly hinge: Float64Array;
  private readonly tmp = new Float64Array(12);

  constructor(private readonly model: Model, private readonly plan: Plan, private readonly state: RigidState) {
    this.hinge = new Float64Array(model.joints.length).fill(Number.NaN);
    for (const jp of plan.joints) if (model.joints[jp.joint]!.type === 'hinge') this.hinge[jp.joint] = model.joints[jp.joint]!.ref;
  }

  /** Updates the unwrapped hinge angles; call after every Rapier step. */
  track(): void {
    for (const jp of this.plan.joints) {
      const joint = this.model.joints[jp.joint]!;
      if (joint.type === 'hinge') this.hinge[jp.joint] = this.hingeValue(jp, joint);
    }
  }

  /** Value of a hinge or slide joint (rad or m). */
  value(jp: JointPlan): number {
    const joint = this.model.joints[jp.joint]!;
    return joint.type === 'hinge' ? this.hingeValue(jp, joint) : this.slideValue(jp, joint);
  }

  /** Velocity of a hinge or slide joint (rad/s or m/s). */
  velocity(jp: JointPlan): number {
    return this.model.joints[jp.joint]!.type === 'hinge' ? this.hingeVelocity(jp) : this.slideVelocity(jp);
  }

  /** Writes the model's generalized positions (length nq). */
  readQpos(out: Float64Array): void {
    for (const jp of this.plan.joints) {
      const joint = this.model.joints[jp.joint]!;
      const a = joint.qposAdr;
      if (joint.type === 'hinge') out[a] = this.hingeValue(jp, joint);
      else if (joint.type === 'slide') out[a] = this.slideValue(jp, joint);
      else if (joint.type === 'ball') this.ballQuat(jp, out, a);
      else this.freePose(jp, out, a);
    }
  }

  /** Writes the model's generalized velocities (length nv). */
  readQvel(out: Float64Array): void {
    for (const jp of this.plan.joints) {
      const joint = this.model.joints[jp.joint]!;
      const a = joint.dofAdr;
      if (joint.type === 'hinge') out[a] = this.hingeVelocity(jp);
      else if (joint.type === 'slide') out[a] = this.slideVelocity(jp);
      else if (joint.type === 'ball') this.ballVelocity(jp, out, a);
      else this.freeVelocity(jp, out, a);
    }
  }

  private hingeValue(jp: JointPlan, joint: ModelJoint): number {
    const d = this.state.data;
    const p = jp.parentRigid * STRIDE + Q;
    const c = jp.childRigid * STRIDE + Q;
    const w1 = d[p]!, x1 = d[p + 1]!, y1 = d[p + 2]!, z1 = d[p + 3]!;
    const w2 = d[c]!, x2 = d[c + 1]!, y2 = d[c + 2]!, z2 = d[c + 3]!;
    const rw = w1 * w2 + x1 * x2 + y1 * y2 + z1 * z2;
    const rx = w1 * x2 - w2 * x1 - (y1 * z2 - z1 * y2);
    const ry = w1 * y2 - w2 * y1 - (z1 * x2 - x1 * z2);
    const rz = w1 * z2 - w2 * z1 - (x1 * y2 - y1 * x2);
    const angle = 2 * Math.atan2(rx * jp.axis[0] + ry * jp.axis[1] + rz * jp.axis[2], rw) + joint.ref;
    const last = this.hinge[jp.joint]!;
    return last + wrapToPi(angle - last);
  }

  private hingeVelocity(jp: JointPlan): number {
    const d = this.state.data;
    const p = jp.parentRigid * STRIDE;
    const c = jp.childRigid * STRIDE;
    rotateAt(d, p + Q, jp.axis[0], jp.axis[1], jp.axis[2], this.tmp, 0);
    const t = this.tmp;
    return (d[c + W]! - d[p + W]!) * t[0]! + (d[c + W + 1]! - d[p + W + 1]!) * t[1]! + (d[c + W + 2]! - d[p + W + 2]!) * t[2]!;
  }

  /**
   * Constraint error (m) of a Rapier joint: distance between its anchors on the two bodies
   * (for slides, the part perpendicular to the axis). Zero for locked roots and free joints.
   */
  separation(jp: JointPlan): number {
    if (jp.kind === 'locked' || jp.kind === 'free') return 0;
    this.anchors(jp);
    const t = this.tmp;
    let dx = t[0]! - t[3]!, dy = t[1]! - t[4]!, dz = t[2]! - t[5]!;
    if (jp.kind === 'prismatic') {
      rotateAt(this.state.data, jp.parentRigid * STRIDE + Q, jp.axis[0], jp.axis[1], jp.axis[2], t, 6);
      const along = dx * t[6]! + dy * t[7]! + dz * t[8]!;
      dx -= along * t[6]!; dy -= along * t[7]!; dz -= along * t[8]!;
    }
    return Math.sqrt(dx * dx + dy * dy + dz * dz);
  }

  /** World position of the joint anchor on the child body, written to `out[k..k+3]`. */
  anchorOf(jp: JointPlan, out: Float64Array, k: number): void {
    this.anchors(jp);
    out[k] = this.tmp[0]!; out[k + 1] = this.tmp[1]!; out[k + 2] = this.tmp[2]!;
  }

  /** World anchor points of the joint on the child (tmp[0..3]) and on the parent (tmp[3..6]). */
  private anchors(jp: JointPlan): void {
    const d = this.state.data;
    const t = this.tmp;
    const p = jp.parentRigid * STRIDE;
    const c = jp.childRigid * STRIDE;
    rotateAt(d, c + Q, jp.anchor2[0], jp.anchor2[1], jp.anchor2[2], t, 0);
    rotateAt(d, p + Q, jp.anchor1[0], jp.anchor1[1], jp.anchor1[2], t, 3);
    for (let k = 0; k < 3; k++) {
      t[k] = t[k]! + d[c + P + k]!;
      t[3 + k] = t[3 + k]! + d[p + P + k]!;
    }
  }

  private slideValue(jp: JointPlan, joint: ModelJoint): number {
    this.anchors(jp);
    const t = this.tmp;
    unrotateAt(this.state.data, jp.parentRigid * STRIDE + Q, t[0]! - t[3]!, t[1]! - t[4]!, t[2]! - t[5]!, t, 6);
    return joint.ref + t[6]! * jp.axis[0] + t[7]! * jp.axis[1] + t[8]! * jp.axis[2];
  }

  private slideVelocity(jp: JointPlan): number {
    this.anchors(jp);
    const d = this.state.data;
    const t = this.tmp;
    const p = jp.parentRigid * STRIDE;
    const c = jp.childRigid * STRIDE;
    let rel0 = 0, rel1 = 0, rel2 = 0;
    for (const [o, sign] of [[c, 1], [p, -1]] as const) {
      const rx = t[0]! - d[o + C]!, ry = t[1]! - d[o + C + 1]!, rz = t[2]! - d[o + C + 2]!;
      const wx = d[o + W]!, wy = d[o + W + 1]!, wz = d[o + W + 2]!;
      rel0 += sign * (d[o + V]! + wy * rz - wz * ry);
      rel1 += sign * (d[o + V + 1]! + wz * rx - wx * rz);
      rel2 += sign * (d[o + V + 2]! + wx * ry - wy * rx);
    }
    rotateAt(d, p + Q, jp.axis[0], jp.axis[1], jp.axis[2], t, 6);
    return rel0 * t[6]! + rel1 * t[7]! + rel2 * t[8]!;
  }

  /** MuJoCo ball qpos: child orientation relative to its rest orientation in the parent, in the child frame. */
  private ballQuat(jp: JointPlan, out: Float64Array, a: number): void {
    const rest = this.plan.bodies[this.model.joints[jp.joint]!.body]!.restQuat;
    const d = this.state.data;
    const p = jp.parentRigid * STRIDE + Q;
    const c = jp.childRigid * STRIDE + Q;
    const rel = mul([d[p]!, -d[p + 1]!, -d[p + 2]!, -d[p + 3]!], [d[c]!, d[c + 1]!, d[c + 2]!, d[c + 3]!]);
    const q = mul(mul([rest[0], -rest[1], -rest[2], -rest[3]], rel), rest);
    for (let k = 0; k < 4; k++) out[a + k] = q[k]!;
  }

  private ballVelocity(jp: JointPlan, out: Float64Array, a: number): void {
    const d = this.state.data;
    const p = jp.parentRigid * STRIDE;
    const c = jp.childRigid * STRIDE;
    this.bodyFrameVector(jp, d[c + W]! - d[p + W]!, d[c + W + 1]! - d[p + W + 1]!, d[c + W + 2]! - d[p + W + 2]!, out, a);
  }

  private freePose(jp: JointPlan, out: Float64Array, a: number): void {
    const d = this.state.data;
    const c = jp.childRigid * STRIDE;
    const rest = this.plan.bodies[this.model.joints[jp.joint]!.body]!.restQuat;
    const q = mul([d[c + Q]!, d[c + Q + 1]!, d[c + Q + 2]!, d[c + Q + 3]!], rest);
    out[a] = d[c + P]!; out[a + 1] = d[c + P + 1]!; out[a + 2] = d[c + P + 2]!;
    for (let k = 0; k < 4; k++) out[a + 3 + k] = q[k]!;
  }

  /** Free qvel: linear velocity of the body origin (world), angular velocity in the body frame. */
  private freeVelocity(jp: JointPlan, out: Float64Array, a: number): void {
    const d = this.state.data;
    const c = jp.childRigid * STRIDE;
    const rx = d[c + P]! - d[c + C]!, ry = d[c + P + 1]! - d[c + C + 1]!, rz = d[c + P + 2]! - d[c + C + 2]!;
    const wx = d[c + W]!, wy = d[c + W + 1]!, wz = d[c + W + 2]!;
    out[a] = d[c + V]! + wy * rz - wz * ry;
    out[a + 1] = d[c + V + 1]! + wz * rx - wx * rz;
    out[a + 2] = d[c + V + 2]! + wx * ry - wy * rx;
    this.bodyFrameVector(jp, wx, wy, wz, out, a + 3);
  }

  /** Expresses a world vector in the joint's model-body frame. */
  private bodyFrameVector(jp: JointPlan, x: number, y: number, z: number, out: Float64Array, a: number): void {
    const d = this.state.data;
    const c = jp.childRigid * STRIDE + Q;
    const rest = this.plan.bodies[this.model.joints[jp.joint]!.body]!.restQuat;
    const t = this.tmp;
    unrotateAt(d, c, x, y, z, t, 9);
    const v = rotateInv(rest, t[9]!, t[10]!, t[11]!);
    out[a] = v[0]; out[a + 1] = v[1]; out[a + 2] = v[2];
  }
}

function mul(a: number[], b: readonly number[]): number[] {
  return [
    a[0]! * b[0]! - a[1]! * b[1]! - a[2]! * b[2]! - a[3]! * b[3]!,
    a[0]! * b[1]! + a[1]! * b[0]! + a[2]! * b[3]! - a[3]! * b[2]!,
    a[0]! * b[2]! - a[1]! * b[3]! + a[2]! * b[0]! + a[3]! * b[1]!,
    a[0]! * b[3]! + a[1]! * b[2]! - a[2]! * b[1]! + a[3]! * b[0]!,
  ];
}

function rotateInv(q: readonly number[], x: number, y: number, z: number): [number, number, number] {
  const out = [0, 0, 0];
  unrotateAt(Float64Array.from(q), 0, x, y, z, out, 0);
  return out as [number, number, number];
}
