// Forward kinematics: body world poses and velocities from MuJoCo-layout qpos/qvel, used to pose a robot.
import { add, cross, quatFromAxisAngle, quatMul, quatNormalize, rotate, scale, sub, type Quat, type Vec3 } from './math.ts';
import type { Model } from './model.ts';

export interface BodyKinematics {
  /** World pose of each model body frame. */
  pos: Vec3[];
  quat: Quat[];
  /** Linear velocity of each body frame origin and angular velocity, world frame. */
  vel: Vec3[];
  angvel: Vec3[];
}

/** A joint's contribution to its body's velocity: a rotation or translation rate about/along a world axis. */
interface Motion {
  axis: Vec3;
  anchor: Vec3;
  rate: number;
  kind: 'rot' | 'lin';
}

/** A body's pose after its joints, and what its joints contribute to its velocity. */
interface JointedPose {
  pos: Vec3;
  quat: Quat;
  motions: Motion[];
  /** Free joint: world linear velocity and body-frame angular velocity. */
  free: { v: Vec3; wLocal: Vec3 } | null;
  /** Ball joint: body-frame angular velocity and the joint's world anchor. */
  ball: { w: Vec3; anchor: Vec3 } | null;
}

/** Applies a body's joints in declaration order to its rest pose (world `pos`, `quat`), each joint's axis and anchor in the frame so far. */
function applyJoints(model: Model, joints: readonly number[], pos: Vec3, quat: Quat, qpos: ArrayLike<number>, qvel: ArrayLike<number>): JointedPose {
  const out: JointedPose = { pos, quat, motions: [], free: null, ball: null };
  for (const j of joints) {
    const joint = model.joints[j]!;
    const qa = joint.qposAdr;
    const da = joint.dofAdr;
    const anchor = add(out.pos, rotate(out.quat, joint.pos));
    if (joint.type === 'hinge') {
      const axis = rotate(out.quat, joint.axis);
      out.quat = quatMul(out.quat, quatFromAxisAngle(joint.axis, qpos[qa]! - joint.ref));
      out.pos = sub(anchor, rotate(out.quat, joint.pos));
      out.motions.push({ axis, anchor, rate: qvel[da]!, kind: 'rot' });
    } else if (joint.type === 'slide') {
      const axis = rotate(out.quat, joint.axis);
      out.pos = add(out.pos, scale(axis, qpos[qa]! - joint.ref));
      out.motions.push({ axis, anchor, rate: qvel[da]!, kind: 'lin' });
    } else if (joint.type === 'ball') {
      out.quat = quatMul(out.quat, quatNormalize([qpos[qa]!, qpos[qa + 1]!, qpos[qa + 2]!, qpos[qa + 3]!]));
      out.pos = sub(anchor, rotate(out.quat, joint.pos));
      out.ball = { w: [qvel[da]!, qvel[da + 1]!, qvel[da + 2]!], anchor };
    } else {
      out.pos = [qpos[qa]!, qpos[qa + 1]!, qpos[qa + 2]!];
      out.quat = quatNormalize([qpos[qa + 3]!, qpos[qa + 4]!, qpos[qa + 5]!, qpos[qa + 6]!]);
      out.free = { v: [qvel[da]!, qvel[da + 1]!, qvel[da + 2]!], wLocal: [qvel[da + 3]!, qvel[da + 4]!, qvel[da + 5]!] };
    }
  }
  return out;
}

/** World linear and angular velocity of a jointed body, from its parent's (at parent origin `pp`) plus its joints' rates. */
function bodyVelocity(p: JointedPose, pp: Vec3, pv: Vec3, pw: Vec3): { v: Vec3; w: Vec3 } {
  let w: Vec3 = pw;
  let v: Vec3 = add(pv, cross(pw, sub(p.pos, pp)));
  for (const m of p.motions) {
    if (m.kind === 'lin') { v = add(v, scale(m.axis, m.rate)); continue; }
    const dw = scale(m.axis, m.rate);
    w = add(w, dw);
    v = add(v, cross(dw, sub(p.pos, m.anchor)));
  }
  if (p.ball) {
    const dw = rotate(p.quat, p.ball.w);
    w = add(w, dw);
    v = add(v, cross(dw, sub(p.pos, p.ball.anchor)));
  }
  if (p.free) return { v: p.free.v, w: rotate(p.quat, p.free.wLocal) };
  return { v, w };
}

/**
 * Computes every body's world pose and velocity, following MuJoCo: each body's joints are
 * applied in declaration order, each joint's axis and anchor taken in the frame accumulated so far.
 */
export function forwardKinematics(model: Model, qpos: ArrayLike<number>, qvel: ArrayLike<number>): BodyKinematics {
  const out: BodyKinematics = { pos: [], quat: [], vel: [], angvel: [] };
  model.bodies.forEach((body, b) => {
    if (b === 0) {
      out.pos.push(body.pos); out.quat.push(body.quat); out.vel.push([0, 0, 0]); out.angvel.push([0, 0, 0]);
      return;
    }
    const pp = out.pos[body.parent]!;
    const pq = out.quat[body.parent]!;
    const pose = applyJoints(model, body.joints, add(pp, rotate(pq, body.pos)), quatMul(pq, body.quat), qpos, qvel);
    const { v, w } = bodyVelocity(pose, pp, out.vel[body.parent]!, out.angvel[body.parent]!);
    out.pos.push(pose.pos); out.quat.push(pose.quat); out.vel.push(v); out.angvel.push(w);
  });
  return out;
}

/** The reference configuration: joint values at `ref`, free/ball joints at their rest pose. */
export function referenceQpos(model: Model): Float64Array {
  const q = new Float64Array(model.nq);
  model.joints.forEach((joint) => {
    const a = joint.qposAdr;
    if (joint.type === 'hinge' || joint.type === 'slide') q[a] = joint.ref;
    else if (joint.type === 'ball') q[a] = 1;
    else {
      const body = model.bodies[joint.body]!;
      const parentIsWorld = body.parent === 0;
      if (!parentIsWorld) throw new Error(`joint '${joint.name}': free joints must be on top-level bodies`);
      q.set([...body.pos, ...body.quat], a);
    }
  });
  return q;
}

/** The reference configuration with each limited joint clamped into its range (the published ant starts its ankles outside it). */
export function clampedReferenceQpos(model: Model): Float64Array {
  const q = referenceQpos(model);
  for (const j of model.joints) if (j.range) q[j.qposAdr] = Math.min(j.range[1], Math.max(j.range[0], q[j.qposAdr]!));
  return q;
}
