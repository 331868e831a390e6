// External pushes on bodies: instant impulses, forces held for a duration, and the viewer's drag spring.
import type RAPIER from '@dimforge/rapier3d-compat';
import type { Vec3 } from './math.ts';
import { C, P, Q, STRIDE, V, W, rotateAt, type RigidState } from './state.ts';
import type { ForceSink } from './forces.ts';

/** A force (N, world frame) applied at a point fixed in a body, until `remaining` seconds run out. */
interface HeldForce { rigid: number; local: Vec3; force: Vec3; remaining: number }

/**
 * A spring pulling a point fixed in a body toward a world target, as MuJoCo's viewer drags:
 * `F = m (ω² (target − p) − 2 ω ṗ)`, critically damped, scaled by the dragged subtree's mass `m`.
 */
export interface DragSpring { rigid: number; local: Vec3; target: Vec3; mass: number; omega: number }

export class Perturbations {
  private held: HeldForce[] = [];
  drag: DragSpring | null = null;
  private readonly tmp = new Float64Array(3);
  private readonly p = { x: 0, y: 0, z: 0 };

  constructor(private readonly sink: ForceSink) {}

  hold(rigid: number, local: Vec3, force: Vec3, duration: number): void {
    this.held.push({ rigid, local, force, remaining: duration });
  }

  clear(): void {
    this.held = [];
    this.drag = null;
  }

  get active(): boolean {
    return this.held.length > 0 || this.drag !== null;
  }

  /** Applies this Rapier step's forces (state must be current) and ages held forces by `dt`. */
  apply(bodies: RAPIER.RigidBody[], state: RigidState, dt: number): void {
    if (!this.active) return;
    for (const h of this.held) {
      this.worldPoint(state, h.rigid, h.local);
      this.sink.forceAt(bodies[h.rigid]!, h.force[0], h.force[1], h.force[2], this.p, dt);
      h.remaining -= dt;
    }
    if (this.held.some((h) => h.remaining <= 1e-12)) this.held = this.held.filter((h) => h.remaining > 1e-12);
    if (this.drag) this.applyDrag(bodies, state, this.drag, dt);
  }

  /** Current drag force (N, world) for display; zero when nothing is dragged. */
  dragForce(state: RigidState, out: Float64Array): void {
    out.fill(0);
    if (this.drag) this.springForce(state, this.drag, out);
  }

  private applyDrag(bodies: RAPIER.RigidBody[], state: RigidState, s: DragSpring, dt: number): void {
    this.springForce(state, s, this.tmp);
    this.sink.forceAt(bodies[s.rigid]!, this.tmp[0]!, this.tmp[1]!, this.tmp[2]!, this.p, dt);
  }

  /** Spring force into `out`; leaves the grabbed point's world position in `this.p`. */
  private springForce(state: RigidState, s: DragSpring, out: Float64Array): void {
    const d = state.data;
    const o = s.rigid * STRIDE;
    this.worldPoint(state, s.rigid, s.local);
    const rx = this.p.x - d[o + C]!, ry = this.p.y - d[o + C + 1]!, rz = this.p.z - d[o + C + 2]!;
    const wx = d[o + W]!, wy = d[o + W + 1]!, wz = d[o + W + 2]!;
    const vx = d[o + V]! + wy * rz - wz * ry;
    const vy = d[o + V + 1]! + wz * rx - wx * rz;
    const vz = d[o + V + 2]! + wx * ry - wy * rx;
    const k = s.mass * s.omega * s.omega;
    const c = 2 * s.mass * s.omega;
    out[0] = k * (s.target[0] - this.p.x) - c * vx;
    out[1] = k * (s.target[1] - this.p.y) - c * vy;
    out[2] = k * (s.target[2] - this.p.z) - c * vz;
  }

  private worldPoint(state: RigidState, rigid: number, local: Vec3): void {
    const d = state.data;
    const o = rigid * STRIDE;
    rotateAt(d, o + Q, local[0], local[1], local[2], this.tmp, 0);
    this.p.x = this.tmp[0]! + d[o + P]!;
    this.p.y = this.tmp[1]! + d[o + P + 1]!;
    this.p.z = this.tmp[2]! + d[o + P + 2]!;
  }
}
