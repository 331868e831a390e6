// Readers for the leaf elements of a body: <geom>, <site>, <joint>, <freejoint>.
import { add, norm, normalize, scale, sub, type Quat, type Vec3 } from '../math.ts';
import type { GeomType, JointType } from '../model.ts';
import { readAttrs } from './attrs.ts';
import type { Context } from './context.ts';
import { classFor, mergeAttrs, padWith } from './defaults.ts';
import { fail } from './errors.ts';
import { geomInertia, geomVolume } from './inertia.ts';
import { angleUnit, orientationQuat, zAxisToQuat } from './orient.ts';
import { freejointSpec, geomSpec, jointSpec, ORIENTATION_KEYS, siteSpec, type AttrsOf } from './schema.ts';
import type { XmlElement } from './xml.ts';

const DEFAULT_RGBA: [number, number, number, number] = [0.5, 0.5, 0.5, 1];
const DEFAULT_FRICTION: Vec3 = [1, 0.005, 0.0001];
const DEFAULT_SITE_SIZE = [0.005, 0.005, 0.005];
/** Density (kg/m³) used when a geom gives neither mass nor density: water, as in MuJoCo. */
const DEFAULT_DENSITY = 1000;

const SIZE_NEEDS: Record<GeomType, [number, string]> = {
  sphere: [1, 'radius'],
  capsule: [2, 'radius, half-length'],
  cylinder: [2, 'radius, half-length'],
  box: [3, 'x, y, z half-sizes'],
  plane: [3, 'x half-size, y half-size, grid spacing'],
};

/**
 * The size values a geom type uses (extra values are ignored, as in MuJoCo). With `fromto`, only the
 * radius (box: half-width) is read from `size`. Sizes are metres and must be positive
 * (plane half-sizes may be 0 = infinite).
 */
function geomSize(type: GeomType, values: readonly number[], path: string, fromto: boolean): number[] {
  const [count, what] = fromto ? [1, type === 'box' ? 'half-width' : 'radius'] : SIZE_NEEDS[type];
  if (values.length < count) {
    const suffix = fromto ? ' with fromto' : '';
    fail(path, 'size', `${type}${suffix} needs ${count} number${count > 1 ? 's' : ''} (${what}), got ${values.length}`);
  }
  const used = values.slice(0, count);
  const bad = type === 'plane' ? used[2]! <= 0 || used[0]! < 0 || used[1]! < 0 : used.some((x) => x <= 0);
  if (bad) fail(path, 'size', `${type} ${what} must be positive${type === 'plane' ? ' (half-sizes may be 0)' : ''}, got ${used.join(' ')}`);
  return used;
}

type GeomAttrs = AttrsOf<typeof geomSpec>;

/** Pose and size from `fromto`: centre at the midpoint, local z along the segment, half-length = half its length. */
function fromtoPose(el: XmlElement, type: GeomType, a: GeomAttrs, ctx: Context): { pos: Vec3; quat: Quat; size: number[] } {
  if (type !== 'capsule' && type !== 'cylinder' && type !== 'box') fail(el.path, 'fromto', `fromto needs a capsule, cylinder or box geom, not ${type}`);
  if (a.pos && a.pos.some((x) => x !== 0)) fail(el.path, 'pos', 'both pos and fromto are given; fromto sets the position');
  for (const key of ORIENTATION_KEYS) {
    if (a[key] !== undefined) ctx.warnings.push(`${el.path}.${key}: ignored (fromto sets the orientation)`);
  }
  const f = a.fromto!;
  const from: Vec3 = [f[0], f[1], f[2]];
  const to: Vec3 = [f[3], f[4], f[5]];
  const d = sub(from, to);
  const length = norm(d);
  if (length < 1e-10) fail(el.path, 'fromto', 'the two points coincide');
  const [r] = geomSize(type, a.size ?? [], el.path, true) as [number];
  const size = type === 'box' ? [r, r, length / 2] : [r, length / 2];
  return { pos: scale(add(from, to), 0.5), quat: zAxisToQuat(scale(d, 1 / length)), size };
}

/** Reads a `<geom>` of `body`; pose in the body frame, mass = `mass` or density × volume (planes 0). */
export function readGeom(el: XmlElement, body: number, childclass: string, ctx: Context): void {
  const own = readAttrs(el, geomSpec, ctx.warnings);
  const a = mergeAttrs(classFor(ctx.defaults, own.class, childclass, el.path).geom, own);
  const type = a.type ?? 'sphere';
  const { pos, quat, size } = a.fromto
    ? fromtoPose(el, type, a, ctx)
    : { pos: a.pos ?? ([0, 0, 0] as Vec3), quat: orientationQuat(a, ctx.compiler, el.path), size: geomSize(type, a.size ?? [], el.path, false) };
  const mass = type === 'plane' ? 0 : (a.mass ?? (a.density ?? DEFAULT_DENSITY) * geomVolume(type, size));
  const index = ctx.geoms.length;
  if (own.name !== undefined) ctx.names.add('geom', own.name, index, el.path);
  ctx.geoms.push({
    name: own.name ?? null, body, type, size, pos: [...pos], quat, mass,
    friction: padWith(a.friction, DEFAULT_FRICTION) as Vec3,
    contype: a.contype ?? 1, conaffinity: a.conaffinity ?? 1, rgba: a.rgba ?? [...DEFAULT_RGBA],
  });
  ctx.geomInertia.push(geomInertia(type, size, mass));
  ctx.geomPaths.push(el.path);
  ctx.bodies[body]!.geoms.push(index);
}

