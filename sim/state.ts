// A flat cache of every Rapier body's pose and velocity, read once per step so readouts never call into Rapier.
import type RAPIER from '@dimforge/rapier3d-compat';

/**
 * Row layout per rigid body (stride 16), world frame:
 * `[px, py, pz, qw, qx, qy, qz, vx, vy, vz, wx, wy, wz, cx, cy, cz]`:
 * body origin, orientation, linear velocity of the centre of mass, angular velocity, centre of mass.
 */
export const STRIDE = 16;
export const P = 0;
export const Q = 3;
export const V = 7;
export const W = 10;
export const C = 13;

export class RigidState {
  readonly data: Float64Array;
  private readonly v = { x: 0, y: 0, z: 0 };
  private readonly q = { x: 0, y: 0, z: 0, w: 1 };

  /** @param localCom centre of mass of each body in its own frame, `[count × 3]`. */
  constructor(readonly count: number, private readonly localCom: Float64Array) {
    this.data = new Float64Array(count * STRIDE);
  }

  /**
   * Reads all bodies from Rapier (no allocation). The world centre of mass is computed from the
   * pose, because Rapier refreshes its own only during a step (stale right after a teleport).
   */
  refresh(bodies: RAPIER.RigidBody[]): void {
    const d = this.data;
    const v = this.v;
    for (let i = 0; i < this.count; i++) {
      const b = bodies[i]!;
      const o = i * STRIDE;
      b.translation(v);
      d[o] = v.x; d[o + 1] = v.y; d[o + 2] = v.z;
      b.rotation(this.q);
      d[o + 3] = this.q.w; d[o + 4] = this.q.x; d[o + 5] = this.q.y; d[o + 6] = this.q.z;
      b.linvel(v);
      d[o + 7] = v.x; d[o + 8] = v.y; d[o + 9] = v.z;
      b.angvel(v);
      d[o + 10] = v.x; d[o + 11] = v.y; d[o + 12] = v.z;
      rotateAt(d, o + 3, this.localCom[i * 3]!, this.localCom[i * 3 + 1]!, this.localCom[i * 3 + 2]!, d, o + 13);
      d[o + 13] = d[o + 13]! + d[o]!; d[o + 14] = d[o + 14]! + d[o + 1]!; d[o + 15] = d[o + 15]! + d[o + 2]!;
    }
  }
}

/** Rotates local vector (x, y, z) by the quaternion stored at `d[o..o+4]` (w, x, y, z) into `out[k..k+3]`. */
export function rotateAt(d: Float64Array, o: number, x: number, y: number, z: number, out: Float64Array | number[], k: number): void {
  const w = d[o]!, qx = d[o + 1]!, qy = d[o + 2]!, qz = d[o + 3]!;
  const tx = 2 * (qy * z - qz * y);
  const ty = 2 * (qz * x - qx * z);
  const tz = 2 * (qx * y - qy * x);
  out[k] = x + w * tx + (qy * tz - qz * ty);
  out[k + 1] = y + w * ty + (qz * tx - qx * tz);
  out[k + 2] = z + w * tz + (qx * ty - qy * tx);
}

/** Rotates (x, y, z) by the inverse of the quaternion at `d[o..o+4]`. */
export function unrotateAt(d: Float64Array, o: number, x: number, y: number, z: number, out: Float64Array | number[], k: number): void {
  const w = d[o]!, qx = -d[o + 1]!, qy = -d[o + 2]!, qz = -d[o + 3]!;
  const tx = 2 * (qy * z - qz * y);
  const ty = 2 * (qz * x - qx * z);
  const tz = 2 * (qx * y - qy * x);
  out[k] = x + w * tx + (qy * tz - qz * ty);
  out[k + 1] = y + w * ty + (qz * tx - qx * tz);
  out[k + 2] = z + w * tz + (qx * ty - qy * tx);
}
