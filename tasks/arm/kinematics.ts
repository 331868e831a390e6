// Arm kinematics without allocation: forward kinematics of a serial hinge chain, site Jacobian and gravity torques.
import type { Model } from '../../sim/model.ts';
import { indexOf } from '../../sim/model.ts';
import { forwardKinematics, referenceQpos } from '../../sim/kinematics.ts';
import { quatToMat, rotate, sub, type Vec3 } from '../../sim/math.ts';

/** One body of the chain: its pose in the parent chain body and the hinge joints it carries. */
interface ChainLink {
  pos: Vec3;
  /** Row-major rotation of the body in its parent. */
  rot: Float64Array;
  /** Chain indices of the hinges on this body, in declaration order. */
  joints: number[];
  /** Mass (kg) of this body plus the jointless or off-chain bodies below it, lumped at the reference pose. */
  mass: number;
  /** Centre of that mass in this body's frame (m). */
  com: Vec3;
}

/** Row-major 3×3 product `out = a · b` (out must not alias a or b). */
function matMul(a: Float64Array, b: Float64Array, out: Float64Array): void {
  for (let r = 0; r < 3; r++) {
    for (let c = 0; c < 3; c++) out[3 * r + c] = a[3 * r]! * b[c]! + a[3 * r + 1]! * b[3 + c]! + a[3 * r + 2]! * b[6 + c]!;
  }
}

/** `out[o..o+3] = base[b..b+3] + s · R · v` for the row-major rotation at `R[r..r+9]`. */
function transformInto(R: Float64Array, r: number, v: ArrayLike<number>, s: number, base: ArrayLike<number>, b: number, out: Float64Array, o: number): void {
  const x = v[0]!, y = v[1]!, z = v[2]!;
  for (let i = 0; i < 3; i++) out[o + i] = base[b + i]! + s * (R[r + 3 * i]! * x + R[r + 3 * i + 1]! * y + R[r + 3 * i + 2]! * z);
}

/** Rodrigues: row-major rotation by `angle` (rad) about unit `axis`. */
function axisAngle(axis: Vec3, angle: number, out: Float64Array): void {
  const [x, y, z] = axis;
  const c = Math.cos(angle), s = Math.sin(angle), t = 1 - c;
  out[0] = t * x * x + c; out[1] = t * x * y - s * z; out[2] = t * x * z + s * y;
  out[3] = t * x * y + s * z; out[4] = t * y * y + c; out[5] = t * y * z - s * x;
  out[6] = t * x * z - s * y; out[7] = t * y * z + s * x; out[8] = t * z * z + c;
}

/**
 * The serial chain of hinge joints from the world to a site (the arm up to its `grip` site).
 * `forward(q)` fills, in the world frame: each joint's anchor (m) and unit axis, the site position
 * (m) and the site body's rotation (row-major). All buffers are preallocated and overwritten.
 */
export class ArmChain {
  /** Model joint indices of the chain's hinges, base to tip. */
  readonly joints: number[];
  readonly qposAdr: number[];
  readonly dofAdr: number[];
  /** Joint ranges (rad), ±Infinity when unlimited. */
  readonly lower: Float64Array;
  readonly upper: Float64Array;
  readonly anchors: Float64Array;
  readonly axes: Float64Array;
  readonly sitePos = new Float64Array(3);
  readonly siteRot = new Float64Array(9);
  private readonly links: ChainLink[];
  /** Chain link index carrying each joint. */
  private readonly jointLink: number[];
  private readonly siteLocal: Vec3;
  private readonly jointAxis: Vec3[];
  private readonly jointPos: Vec3[];
  private readonly jointRef: number[];
  private readonly linkPos: Float64Array;
  private readonly linkRot: Float64Array;
  private readonly worldRot: Float64Array;
  private readonly rot = new Float64Array(9);
  private readonly hingeRot = new Float64Array(9);
  private readonly prod = new Float64Array(9);
  private readonly pos = new Float64Array(3);
  private readonly com = new Float64Array(3);

  constructor(readonly model: Model, siteName: string) {
    const site = model.sites[indexOf(model.sites, siteName, 'site')]!;
    const path: number[] = [];
    for (let b = site.body; b !== 0; b = model.bodies[b]!.parent) path.unshift(b);
    this.joints = path.flatMap((b) => model.bodies[b]!.joints);
    const js = this.joints.map((j) => model.joints[j]!);
    for (const j of js) if (j.type !== 'hinge') throw new Error(`ArmChain: joint '${j.name}' on the path to '${siteName}' is not a hinge`);
    this.qposAdr = js.map((j) => j.qposAdr);
    this.dofAdr = js.map((j) => j.dofAdr);
    this.lower = Float64Array.from(js, (j) => j.range?.[0] ?? -Infinity);
    this.upper = Float64Array.from(js, (j) => j.range?.[1] ?? Infinity);
    this.jointAxis = js.map((j) => j.axis);
    this.jointPos = js.map((j) => j.pos);
    this.jointRef = js.map((j) => j.ref);
    this.anchors = new Float64Array(3 * js.length);
    this.axes = new Float64Array(3 * js.length);
    this.links = lumpLinks(model, path, this.joints);
    this.jointLink = this.links.flatMap((l, k) => l.joints.map(() => k));
    this.siteLocal = site.pos;
    this.linkPos = new Float64Array(3 * path.length);
    this.linkRot = new Float64Array(9 * path.length);
    this.worldRot = Float64Array.from(quatToMat(model.bodies[0]!.quat));
  }

  /** Number of hinges (degrees of freedom) in the chain. */
  get dof(): number {
    return this.joints.length;
  }

