// Geom volumes and inertias, and combining geoms or an explicit inertial into a body's principal inertia frame.
import {
  add, dot, IDENTITY_QUAT, quatToMat, rotateDiagonal, scale, sub, symmetricEigen, det3, matToQuat,
  type Mat3, type Quat, type Vec3,
} from '../math.ts';
import type { GeomType } from '../model.ts';

/** Mass properties in a body frame: COM `ipos`, principal axes `iquat`, principal moments `inertia` (kg·m²). */
export interface MassProps {
  mass: number;
  ipos: Vec3;
  iquat: Quat;
  inertia: Vec3;
}

export const ZERO_MASS: MassProps = { mass: 0, ipos: [0, 0, 0], iquat: [...IDENTITY_QUAT], inertia: [0, 0, 0] };

/** Volume (m³) of a geom with MuJoCo size semantics; planes have none. Capsule = cylinder + two hemispheres. */
export function geomVolume(type: GeomType, size: readonly number[]): number {
  const [a = 0, b = 0, c = 0] = size;
  switch (type) {
    case 'sphere': return (4 / 3) * Math.PI * a ** 3;
    case 'capsule': return Math.PI * a * a * (2 * b) + (4 / 3) * Math.PI * a ** 3;
    case 'cylinder': return Math.PI * a * a * (2 * b);
    case 'box': return 8 * a * b * c;
    case 'plane': return 0;
  }
}

/** Principal moments (kg·m²) of a solid geom of `mass` about its centre, in the geom frame (axis along z). */
export function geomInertia(type: GeomType, size: readonly number[], mass: number): Vec3 {
  const [a = 0, b = 0, c = 0] = size;
  switch (type) {
    case 'sphere': {
      const i = (2 / 5) * mass * a * a;
      return [i, i, i];
    }
    case 'capsule': return capsuleInertia(a, b, mass);
    case 'cylinder': {
      const i = (mass * (3 * a * a + 4 * b * b)) / 12;
      return [i, i, (mass * a * a) / 2];
    }
    case 'box': return [(mass * (b * b + c * c)) / 3, (mass * (a * a + c * c)) / 3, (mass * (a * a + b * b)) / 3];
    case 'plane': return [0, 0, 0];
  }
}

/** Capsule of radius r and half-length h: cylinder plus two hemispheres displaced along z (as MuJoCo). */
function capsuleInertia(r: number, h: number, mass: number): Vec3 {
  const height = 2 * h;
  const sphereMass = (mass * 4 * r) / (4 * r + 3 * height);
  const cylinderMass = mass - sphereMass;
  const sphereI = (2 * sphereMass * r * r) / 5;
  const lateral =
    (cylinderMass * (3 * r * r + height * height)) / 12 + sphereI + (sphereMass * height * (3 * r + 2 * height)) / 8;
  return [lateral, lateral, (cylinderMass * r * r) / 2 + sphereI];
}

/** A mass at `pos` with principal moments `inertia` about axes rotated by `quat`. */
export interface MassPart {
  pos: Vec3;
  quat: Quat;
  mass: number;
  inertia: Vec3;
}

/**
 * Combines parts (geoms) into body mass properties: COM is the mass-weighted mean; the inertia tensor
 * sums each rotated part tensor plus m(|d|²I − ddᵀ) about the COM, then is diagonalised.
 * A single massive part keeps its own frame, as MuJoCo does.
 */
export function combineParts(parts: readonly MassPart[]): MassProps {
  const massive = parts.filter((p) => p.mass > 0);
  if (massive.length === 0) return structuredClone(ZERO_MASS);
  if (massive.length === 1) {
    const p = massive[0]!;
    return { mass: p.mass, ipos: [...p.pos], iquat: [...p.quat], inertia: [...p.inertia] };
  }
  const mass = massive.reduce((s, p) => s + p.mass, 0);
  const ipos = scale(massive.reduce<Vec3>((s, p) => add(s, scale(p.pos, p.mass)), [0, 0, 0]), 1 / mass);
  const tensor = new Array<number>(9).fill(0);
  for (const p of massive) {
    const local = rotateDiagonal(quatToMat(p.quat), p.inertia);
    const d = sub(p.pos, ipos);
    const dd = dot(d, d);
    for (let i = 0; i < 3; i++) {
      for (let j = 0; j < 3; j++) tensor[i * 3 + j]! += local[i * 3 + j]! + p.mass * ((i === j ? dd : 0) - d[i]! * d[j]!);
    }
  }
  return { mass, ipos, ...principalAxes(tensor as Mat3) };
}

/**
 * Principal moments (sorted decreasing, as MuJoCo; round-off negatives zeroed) and the rotation from the
 * principal frame to the frame of the symmetric tensor `m`, as a unit quaternion of a proper rotation.
 */
export function principalAxes(m: Mat3): { inertia: Vec3; iquat: Quat } {
  const { values, rotation } = symmetricEigen(m);
  const order = [0, 1, 2].sort((i, j) => values[j]! - values[i]!);
  const r = new Array<number>(9);
  order.forEach((src, col) => {
    for (let row = 0; row < 3; row++) r[row * 3 + col] = rotation[row * 3 + src]!;
  });
  if (det3(r) < 0) for (let row = 0; row < 3; row++) r[row * 3 + 2] = -r[row * 3 + 2]!;
  const tiny = 1e-12 * (Math.abs(values[0]) + Math.abs(values[1]) + Math.abs(values[2]));
  const inertia = order.map((i) => (Math.abs(values[i]!) <= tiny ? 0 : values[i]!)) as Vec3;
  return { inertia, iquat: matToQuat(r as Mat3) };
}

/** Symmetric tensor from MuJoCo's `fullinertia` order `ixx iyy izz ixy ixz iyz`. */
export function fullInertiaMatrix(v: readonly number[]): Mat3 {
  const [xx = 0, yy = 0, zz = 0, xy = 0, xz = 0, yz = 0] = v;
  return [xx, xy, xz, xy, yy, yz, xz, yz, zz];
}

/** True when principal moments are non-negative and satisfy A + B ≥ C for every ordering (with tolerance). */
export function isPhysicalInertia(i: Vec3): boolean {
  const tol = 1e-12 * (Math.abs(i[0]) + Math.abs(i[1]) + Math.abs(i[2]));
  if (i.some((x) => x < 0)) return false;
  return i[0] + i[1] >= i[2] - tol && i[0] + i[2] >= i[1] - tol && i[1] + i[2] >= i[0] - tol;
}
