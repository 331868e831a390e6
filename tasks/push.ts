// The one perturbation API: push(env, {body, point, force | impulse, duration}) and drag(env, {body, point, target}), shared by tests, CLI and viewer.
import { z } from 'zod';
import type { PushRecord } from './env.ts';

const vec3 = z.tuple([z.number(), z.number(), z.number()]);

/**
 * A push: an `impulse` (N·s, world frame, applied at once) or a `force` (N, world frame) held for
 * `duration` seconds, at a world `point` on `body` (default: its centre of mass).
 */
export const PushSchema = z
  .object({
    body: z.string().min(1),
    point: vec3.optional(),
    force: vec3.optional(),
    impulse: vec3.optional(),
    duration: z.number().positive().max(60).optional(),
  })
  .strict()
  .refine((p) => (p.force === undefined) !== (p.impulse === undefined), { message: 'give exactly one of force or impulse', path: ['force'] })
  .refine((p) => p.force === undefined || p.duration !== undefined, { message: 'a force needs a duration in seconds', path: ['duration'] })
  .refine((p) => p.impulse === undefined || p.duration === undefined, { message: 'an impulse is instantaneous: no duration', path: ['duration'] });

export type PushSpec = z.output<typeof PushSchema>;

/** A push scheduled in a task config: applied just before environment step `step` (0 = first). */
export const ScheduledPushSchema = z.intersection(z.object({ step: z.number().int().min(0) }), PushSchema);
export type ScheduledPush = z.output<typeof ScheduledPushSchema>;

/**
 * A drag, as MuJoCo's viewer drags: a critically damped spring of natural frequency `hz` pulls the
 * world `point` on `body` (fixed in the body when the drag starts; default its frame origin) toward
 * the world `target` (m), with force `F = m (ω² Δx − 2 ω v)` scaled by the dragged subtree's mass,
 * applied at every physics substep until released. Sending the same body again moves the target
 * (the grab point is kept); `target: null` releases.
 */
export const DragSchema = z
  .object({
    body: z.string().min(1),
    point: vec3.optional(),
    target: vec3.nullable(),
    hz: z.number().positive().max(50).default(3),
  })
  .strict();

export type DragSpec = z.output<typeof DragSchema>;

/** Anything that can be pushed: the simulated tasks. */
export interface Pushable {
  applyPush(push: PushSpec): PushRecord;
}

/** Anything that can be dragged: the simulated tasks. */
export interface Draggable {
  applyDrag(drag: DragSpec): PushRecord;
}

/** Validates and applies a push; returns the record that also appears in the next `info.pushes`. */
export function push(env: Pushable, spec: unknown): PushRecord {
  return env.applyPush(parseOrThrow(PushSchema, spec, 'push'));
}

/**
 * Validates and starts, moves or releases a drag (see DragSchema); returns its record (with a
 * `drag` entry), which also appears in the next `info.pushes`, so replaying the records at the
 * same steps reproduces the drag exactly.
 */
export function drag(env: Draggable, spec: unknown): PushRecord {
  return env.applyDrag(parseOrThrow(DragSchema, spec, 'drag'));
}

function parseOrThrow<S extends z.ZodType>(schema: S, value: unknown, what: string): z.output<S> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`${what}.${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  return parsed.data;
}
