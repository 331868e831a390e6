// Turns a compiled Model into Rapier descriptors: rigid bodies (welded model bodies merged), colliders and joints.
import {
  add, dot, quatMul, rotate, rotateDiagonal, quatToMat, symmetricEigen, matToQuat, sub,
  type Mat3, type Quat, type Vec3,
} from './math.ts';
import type { Model, ModelJoint } from './model.ts';

/**
 * Frames: every Rapier body is created with identity rotation at the reference configuration
 * (qpos at `ref`), so all Rapier body frames are world-aligned at rest and a joint axis has the
 * same coordinates in both of its bodies' frames. A model body's own frame is an offset in its
 * Rapier body's frame.
 */
export interface RigidPlan {
  /** Model body owning this Rapier body; welded (jointless) descendants share it. */
  root: number;
  fixed: boolean;
  /** Rapier body origin in world coordinates at rest (the root model body's origin). */
  pos: Vec3;
  mass: number;
  /** Centre of mass, Rapier body frame. */
  com: Vec3;
  inertia: Vec3;
  inertiaFrame: Quat;
  /** Which world translations / rotations are free (false = locked), for planar roots. */
  translations: [boolean, boolean, boolean];
  rotations: [boolean, boolean, boolean];
  colliders: { geom: number; pos: Vec3; quat: Quat }[];
}

export interface BodyPlan {
  rigid: number;
  /** The model body's frame expressed in its Rapier body's frame. */
  offsetPos: Vec3;
  offsetQuat: Quat;
  /** World pose at rest. */
  restPos: Vec3;
  restQuat: Quat;
}

export type JointKind = 'revolute' | 'prismatic' | 'spherical' | 'locked' | 'free';

export interface JointPlan {
  joint: number;
  kind: JointKind;
  parentRigid: number;
  childRigid: number;
  /** Joint anchor in the parent and child Rapier frames. */
  anchor1: Vec3;
  anchor2: Vec3;
  /** Joint axis in world coordinates at rest (= in both Rapier frames at rest). */
  axis: Vec3;
}

export interface Plan {
  rigids: RigidPlan[];
  bodies: BodyPlan[];
  joints: JointPlan[];
  /** What the Rapier build cannot represent exactly (the model itself is never modified). */
  warnings: string[];
}

interface MassPart { mass: number; com: Vec3; tensor: Mat3 }

/** Builds the Rapier descriptors for `model`; throws naming the body or joint it cannot represent. */
export function planModel(model: Model): Plan {
  const plan: Plan = { rigids: [], bodies: [], joints: [], warnings: [] };
  const parts: MassPart[][] = [];
  model.bodies.forEach((body, b) => {
    const parentPlan = b === 0 ? null : plan.bodies[body.parent]!;
    const restQuat = parentPlan ? quatMul(parentPlan.restQuat, body.quat) : body.quat;
    const restPos = parentPlan ? add(parentPlan.restPos, rotate(parentPlan.restQuat, body.pos)) : body.pos;
    if (b === 0 || body.joints.length === 0) {
      const rigid = b === 0 ? newRigid(plan, parts, 0, restPos, true) : parentPlan!.rigid;
      const origin = plan.rigids[rigid]!.pos;
      plan.bodies.push({ rigid, offsetPos: sub(restPos, origin), offsetQuat: restQuat, restPos, restQuat });
    } else {
      const rigid = newRigid(plan, parts, b, restPos, false);
      plan.bodies.push({ rigid, offsetPos: [0, 0, 0], offsetQuat: restQuat, restPos, restQuat });
      planJoints(model, plan, b, parentPlan!.rigid, rigid);
    }
    addBodyContents(model, plan, parts, b);
  });
  plan.rigids.forEach((rigid, i) => finishMass(model, rigid, parts[i]!));
  addArmature(model, plan);
  return plan;
}

function newRigid(plan: Plan, parts: MassPart[][], root: number, pos: Vec3, fixed: boolean): number {
  plan.rigids.push({
    root, fixed, pos, mass: 0, com: [0, 0, 0], inertia: [0, 0, 0], inertiaFrame: [1, 0, 0, 0],
    translations: [true, true, true], rotations: [true, true, true], colliders: [],
  });
  parts.push([]);
  return plan.rigids.length - 1;
}

function planJoints(model: Model, plan: Plan, b: number, parentRigid: number, rigid: number): void {
  const body = model.bodies[b]!;
  const bp = plan.bodies[b]!;
  const joints = body.joints.map((j) => model.joints[j]!);
  const where = `body '${body.name}'`;
  const single = joints.length === 1 ? joints[0]! : null;
  if (single?.type === 'free') {
    if (parentRigid !== 0 || !plan.rigids[0]!.fixed) throw new Error(`${where}: a free joint must be on a top-level body`);
    plan.joints.push({ joint: body.joints[0]!, kind: 'free', parentRigid: 0, childRigid: rigid, anchor1: bp.restPos, anchor2: [0, 0, 0], axis: [0, 0, 0] });
    return;
  }
  if (single && (single.type === 'hinge' || single.type === 'slide' || single.type === 'ball')) {
    const kind = single.type === 'hinge' ? 'revolute' : single.type === 'slide' ? 'prismatic' : 'spherical';
    plan.joints.push(jointPlan(plan, body.joints[0]!, single, kind, parentRigid, rigid, bp));
    return;
  }
  planLockedRoot(model, plan, b, parentRigid, rigid);
}

