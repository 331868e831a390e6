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
    let pos = add(pp, rotate(pq, body.pos));
    let quat = quatMul(pq, body.quat);
    const motions: { axis: Vec3; anchor: Vec3; rate: number; kind: 'rot' | 'lin' }[] = [];
    let free: { v: Vec3; wLocal: Vec3 } | null = null;
    let ballLocal: { w: Vec3; anchor: Vec3 } | null = null;
    for (const j of body.joints) {
      const joint = model.joints[j]!;
      const qa = joint.qposAdr;
      const da = joint.dofAdr;
      const anchor = add(pos, rotate(quat, joint.pos));
      if (joint.type === 'hinge') {
        const axis = rotate(quat, joint.axis);
        quat = quatMul(quat, quatFromAxisAngle(joint.axis, qpos[qa]! - joint.ref));
        pos = sub(anchor, rotate(quat, joint.pos));
        motions.push({ axis, anchor, rate: qvel[da]!, kind: 'rot' });
      } else if (joint.type === 'slide') {
        const axis = rotate(quat, joint.axis);
        pos = add(pos, scale(axis, qpos[qa]! - joint.ref));
        motions.push({ axis, anchor, rate: qvel[da]!, kind: 'lin' });
      } else if (joint.type === 'ball') {
        quat = quatMul(quat, quatNormalize([qpos[qa]!, qpos[qa + 1]!, qpos[qa + 2]!, qpos[qa + 3]!]));
        pos = sub(anchor, rotate(quat, joint.pos));
        ballLocal = { w: [qvel[da]!, qvel[da + 1]!, qvel[da + 2]!], anchor };
      } else {
        pos = [qpos[qa]!, qpos[qa + 1]!, qpos[qa + 2]!];
        quat = quatNormalize([qpos[qa + 3]!, qpos[qa + 4]!, qpos[qa + 5]!, qpos[qa + 6]!]);
        free = { v: [qvel[da]!, qvel[da + 1]!, qvel[da + 2]!], wLocal: [qvel[da + 3]!, qvel[da + 4]!, qvel[da + 5]!] };
      }
    }
    const pw = out.angvel[body.parent]!;
    let w: Vec3 = pw;
    let v: Vec3 = add(out.vel[body.parent]!, cross(pw, sub(pos, pp)));
    for (const m of motions) {
      if (m.kind === 'lin') { v = add(v, scale(m.axis, m.rate)); continue; }
      const dw = scale(m.axis, m.rate);
      w = add(w, dw);
      v = add(v, cross(dw, sub(pos, m.anchor)));
    }
    if (ballLocal) {
      const dw = rotate(quat, ballLocal.w);
      w = add(w, dw);
      v = add(v, cross(dw, sub(pos, ballLocal.anchor)));
    }
    if (free) {
      w = rotate(quat, free.wLocal);
      v = free.v;
    }
    out.pos.push(pos); out.quat.push(quat); out.vel.push(v); out.angvel.push(w);
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