/** Reads a `<site>` of `body` (unnamed sites are auto-named later). Size padded with MuJoCo's 0.005 m default. */
export function readSite(el: XmlElement, body: number, childclass: string, ctx: Context): void {
  const own = readAttrs(el, siteSpec, ctx.warnings);
  const a = mergeAttrs(classFor(ctx.defaults, own.class, childclass, el.path).site, own);
  const index = ctx.sites.length;
  if (own.name !== undefined) ctx.names.add('site', own.name, index, el.path);
  ctx.sites.push({
    name: own.name ?? '', body, pos: a.pos ?? [0, 0, 0], quat: orientationQuat(a, ctx.compiler, el.path),
    size: padWith(a.size, DEFAULT_SITE_SIZE), rgba: a.rgba ?? [...DEFAULT_RGBA],
  });
  ctx.bodies[body]!.sites.push(index);
}

/**
 * `[lo, hi]` when limited, else null. `limited` 'auto' means limited iff a non-zero range is given
 * (and then compiler autolimits must be on, as MuJoCo requires). A limited range needs lo < hi.
 */
export function resolveLimit(
  limited: 'true' | 'false' | 'auto' | undefined, range: [number, number] | undefined, autolimits: boolean,
  path: string, field: string, limitedField: string,
): [number, number] | null {
  const hasRange = range !== undefined && (range[0] !== 0 || range[1] !== 0);
  const mode = limited ?? 'auto';
  if (mode === 'false' || (mode === 'auto' && !hasRange)) return null;
  if (mode === 'auto' && !autolimits) {
    fail(path, field, `${field} is given but ${limitedField} is 'auto' and compiler autolimits is false; set ${limitedField} explicitly`);
  }
  const [lo, hi] = range ?? [0, 0];
  if (!(lo < hi)) fail(path, field, `lo must be less than hi, got ${lo} ${hi}`);
  return [lo, hi];
}

type JointAttrs = AttrsOf<typeof jointSpec>;

/** Joint limits in radians (hinge, ball) or metres (slide); ball ranges must be `0 max-angle`. */
function jointRange(type: JointType, a: JointAttrs, path: string, ctx: Context): [number, number] | null {
  if (type === 'ball' && a.range && a.range[0] !== 0) fail(path, 'range', `a ball joint range must be '0 max-angle', got ${a.range.join(' ')}`);
  const range = resolveLimit(a.limited, a.range, ctx.compiler.autolimits, path, 'range', 'limited');
  if (range === null) return null;
  if (type === 'free') {
    ctx.warnings.push(`${path}.range: ignored (free joints cannot be limited)`);
    return null;
  }
  const unit = type === 'slide' ? 1 : angleUnit(ctx.compiler);
  return [range[0] * unit, range[1] * unit];
}

/** Adds a joint to `body` with qpos/dof addresses filled in later. */
function pushJoint(ctx: Context, body: number, path: string, joint: Omit<Context['joints'][number], 'qposAdr' | 'dofAdr'>): void {
  const index = ctx.joints.length;
  if (joint.name !== '') ctx.names.add('joint', joint.name, index, path);
  ctx.joints.push({ ...joint, qposAdr: 0, dofAdr: 0 });
  ctx.jointPaths.push(path);
  ctx.bodies[body]!.joints.push(index);
}

/** Reads a `<joint>`; hinge range, ref and springref are converted to radians per compiler angle. */
export function readJoint(el: XmlElement, body: number, childclass: string, topLevel: boolean, ctx: Context): void {
  const own = readAttrs(el, jointSpec, ctx.warnings);
  const a = mergeAttrs(classFor(ctx.defaults, own.class, childclass, el.path).joint, own);
  const type = a.type ?? 'hinge';
  if (type === 'free' && !topLevel) fail(el.path, 'type', 'free joints are only allowed in top-level bodies (direct children of worldbody)');
  const unit = type === 'hinge' ? angleUnit(ctx.compiler) : 1;
  pushJoint(ctx, body, el.path, {
    name: own.name ?? '', type, body, pos: a.pos ?? [0, 0, 0], axis: normalize(a.axis ?? [0, 0, 1]),
    range: jointRange(type, a, el.path, ctx),
    damping: a.damping ?? 0, armature: a.armature ?? 0, stiffness: a.stiffness ?? 0,
    springref: (a.springref ?? 0) * unit, ref: (a.ref ?? 0) * unit,
  });
}

/** Reads a `<freejoint>` (MuJoCo applies no default class to it). */
export function readFreejoint(el: XmlElement, body: number, topLevel: boolean, ctx: Context): void {
  const own = readAttrs(el, freejointSpec, ctx.warnings);
  if (!topLevel) fail(el.path, undefined, 'free joints are only allowed in top-level bodies (direct children of worldbody)');
  pushJoint(ctx, body, el.path, {
    name: own.name ?? '', type: 'free', body, pos: [0, 0, 0], axis: [0, 0, 1], range: null,
    damping: 0, armature: 0, stiffness: 0, springref: 0, ref: 0,
  });
}