  /** Copies the chain's joint values out of a full qpos. */
  readJoints(qpos: ArrayLike<number>, out: Float64Array): Float64Array {
    for (let i = 0; i < this.qposAdr.length; i++) out[i] = qpos[this.qposAdr[i]!]!;
    return out;
  }

  /** Forward kinematics for chain joint values `q` (rad); see the class comment for the outputs. */
  forward(q: ArrayLike<number>): void {
    const R = this.rot, p = this.pos;
    R.set(this.worldRot);
    p.set(this.model.bodies[0]!.pos);
    this.links.forEach((link, k) => {
      transformInto(R, 0, link.pos, 1, p, 0, p, 0);
      matMul(R, link.rot, this.prod);
      R.set(this.prod);
      for (const j of link.joints) this.applyHinge(j, q[j]!);
      this.linkPos.set(p, 3 * k);
      this.linkRot.set(R, 9 * k);
    });
    transformInto(R, 0, this.siteLocal, 1, p, 0, this.sitePos, 0);
    this.siteRot.set(R);
  }

  /**
   * Jacobian of the site at the last `forward` (world frame), row-major 6 × dof into `out`:
   * rows 0–2 linear velocity (m/rad), rows 3–5 angular velocity (rad/rad).
   */
  jacobian(out: Float64Array): Float64Array {
    const n = this.dof;
    const a = this.axes, c = this.anchors, s = this.sitePos;
    for (let j = 0; j < n; j++) {
      const ax = a[3 * j]!, ay = a[3 * j + 1]!, az = a[3 * j + 2]!;
      const rx = s[0]! - c[3 * j]!, ry = s[1]! - c[3 * j + 1]!, rz = s[2]! - c[3 * j + 2]!;
      out[j] = ay * rz - az * ry;
      out[n + j] = az * rx - ax * rz;
      out[2 * n + j] = ax * ry - ay * rx;
      out[3 * n + j] = ax; out[4 * n + j] = ay; out[5 * n + j] = az;
    }
    return out;
  }

  /**
   * Generalized gravity force on each hinge (N·m about its axis) at the last `forward`, for gravity
   * `g` (m/s², world). A servo holds the chain still by supplying the opposite torque.
   */
  gravityTorques(g: Vec3, out: Float64Array): Float64Array {
    out.fill(0);
    this.links.forEach((link, k) => {
      if (link.mass === 0) return;
      transformInto(this.linkRot, 9 * k, link.com, 1, this.linkPos, 3 * k, this.com, 0);
      const fx = link.mass * g[0], fy = link.mass * g[1], fz = link.mass * g[2];
      for (let j = 0; j < this.dof && this.jointLink[j]! <= k; j++) {
        const rx = this.com[0]! - this.anchors[3 * j]!, ry = this.com[1]! - this.anchors[3 * j + 1]!, rz = this.com[2]! - this.anchors[3 * j + 2]!;
        const tx = ry * fz - rz * fy, ty = rz * fx - rx * fz, tz = rx * fy - ry * fx;
        out[j] = out[j]! + this.axes[3 * j]! * tx + this.axes[3 * j + 1]! * ty + this.axes[3 * j + 2]! * tz;
      }
    });
    return out;
  }

  /** Applies hinge `j` at angle `q` (rad) to the running frame, recording its world anchor and axis. */
  private applyHinge(j: number, q: number): void {
    const R = this.rot, p = this.pos, jp = this.jointPos[j]!;
    transformInto(R, 0, jp, 1, p, 0, this.anchors, 3 * j);
    transformInto(R, 0, this.jointAxis[j]!, 1, ZERO, 0, this.axes, 3 * j);
    axisAngle(this.jointAxis[j]!, q - this.jointRef[j]!, this.hingeRot);
    matMul(R, this.hingeRot, this.prod);
    R.set(this.prod);
    transformInto(R, 0, jp, -1, this.anchors, 3 * j, p, 0);
  }
}

const ZERO = [0, 0, 0];

/** Chain links with the masses of every body hanging rigidly below each (jointless or off-chain, e.g. fingers). */
function lumpLinks(model: Model, path: number[], chainJoints: number[]): ChainLink[] {
  const fk = forwardKinematics(model, referenceQpos(model), new Float64Array(model.nv));
  const owner = new Map<number, number>();
  model.bodies.forEach((body, b) => {
    if (b === 0) return;
    const k = path.indexOf(b);
    if (k >= 0) owner.set(b, k);
    else if (owner.has(body.parent)) owner.set(b, owner.get(body.parent)!);
  });
  return path.map((b, k) => {
    const body = model.bodies[b]!;
    let mass = 0;
    const sum: Vec3 = [0, 0, 0];
    for (const [d, kk] of owner) {
      if (kk !== k) continue;
      const m = model.bodies[d]!.mass;
      const c = rotate(fk.quat[d]!, model.bodies[d]!.ipos);
      const world = [fk.pos[d]![0] + c[0], fk.pos[d]![1] + c[1], fk.pos[d]![2] + c[2]] as Vec3;
      const local = rotateInv(fk.quat[b]!, sub(world, fk.pos[b]!));
      mass += m;
      for (let i = 0; i < 3; i++) sum[i] = sum[i]! + m * local[i]!;
    }
    const com: Vec3 = mass > 0 ? [sum[0] / mass, sum[1] / mass, sum[2] / mass] : [0, 0, 0];
    const joints = body.joints.map((j) => chainJoints.indexOf(j));
    return { pos: body.pos, rot: Float64Array.from(quatToMat(body.quat)), joints, mass, com };
  });
}

function rotateInv(q: readonly [number, number, number, number], v: Vec3): Vec3 {
  return rotate([q[0], -q[1], -q[2], -q[3]], v);
}
