// Simulation settings (zod): step size, substeps and solver iterations, validated with field-named errors.
import { z } from 'zod';

export const SimSettingsSchema = z
  .object({
    /** Physics step in seconds; defaults to the model's `option/timestep`. */
    timestep: z.number().positive().max(0.1).optional(),
    /** Rapier steps per physics step (each of `timestep / substeps` seconds). */
    substeps: z.number().int().min(1).max(64).default(1),
    /** Rapier solver iterations per Rapier step (TGS-soft substeps inside the solver). */
    solverIterations: z.number().int().min(1).max(64).default(4),
    /**
     * Joint formulation: `impulse` (maximal coordinates, constraint forces; springs, damping and
     * servos implicit in joint motors) or `multibody` (reduced coordinates: jointed bodies cannot
     * drift apart; springs, damping and servos applied as explicit forces).
     */
    joints: z.enum(['impulse', 'multibody']).default('impulse'),
    /** Extra PGS iterations inside each solver iteration. */
    pgsIterations: z.number().int().min(1).max(16).default(1),
  })
  .strict();

export type SimSettings = z.output<typeof SimSettingsSchema>;
export type SimSettingsInput = z.input<typeof SimSettingsSchema>;

/** Parses settings, throwing an error that names the offending field. */
export function parseSimSettings(input: unknown): SimSettings {
  const result = SimSettingsSchema.safeParse(input ?? {});
  if (!result.success) {
    const issue = result.error.issues[0]!;
    throw new Error(`sim settings.${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  return result.data;
}
