// Reads the <worldbody> tree into bodies (DFS order, as MuJoCo) and resolves each body's mass properties.
import { IDENTITY_QUAT, type Quat, type Vec3 } from '../math.ts';
import { readAttrs, rejectElement, warnElement } from './attrs.ts';
import type { Context } from './context.ts';
import { classFor, MAIN_CLASS } from './defaults.ts';
import { readFreejoint, readGeom, readJoint, readSite } from './elements.ts';
import { fail } from './errors.ts';
import { combineParts, fullInertiaMatrix, isPhysicalInertia, principalAxes, ZERO_MASS, type MassProps } from './inertia.ts';
import { orientationQuat } from './orient.ts';
import { bodySpec, emptySpec, inertialSpec, ORIENTATION_KEYS } from './schema.ts';
import type { XmlElement } from './xml.ts';

const WORLD_CHILDREN = ['body', 'geom', 'site', 'camera', 'light'];
const BODY_CHILDREN = ['body', 'inertial', 'joint', 'freejoint', 'geom', 'site', 'camera', 'light'];
const DOFS = { free: 6, ball: 3, hinge: 1, slide: 1 } as const;

/** Reads every `<worldbody>` into `ctx` (body 0 is the world, named 'world'). */
export function readWorld(worldbodies: readonly XmlElement[], ctx: Context): void {
  ctx.bodies.push({
    name: 'world', parent: 0, pos: [0, 0, 0], quat: [...IDENTITY_QUAT], ...structuredClone(ZERO_MASS), geoms: [], joints: [], sites: [],
  });
  ctx.bodyPaths.push('worldbody');
  ctx.names.add('body', 'world', 0, 'worldbody');
  for (const wb of worldbodies) {
    readAttrs(wb, emptySpec, ctx.warnings);
    readChildren(wb, 0, MAIN_CLASS, ctx);
  }
}

/** Reads a `<body>` under `parent`; `inherited` is the childclass in effect. */
function readBody(el: XmlElement, parent: number, inherited: string, ctx: Context): void {
  const attrs = readAttrs(el, bodySpec, ctx.warnings);
  if (attrs.childclass !== undefined) classFor(ctx.defaults, attrs.childclass, inherited, el.path, 'childclass');
  const index = ctx.bodies.length;
  if (attrs.name !== undefined) ctx.names.add('body', attrs.name, index, el.path);
  ctx.bodies.push({
    name: attrs.name ?? '', parent, pos: attrs.pos ?? [0, 0, 0], quat: orientationQuat(attrs, ctx.compiler, el.path),
    ...structuredClone(ZERO_MASS), geoms: [], joints: [], sites: [],
  });
  ctx.bodyPaths.push(el.path);
  readChildren(el, index, attrs.childclass ?? inherited, ctx);
}

/**
 * Reads a body's own joints, geoms, sites and inertial first, then its child bodies (so indices follow
 * MuJoCo's depth-first body order), and sets the body's mass properties.
 */
function readChildren(el: XmlElement, body: number, childclass: string, ctx: Context): void {
  const world = body === 0;
  const topLevel = ctx.bodies[body]!.parent === 0 && !world;
  const nested: XmlElement[] = [];
  let inertial: XmlElement | undefined;
  for (const child of el.children) {
    if (world && !WORLD_CHILDREN.includes(child.tag)) rejectElement(child, el.tag, WORLD_CHILDREN);
    if (child.tag === 'geom') readGeom(child, body, childclass, ctx);
    else if (child.tag === 'site') readSite(child, body, childclass, ctx);
    else if (child.tag === 'joint') readJoint(child, body, childclass, topLevel, ctx);
    else if (child.tag === 'freejoint') readFreejoint(child, body, topLevel, ctx);
    else if (child.tag === 'body') nested.push(child);
    else if (child.tag === 'camera' || child.tag === 'light') warnElement(child, 'visual only', ctx.warnings);
    else if (child.tag !== 'inertial') rejectElement(child, el.tag, BODY_CHILDREN);
    else if (inertial === undefined) inertial = child;
    else fail(child.path, undefined, 'a body can have only one <inertial>');
  }
  if (!world) {
    checkBodyJoints(el.path, body, ctx);
    Object.assign(ctx.bodies[body]!, bodyMass(body, inertial, ctx));
  }
  for (const child of nested) readBody(child, body, childclass, ctx);
}

/** At most 6 dofs per body, and no rotational joint after a ball joint (MuJoCo's rules). */
function checkBodyJoints(path: string, body: number, ctx: Context): void {
  const indices = ctx.bodies[body]!.joints;
  const types = indices.map((j) => ctx.joints[j]!.type);
  const dofs = types.reduce((n, t) => n + DOFS[t], 0);
  if (dofs > 6) fail(path, undefined, `a body can have at most 6 degrees of freedom, its joints give ${dofs}`);
  const ball = types.indexOf('ball');
  const after = ball < 0 ? -1 : types.findIndex((t, k) => k > ball && (t === 'hinge' || t === 'ball'));
  if (after >= 0) fail(ctx.jointPaths[indices[after]!]!, 'type', 'a hinge or ball joint cannot follow a ball joint in the same body');
}

/** Mass properties per compiler `inertiafromgeom`: explicit inertial (auto/false) or the body's geoms (auto/true). */
function bodyMass(body: number, inertial: XmlElement | undefined, ctx: Context): MassProps {
  const mode = ctx.compiler.inertiafromgeom;
  if (inertial && mode === 'true') {
    readInertial(inertial, ctx);
    warnElement(inertial, "compiler inertiafromgeom is 'true', so geoms define the inertia", ctx.warnings);
  } else if (inertial) {
    return readInertial(inertial, ctx);
  }
  if (mode === 'false') return structuredClone(ZERO_MASS);
  const parts = ctx.bodies[body]!.geoms.map((g) => {
    const geom = ctx.geoms[g]!;
    return { pos: geom.pos, quat: geom.quat, mass: geom.mass, inertia: ctx.geomInertia[g]! };
  });
  return combineParts(parts);
}

/** An `<inertial>`: `pos` and `mass` required; `diaginertia` in the given frame or `fullinertia` diagonalised. */
function readInertial(el: XmlElement, ctx: Context): MassProps {
  const a = readAttrs(el, inertialSpec, ctx.warnings);
  if (a.fullinertia && a.diaginertia) fail(el.path, 'fullinertia', 'give either diaginertia or fullinertia, not both');
  let inertia: Vec3;
  let iquat: Quat;
  if (a.fullinertia) {
    const orientation = ORIENTATION_KEYS.find((k) => a[k] !== undefined);
    if (orientation) fail(el.path, orientation, 'cannot be combined with fullinertia (its principal frame is computed)');
    ({ inertia, iquat } = principalAxes(fullInertiaMatrix(a.fullinertia)));
  } else {
    inertia = a.diaginertia ? [a.diaginertia[0]!, a.diaginertia[1]!, a.diaginertia[2]!] : [0, 0, 0];
    iquat = orientationQuat(a, ctx.compiler, el.path);
  }
  if (!isPhysicalInertia(inertia)) {
    fail(el.path, a.fullinertia ? 'fullinertia' : 'diaginertia', `principal moments ${inertia.join(' ')} must be non-negative and satisfy A + B >= C`);
  }
  return { mass: a.mass!, ipos: [...a.pos!], iquat, inertia };
}
