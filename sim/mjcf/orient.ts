// MJCF orientation specifiers (quat, axisangle, euler, xyaxes, zaxis) → unit quaternions, as MuJoCo computes them.
import {
  cross, dot, IDENTITY_QUAT, matToQuat, normalize, norm, quatFromAxisAngle, quatMul, quatNormalize, scale, sub,
  type Quat, type Vec3,
} from '../math.ts';
import type { CompilerSettings } from './context.ts';
import { fail } from './errors.ts';
import { ORIENTATION_KEYS } from './schema.ts';

/** The orientation attributes an element may carry (angles in compiler units). */
export interface OrientationAttrs {
  quat?: [number, number, number, number];
  axisangle?: [number, number, number, number];
  euler?: [number, number, number];
  xyaxes?: [number, number, number, number, number, number];
  zaxis?: [number, number, number];
}

/** Radians per compiler angle unit. */
export function angleUnit(compiler: CompilerSettings): number {
  return compiler.angle === 'degree' ? Math.PI / 180 : 1;
}

/** Unit quaternion of the element's orientation (identity when none is given); at most one specifier allowed. */
export function orientationQuat(attrs: OrientationAttrs, compiler: CompilerSettings, path: string): Quat {
  const given = ORIENTATION_KEYS.filter((k) => attrs[k] !== undefined);
  if (given.length > 1) fail(path, given[1], `multiple orientation specifiers (${given.join(', ')}); give at most one`);
  const unit = angleUnit(compiler);
  if (attrs.quat) return quatNormalize(attrs.quat);
  if (attrs.axisangle) {
    const [x, y, z, angle] = attrs.axisangle;
    return quatFromAxisAngle([x, y, z], angle * unit);
  }
  if (attrs.euler) return eulerToQuat(scale(attrs.euler, unit), compiler.eulerseq);
  if (attrs.xyaxes) return xyAxesToQuat(attrs.xyaxes, path);
  if (attrs.zaxis) return zAxisToQuat(normalize(attrs.zaxis));
  return [...IDENTITY_QUAT];
}

/**
 * Euler angles (radians) → quaternion, MuJoCo's convention: for each letter of `seq` in turn,
 * lowercase rotates about the current (moving) axis (post-multiply), uppercase about the fixed axis (pre-multiply).
 */
export function eulerToQuat(angles: Vec3, seq: string): Quat {
  let q: Quat = [...IDENTITY_QUAT];
  for (let i = 0; i < 3; i++) {
    const letter = seq[i]!;
    const axis: Vec3 = [0, 0, 0];
    axis['xyz'.indexOf(letter.toLowerCase())] = 1;
    const r = quatFromAxisAngle(axis, angles[i]!);
    q = letter === letter.toLowerCase() ? quatMul(q, r) : quatMul(r, q);
  }
  return quatNormalize(q);
}

/** Frame from an x axis and a y axis (made orthogonal to x), z = x × y. */
function xyAxesToQuat(v: [number, number, number, number, number, number], path: string): Quat {
  const x = normalize([v[0], v[1], v[2]]);
  const yRaw: Vec3 = [v[3], v[4], v[5]];
  const yOrtho = sub(yRaw, scale(x, dot(x, yRaw)));
  if (norm(yOrtho) < 1e-10) fail(path, 'xyaxes', 'x and y axes are parallel');
  const y = normalize(yOrtho);
  const z = normalize(cross(x, y));
  return matToQuat([x[0], y[0], z[0], x[1], y[1], z[1], x[2], y[2], z[2]]);
}

/**
 * Rotation taking local +z onto the unit vector `v` (MuJoCo's `mjuu_z2quat`): about z × v, or
 * about +x by π when v is antiparallel to z.
 */
export function zAxisToQuat(v: Vec3): Quat {
  const c = cross([0, 0, 1], v);
  const s = norm(c);
  const axis: Vec3 = s < 1e-10 ? [1, 0, 0] : scale(c, 1 / s);
  const angle = Math.atan2(s, v[2]);
  const h = Math.sin(angle / 2);
  return [Math.cos(angle / 2), axis[0] * h, axis[1] * h, axis[2] * h];
}