function jointPlan(plan: Plan, index: number, joint: ModelJoint, kind: JointKind, parentRigid: number, childRigid: number, bp: BodyPlan): JointPlan {
  const anchorWorld = add(bp.restPos, rotate(bp.restQuat, joint.pos));
  return {
    joint: index, kind, parentRigid, childRigid,
    anchor1: sub(anchorWorld, plan.rigids[parentRigid]!.pos),
    anchor2: sub(anchorWorld, plan.rigids[childRigid]!.pos),
    axis: rotate(bp.restQuat, joint.axis),
  };
}

/** Several slide/hinge joints on a top-level body along world axes (e.g. the planar cheetah root). */
function planLockedRoot(model: Model, plan: Plan, b: number, parentRigid: number, rigid: number): void {
  const body = model.bodies[b]!;
  const bp = plan.bodies[b]!;
  const r = plan.rigids[rigid]!;
  if (parentRigid !== 0) throw new Error(`body '${body.name}': several joints on one body are only supported on a top-level body (planar root)`);
  r.translations = [false, false, false];
  r.rotations = [false, false, false];
  let hinges = 0;
  for (const j of body.joints) {
    const joint = model.joints[j]!;
    const where = `joint '${joint.name}'`;
    if (joint.type !== 'slide' && joint.type !== 'hinge') throw new Error(`${where}: only slide and hinge joints can be combined on one body`);
    if (joint.range) throw new Error(`${where}: limits on a combined (planar) root joint are not supported`);
    const axis = rotate(bp.restQuat, joint.axis);
    const k = axis.findIndex((c) => Math.abs(Math.abs(c) - 1) < 1e-9);
    if (k < 0) throw new Error(`${where}: a combined root joint must lie along a world axis`);
    if (joint.type === 'hinge') hinges++;
    (joint.type === 'slide' ? r.translations : r.rotations)[k] = true;
    plan.joints.push(jointPlan(plan, j, joint, 'locked', 0, rigid, bp));
  }
  if (hinges > 1) throw new Error(`body '${body.name}': at most one hinge can be combined with slides on a root body`);
}

function addBodyContents(model: Model, plan: Plan, parts: MassPart[][], b: number): void {
  const body = model.bodies[b]!;
  const bp = plan.bodies[b]!;
  const rigid = plan.rigids[bp.rigid]!;
  for (const g of body.geoms) {
    const geom = model.geoms[g]!;
    if (geom.contype === 0 && geom.conaffinity === 0) continue;
    rigid.colliders.push({ geom: g, pos: add(bp.offsetPos, rotate(bp.offsetQuat, geom.pos)), quat: quatMul(bp.offsetQuat, geom.quat) });
  }
  if (body.mass > 0) {
    const frame = quatMul(bp.offsetQuat, body.iquat);
    parts[bp.rigid]!.push({
      mass: body.mass,
      com: add(bp.offsetPos, rotate(bp.offsetQuat, body.ipos)),
      tensor: rotateDiagonal(quatToMat(frame), body.inertia),
    });
  }
}

/** Combines mass parts with the parallel-axis theorem and diagonalises the result. */
function finishMass(model: Model, rigid: RigidPlan, parts: MassPart[]): void {
  const mass = parts.reduce((s, p) => s + p.mass, 0);
  if (rigid.fixed) return;
  if (!(mass > 0)) throw new Error(`body '${model.bodies[rigid.root]!.name}': a moving body needs a positive mass`);
  const com = parts.reduce<Vec3>((c, p) => add(c, [p.com[0] * p.mass / mass, p.com[1] * p.mass / mass, p.com[2] * p.mass / mass]), [0, 0, 0]);
  const total = [0, 0, 0, 0, 0, 0, 0, 0, 0];
  for (const p of parts) {
    const d = sub(p.com, com);
    const dd = dot(d, d);
    for (let i = 0; i < 3; i++) {
      for (let j = 0; j < 3; j++) total[i * 3 + j]! += p.tensor[i * 3 + j]! + p.mass * ((i === j ? dd : 0) - d[i]! * d[j]!);
    }
  }
  rigid.mass = mass;
  rigid.com = com;
  setTensor(rigid, total as Mat3);
}

function setTensor(rigid: RigidPlan, tensor: Mat3): void {
  const { values, rotation } = symmetricEigen(tensor);
  rigid.inertia = values.map((v) => Math.max(v, 1e-12)) as Vec3;
  rigid.inertiaFrame = matToQuat(rotation);
}

/**
 * Rotor inertia. MuJoCo adds `armature` to the joint's diagonal of the joint-space inertia, which
 * also keeps a joint torque's reaction from spinning a light parent. Rapier has no joint-space
 * inertia, so `armature · I` is added to the body inertia of both jointed bodies (when they
 * move). Isotropic, because adding it only about the hinge axis leaves light links with inertia
 * ratios of 10⁴ that Rapier's solver cannot hold together (measured on the ant: docs/sim.md);
 * about the other axes the hinge locks child to parent, so the extra inertia acts through the
 * parent. Slide armature has no Rapier equivalent and is reported.
 */
function addArmature(model: Model, plan: Plan): void {
  for (const jp of plan.joints) {
    const joint = model.joints[jp.joint]!;
    if (joint.armature <= 0) continue;
    if (joint.type === 'slide' || joint.type === 'free') {
      plan.warnings.push(`joint '${joint.name}': armature on a ${joint.type} joint is not simulated`);
      continue;
    }
    for (const r of [jp.childRigid, jp.parentRigid]) {
      const rigid = plan.rigids[r]!;
      if (rigid.fixed) continue;
      const tensor = rotateDiagonal(quatToMat(rigid.inertiaFrame), rigid.inertia);
      for (let i = 0; i < 3; i++) tensor[i * 4]! += joint.armature;
      setTensor(rigid, tensor);
    }
  }
}
