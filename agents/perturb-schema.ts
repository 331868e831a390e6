// Push-sweep settings and the published JSON format of a sweep's results (zod), with per-task defaults.
import { z } from 'zod';
import type { EnvSpec } from '../tasks/env.ts';

export const SWEEP_FORMAT = 'paddock-perturb';
export const SWEEP_VERSION = 1;

const finite = z.number().finite();
const vec3 = z.tuple([finite, finite, finite]);

/** Where pushes land: a body by name, and optionally a point in that body's frame (m; default its centre of mass). */
export const PushTargetSchema = z.object({ body: z.string().min(1), point: vec3.optional() }).strict();
export type PushTarget = z.output<typeof PushTargetSchema>;

/** A target's name in results: the body, or `body@x,y,z`. */
export function targetLabel(t: PushTarget): string {
  return t.point ? `${t.body}@${t.point.join(',')}` : t.body;
}

/**
 * What a sweep does. Every trial runs the policy from a seeded reset, pushes once at a seeded
 * random step with each impulse in turn, and compares with the same episode unpushed.
 */
export const SweepSettingsSchema = z.object({
  task: z.string().min(1),
  /** Task config (as for makeEnv); slopes add a `gravity` to it. */
  taskConfig: z.record(z.string(), z.unknown()).default({}),
  /** Impulse sizes (N·s, or N·s per kg of robot with `perKg`), one survival point each. */
  impulses: z.array(finite.min(0).max(1000)).min(1).max(64),
  /** Impulses are per kg of the robot's moving mass, i.e. the change of its centre-of-mass velocity (m/s). */
  perKg: z.boolean().default(false),
  /** Push directions, evenly spaced in `plane`; trial k uses direction k mod `directions`. */
  directions: z.number().int().min(1).max(360).default(8),
  /** `horizontal`: angles in the x–y plane from +x (forward) toward +y; `vertical`: in the x–z plane from +x toward +z (planar robots). Default per task. */
  plane: z.enum(['horizontal', 'vertical']).optional(),
  /** Trials per impulse (per policy, slope and target). */
  trials: z.number().int().min(1).max(100_000).default(50),
  seed: z.number().int().min(0).max(0xffffffff).default(0),
  /** Mean action and/or actions sampled from the policy (noise seeded per trial); each is a separate line. */
  actions: z.array(z.enum(['mean', 'stochastic'])).min(1).max(2).default(['mean']),
  /** T: seconds after the push within which a failure counts (and over which return is compared). Default per task. */
  window: finite.positive().max(3600).optional(),
  /** The push comes at a uniformly drawn control step between these times (s). Default per task. */
  pushTime: z.tuple([finite.min(0), finite.min(0)]).refine(([a, b]) => a <= b, { message: 'must be [earliest, latest] with earliest ≤ latest' }).optional(),
  /** Bodies (and points) to push; each is a separate set of trials. Default per task. */
  targets: z.array(PushTargetSchema).max(32).optional(),
  /** Ground slopes (degrees, + = uphill along +x), simulated by tilting gravity; 0 = flat. */
  slopes: z.array(finite.min(-45).max(45)).min(1).max(32).default([0]),
  /** Recordings kept per policy line: pushed episodes that failed while their unpushed twin did not, the first met. */
  maxRecordings: z.number().int().min(0).max(10_000).default(0),
}).strict();
export type SweepSettingsInput = z.input<typeof SweepSettingsSchema>;
export type SweepSettings = z.output<typeof SweepSettingsSchema>;

/** Settings with the per-task defaults filled in. */
export type ResolvedSettings = Omit<SweepSettings, 'plane' | 'window' | 'pushTime' | 'targets'> & {
  plane: 'horizontal' | 'vertical';
  window: number;
  pushTime: [number, number];
  targets: PushTarget[];
};

/** Per-task defaults: what to push, in which plane, when, and how long to watch. */
export function sweepDefaults(spec: EnvSpec, firstBody: string): Pick<ResolvedSettings, 'plane' | 'window' | 'pushTime' | 'targets'> {
  const episode = spec.maxEpisodeSteps * spec.dt;
  if (spec.id === 'quadruped') return { plane: 'horizontal', window: 4, pushTime: [2, 10], targets: [{ body: 'torso' }] };
  if (spec.id === 'half-cheetah') return { plane: 'vertical', window: 4, pushTime: [2, 10], targets: [{ body: 'torso' }] };
  if (spec.goal) return { plane: 'horizontal', window: round(0.6 * episode), pushTime: [round(0.2 * episode), round(0.4 * episode)], targets: [{ body: 'hand' }] };
  return { plane: 'horizontal', window: Math.min(4, round(0.5 * episode)), pushTime: [Math.min(1, round(0.1 * episode)), Math.min(8, round(0.4 * episode))], targets: [{ body: firstBody }] };
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}

