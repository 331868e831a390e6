// Hinge-goal poses (the door's ghost marker): a body's world pose turned about its hinge line; pure math shared by the page and the tests.
import type { HingeGoal } from './protocol.ts';

/**
 * Writes the world pose of the hinged body `h.body` at hinge angle `angle` (rad): position (m,
 * world) into `pos`, quaternion (w, x, y, z) into `quat`. The body turns by (angle − h.ref) about
 * the line through `h.anchor` along the unit `h.axis`, right-handed, as the hinge joint does.
 * Allocates nothing.
 */
export function hingePose(h: HingeGoal, angle: number, pos: number[] | Float64Array, quat: number[] | Float64Array): void {
  const half = (angle - h.ref) / 2, s = Math.sin(half);
  const rw = Math.cos(half), rx = h.axis[0] * s, ry = h.axis[1] * s, rz = h.axis[2] * s;
  const vx = h.pos[0] - h.anchor[0], vy = h.pos[1] - h.anchor[1], vz = h.pos[2] - h.anchor[2];
  // v' = v + w t + r × t with t = 2 r × v (rotation of v by the unit quaternion r).
  const tx = 2 * (ry * vz - rz * vy), ty = 2 * (rz * vx - rx * vz), tz = 2 * (rx * vy - ry * vx);
  pos[0] = h.anchor[0] + vx + rw * tx + (ry * tz - rz * ty);
  pos[1] = h.anchor[1] + vy + rw * ty + (rz * tx - rx * tz);
  pos[2] = h.anchor[2] + vz + rw * tz + (rx * ty - ry * tx);
  const [qw, qx, qy, qz] = h.quat;
  quat[0] = rw * qw - rx * qx - ry * qy - rz * qz;
  quat[1] = rw * qx + rx * qw + ry * qz - rz * qy;
  quat[2] = rw * qy - rx * qz + ry * qw + rz * qx;
  quat[3] = rw * qz + rx * qy - ry * qx + rz * qw;
}
