// The one perturbation API: push(env, {body, point, force | impulse, duration}), shared by tests, CLI and viewer.
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

/** Anything that can be pushed: the simulated tasks. */
export interface Pushable {
  applyPush(push: PushSpec): PushRecord;
}

/** Validates and applies a push; returns the record that also appears in the next `info.pushes`. */
export function push(env: Pushable, spec: unknown): PushRecord {
  const parsed = PushSchema.safeParse(spec);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`push.${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  return env.applyPush(parsed.data);
}
