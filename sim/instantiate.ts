// Creates the Rapier world, bodies, colliders and impulse joints described by a Plan.
import type RAPIER from '@dimforge/rapier3d-compat';
import type { Rapier } from './rapier.ts';
import type { Model, ModelGeom } from './model.ts';
import type { JointPlan, Plan } from './plan.ts';
import { quatMul, type Quat } from './math.ts';
import type { SimSettings } from './settings.ts';

export interface RapierParts {
  world: RAPIER.World;
  /** Rapier handles, by plan index, stable across snapshot restore. */
  bodyHandles: number[];
  /** Impulse joint handle per plan joint, or -1 (multibody, free and locked-root joints have none). */
  jointHandles: number[];
  /** Rigid index of each collider handle, for contact queries. */
  colliderRigid: Map<number, number>;
  colliderHandles: number[][];
}

/** Rapier capsules and cylinders lie along local y; MuJoCo's along local z. */
const Y_TO_Z: Quat = [Math.SQRT1_2, Math.SQRT1_2, 0, 0];

export function instantiate(R: Rapier, model: Model, plan: Plan, settings: SimSettings, dt: number): RapierParts {
  const g = model.option.gravity;
  const world = new R.World({ x: g[0], y: g[1], z: g[2] });
  world.timestep = dt / settings.substeps;
  world.integrationParameters.numSolverIterations = settings.solverIterations;
  world.integrationParameters.numInternalPgsIterations = settings.pgsIterations;
  const groups = collisionGroups(model);
  const parts: RapierParts = { world, bodyHandles: [], jointHandles: [], colliderRigid: new Map(), colliderHandles: [] };
  plan.rigids.forEach((rigid, i) => {
    const desc = rigid.fixed ? R.RigidBodyDesc.fixed() : R.RigidBodyDesc.dynamic();
    desc.setTranslation(rigid.pos[0], rigid.pos[1], rigid.pos[2]).setCanSleep(false);
    if (!rigid.fixed) {
      desc.setAdditionalMassProperties(rigid.mass, vec(rigid.com), vec(rigid.inertia), rot(rigid.inertiaFrame));
      desc.enabledTranslations(...rigid.translations).enabledRotations(...rigid.rotations);
    }
    const body = world.createRigidBody(desc);
    parts.bodyHandles.push(body.handle);
    parts.colliderHandles.push([]);
    for (const c of rigid.colliders) {
      const geom = model.geoms[c.geom]!;
      const cd = colliderDesc(R, geom, c.quat)
        .setTranslation(c.pos[0], c.pos[1], c.pos[2])
        .setDensity(0)
        .setFriction(geom.friction[0])
        .setFrictionCombineRule(R.CoefficientCombineRule.Max)
        .setRestitution(0)
        .setCollisionGroups(groups.get(`${geom.contype}/${geom.conaffinity}`)!);
      const collider = world.createCollider(cd, body);
      parts.colliderRigid.set(collider.handle, i);
      parts.colliderHandles[i]!.push(collider.handle);
    }
  });
  for (const jp of plan.joints) parts.jointHandles.push(createJoint(R, world, model, jp, parts.bodyHandles, settings.joints));
  return parts;
}

function colliderDesc(R: Rapier, geom: ModelGeom, quat: Quat): RAPIER.ColliderDesc {
  const s = geom.size;
  let desc: RAPIER.ColliderDesc;
  let q = quat;
  switch (geom.type) {
    case 'plane':
      desc = new R.ColliderDesc(new R.HalfSpace({ x: 0, y: 0, z: 1 }));
      break;
    case 'sphere':
      desc = R.ColliderDesc.ball(s[0]!);
      break;
    case 'box':
      desc = R.ColliderDesc.cuboid(s[0]!, s[1]!, s[2]!);
      break;
    case 'capsule':
      desc = R.ColliderDesc.capsule(s[1]!, s[0]!);
      q = quatMul(quat, Y_TO_Z);
      break;
    case 'cylinder':
      desc = R.ColliderDesc.cylinder(s[1]!, s[0]!);
      q = quatMul(quat, Y_TO_Z);
      break;
  }
  return desc.setRotation(rot(q));
}

/**
 * MuJoCo collides two geoms when `(contype1 & conaffinity2) || (contype2 & conaffinity1)`;
 * Rapier when `(member1 & filter2) && (member2 & filter1)`. Giving each distinct
 * (contype, conaffinity) class its own membership bit and a filter listing the classes it
 * collides with reproduces MuJoCo's rule exactly (up to 16 classes).
 */
function collisionGroups(model: Model): Map<string, number> {
  const classes = [...new Set(model.geoms.map((g) => `${g.contype}/${g.conaffinity}`))];
  if (classes.length > 16) throw new Error(`model '${model.name}': more than 16 distinct contype/conaffinity pairs`);
  const parsed = classes.map((c) => c.split('/').map(Number) as [number, number]);
  const out = new Map<string, number>();
  parsed.forEach(([t1, a1], i) => {
    let filter = 0;
    parsed.forEach(([t2, a2], j) => {
      if ((t1 & a2) !== 0 || (t2 & a1) !== 0) filter |= 1 << j;
    });
    out.set(classes[i]!, (((1 << i) & 0xffff) << 16) | filter);
  });
  return out;
}

/** Creates the Rapier joint; returns its impulse-joint handle, or -1 when it has none. */
function createJoint(R: Rapier, world: RAPIER.World, model: Model, jp: JointPlan, handles: number[], kind: SimSettings['joints']): number {
  if (jp.kind === 'free' || jp.kind === 'locked') return -1;
  const joint = model.joints[jp.joint]!;
  const a1 = vec(jp.anchor1);
  const a2 = vec(jp.anchor2);
  const data =
    jp.kind === 'revolute' ? R.JointData.revolute(a1, a2, vec(jp.axis))
      : jp.kind === 'prismatic' ? R.JointData.prismatic(a1, a2, vec(jp.axis))
        : R.JointData.spherical(a1, a2);
  const parent = world.getRigidBody(handles[jp.parentRigid]!);
  const child = world.getRigidBody(handles[jp.childRigid]!);
  const contacts = model.bodies[joint.body]!.parent === 0;
  const limited = joint.range !== null && jp.kind !== 'spherical';
  if (kind === 'multibody') {
    if (limited) throw new Error(`joint '${joint.name}': Rapier's JS API cannot limit multibody joints; use impulse joints`);
    world.createMultibodyJoint(data, parent, child, true).setContactsEnabled(contacts);
    return -1;
  }
  const created = world.createImpulseJoint(data, parent, child, true);
  created.setContactsEnabled(contacts);
  if (limited) {
    // JointData.limits is dropped by rapier's intoRaw for revolute joints; set them on the joint.
    (created as RAPIER.UnitImpulseJoint).setLimits(joint.range![0] - joint.ref, joint.range![1] - joint.ref);
  }
  return created.handle;
}

function vec(v: readonly number[]): RAPIER.Vector {
  return { x: v[0]!, y: v[1]!, z: v[2]! };
}

/** MuJoCo `[w, x, y, z]` → Rapier `{x, y, z, w}`. */
function rot(q: Quat): RAPIER.Rotation {
  return { x: q[1], y: q[2], z: q[3], w: q[0] };
}
