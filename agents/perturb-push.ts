// The push path of sweeps: impulses on a body at a point in its frame, evenly spaced directions, slope gravity, robot mass.
import { rotate, type Quat, type Vec3 } from '../sim/math.ts';
import type { Env, PushRecord } from '../tasks/env.ts';
import { simOf } from '../tasks/recording.ts';
import type { PushTarget } from './perturb-schema.ts';

/** World position of a target's point (its body's centre of mass when it has none). */
function worldPoint(env: Env, target: PushTarget): Vec3 | undefined {
  if (!target.point) return undefined;
  const world = simOf(env);
  const b = world?.model.bodies.findIndex((x, i) => i > 0 && x.name === target.body) ?? -1;
  if (!world || b < 0) throw new Error(`${env.spec.id}: no body named '${target.body}' to push`);
  const pos = [0, 0, 0], quat = [1, 0, 0, 0];
  world.bodyPose(b, pos, quat);
  const r = rotate(quat as Quat, target.point);
  return [pos[0]! + r[0], pos[1]! + r[1], pos[2]! + r[2]];
}

/**
 * The sweep's one push path: an impulse (N·s, world) on the target body at its point (given in the
 * body's frame, converted to world now), through the tasks' push API (`perturb` is the env's
 * Recorder or a plain wrapper). Returns the record that also appears in `info.pushes`.
 */
export function pushTarget(perturb: { push(spec: unknown): PushRecord }, env: Env, target: PushTarget, impulse: Vec3): PushRecord {
  const point = worldPoint(env, target);
  return perturb.push({ body: target.body, impulse, ...(point ? { point } : {}) });
}

/** Unit direction k of n, evenly spaced in the plane (see SweepSettingsSchema.plane), and its angle in degrees. */
export function direction(plane: 'horizontal' | 'vertical', k: number, n: number): { vector: Vec3; degrees: number } {
  const a = (2 * Math.PI * k) / n;
  const c = Math.cos(a), s = Math.sin(a);
  const clean = (v: number) => (Math.abs(v) < 1e-12 ? 0 : v);
  return { vector: plane === 'horizontal' ? [clean(c), clean(s), 0] : [clean(c), 0, clean(s)], degrees: (360 * k) / n };
}

/** Gravity (m/s²) on a ground sloping up along +x by `degrees`, as seen in the ground's frame. */
export function slopeGravity(degrees: number, g = 9.81): Vec3 {
  const a = (degrees * Math.PI) / 180;
  return [-g * Math.sin(a), 0, -g * Math.cos(a)];
}

/** Mass (kg) of the model's bodies that are not fixed to the world. */
export function movingMass(env: Env): number {
  const world = simOf(env);
  if (!world) return 0;
  return world.model.bodies.reduce((m, b, i) => (i > 0 && !world.plan.rigids[world.plan.bodies[i]!.rigid]!.fixed ? m + b.mass : m), 0);
}