/** One trial: the same seeded episode run unpushed and with one push. */
export const TrialSchema = z.object({
  trial: z.number().int().min(0),
  /** Episode reset seed (the same for the pushed and the unpushed run). */
  seed: z.number().int().min(0),
  slope: finite,
  /** The push target: the body name, or `body@x,y,z` with a point in its frame (m). */
  target: z.string(),
  impulse: finite.min(0),
  /** Push direction: degrees from +x in the sweep's plane, and the impulse vector applied (N·s, world; `impulse` × robot mass with perKg). */
  direction: finite,
  vector: vec3,
  pushStep: z.number().int().min(0),
  /** Seconds from reset to the push. */
  pushTime: finite,
  /** False when the unpushed episode ended before the push step (the trial then counts for nothing). */
  valid: z.boolean(),
  failed: z.boolean(),
  /** Seconds from the push to the start of the failure, or null. */
  failTime: finite.nullable(),
  /** Whether the unpushed episode failed in the same window (failures not caused by the push). */
  baselineFailed: z.boolean(),
  /** Seconds after the push until the state is back in its pre-push band for good, or null (failed, not back within the watched time, or no definition). */
  recoveryTime: finite.nullable(),
  /** The same measure on the unpushed run (its floor: 0 unless the policy leaves its own band, e.g. when sampling actions). */
  baselineRecoveryTime: finite.nullable(),
  /** Return from the push step to the end of the window, pushed and unpushed, and their difference (unpushed − pushed). */
  returnPushed: finite,
  returnUnpushed: finite,
  returnLost: finite,
  /** File name of this episode's recording, when kept. */
  recording: z.string().nullable(),
}).strict();
export type Trial = z.output<typeof TrialSchema>;

/** Aggregates of one (slope, target, impulse) cell over its valid trials. */
export const CellSchema = z.object({
  slope: finite,
  target: z.string(),
  impulse: finite.min(0),
  trials: z.number().int().min(0),
  invalid: z.number().int().min(0),
  failures: z.number().int().min(0),
  /** 1 − failures / trials (NaN-free: null when no valid trial), with a 95% Wilson interval. */
  survival: finite.nullable(),
  survivalLow: finite.nullable(),
  survivalHigh: finite.nullable(),
  baselineFailures: z.number().int().min(0),
  recovered: z.number().int().min(0),
  recoveryTimeMedian: finite.nullable(),
  recoveryTimeMean: finite.nullable(),
  baselineRecoveryTimeMedian: finite.nullable(),
  failTimeMedian: finite.nullable(),
  returnLostMean: finite.nullable(),
  returnLostStd: finite.nullable(),
}).strict();
export type Cell = z.output<typeof CellSchema>;

export const PolicyResultSchema = z.object({
  label: z.string(),
  /** Checkpoint path or `scripted:<name>`. */
  source: z.string(),
  action: z.enum(['mean', 'stochastic']),
  cells: z.array(CellSchema),
  trials: z.array(TrialSchema),
}).strict();
export type PolicyResult = z.output<typeof PolicyResultSchema>;

const FeatureSchema = z.object({ name: z.string(), unit: z.string(), tolerance: finite, band: z.enum(['range', 'atMost']) }).strict();

/** The published result format of `paddock perturb --json` (docs/perturb.md). */
export const SweepResultSchema = z.object({
  format: z.literal(SWEEP_FORMAT),
  version: z.literal(SWEEP_VERSION),
  task: z.string(),
  taskConfig: z.record(z.string(), z.unknown()),
  /** Seconds per control step. */
  dt: finite.positive(),
  /** Mass (kg) of the model's moving bodies: impulses per kg multiply by it. */
  robotMass: finite.min(0),
  settings: z.object({
    impulses: z.array(finite), perKg: z.boolean(), directions: z.number().int(), plane: z.enum(['horizontal', 'vertical']), trials: z.number().int(),
    seed: z.number().int(), actions: z.array(z.enum(['mean', 'stochastic'])), window: finite, pushTime: z.tuple([finite, finite]),
    targets: z.array(PushTargetSchema), slopes: z.array(finite), maxRecordings: z.number().int(),
  }).strict(),
  definitions: z.object({
    failure: z.object({ kind: z.enum(['termination', 'flipped', 'goal']), description: z.string(), confirmSeconds: finite }).strict(),
    recovery: z.object({ features: z.array(FeatureSchema), referenceSeconds: finite, holdSeconds: finite }).strict().nullable(),
  }).strict(),
  policies: z.array(PolicyResultSchema),
  /** True when the sweep was stopped before its end (results cover the trials done). */
  stopped: z.boolean(),
}).strict();
export type SweepResult = z.output<typeof SweepResultSchema>;

/** Parses a sweep result (e.g. read from a file), naming the offending field on error. */
export function parseSweepResult(value: unknown, what = 'sweep'): SweepResult {
  const parsed = SweepResultSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`${what}.${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  return parsed.data;
}
