// Episode recordings: the file format (zod), a Recorder for live episodes, recordEpisode, and deterministic replay yielding body poses.
import { z } from 'zod';
import { makeEnv } from './index.ts';
import type { Env, Observation, PushRecord, StepInfo, StepResult } from './env.ts';
import { drag, push, type Draggable, type Pushable } from './push.ts';
import { isGoalSettable } from './goal.ts';
import type { SimWorld } from '../sim/world.ts';

export const RECORDING_FORMAT = 'paddock-recording';
export const RECORDING_VERSION = 1;

const finite = z.number().finite();
const vec3 = z.tuple([finite, finite, finite]);

/** One entry of `info.pushes` as applied live (pushes and drag events), with the step it preceded. */
export const PushRecordSchema = z
  .object({
    step: z.number().int().min(0),
    body: z.string().min(1),
    point: vec3.optional(),
    force: vec3.optional(),
    impulse: vec3.optional(),
    duration: z.number().positive().optional(),
    drag: z.object({ target: vec3.nullable(), hz: z.number().positive() }).strict().optional(),
  })
  .strict();

/** The desired goal set to `goal` just before environment step `step` (goal tasks). */
export const GoalEventSchema = z.object({ step: z.number().int().min(0), goal: z.array(finite).min(1).max(64) }).strict();
export type GoalEvent = z.output<typeof GoalEventSchema>;

/**
 * A recorded episode: enough to re-simulate it bit for bit. `actions[i]` was passed to the i-th
 * `step` call and earned `rewards[i]`; live pushes, drags and goal changes carry the number of
 * steps taken before they were applied. Pushes scheduled in `config` are not listed (the config
 * re-applies them).
 */
export const RecordingSchema = z
  .object({
    format: z.literal(RECORDING_FORMAT),
    version: z.literal(RECORDING_VERSION),
    task: z.string().min(1),
    config: z.record(z.string(), z.unknown()),
    seed: z.number().int().min(0).max(0xffffffff),
    resetOptions: z.record(z.string(), z.unknown()).default({}),
    /** Seconds of simulated time per step. */
    dt: z.number().positive(),
    actions: z.array(z.array(finite).max(256)),
    rewards: z.array(finite),
    pushes: z.array(PushRecordSchema).default([]),
    goals: z.array(GoalEventSchema).default([]),
    terminated: z.boolean(),
    truncated: z.boolean(),
    /** Free-form provenance: policy name, source command, creation time. */
    meta: z.record(z.string(), z.union([z.string(), finite, z.boolean()])).default({}),
  })
  .strict()
  .superRefine((r, ctx) => {
    if (r.rewards.length !== r.actions.length) ctx.addIssue({ code: 'custom', path: ['rewards'], message: `has ${r.rewards.length} entries for ${r.actions.length} actions` });
    const n = r.actions[0]?.length ?? 0;
    const bad = r.actions.findIndex((a) => a.length !== n);
    if (bad >= 0) ctx.addIssue({ code: 'custom', path: ['actions', bad], message: `has ${r.actions[bad]!.length} values, the first action has ${n}` });
    for (const key of ['pushes', 'goals'] as const) {
      const late = r[key].findIndex((e) => e.step > r.actions.length);
      if (late >= 0) ctx.addIssue({ code: 'custom', path: [key, late, 'step'], message: `is after the last step (${r.actions.length})` });
    }
  });
export type Recording = z.output<typeof RecordingSchema>;

/** Parses a recording (e.g. read from a JSON file), naming the offending field on error. */
export function parseRecording(value: unknown): Recording {
  const parsed = RecordingSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`recording.${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  return parsed.data;
}

/** The simulation behind an env, when it has one (every RobotTask). */
export function simOf(env: unknown): SimWorld | null {
  const world = (env as { world?: SimWorld } | null)?.world;
  return world && typeof world.bodyPose === 'function' ? world : null;
}

/** What can perturb a recorded episode: each call is applied now and recorded. */
export interface Perturber {
  push(spec: unknown): PushRecord;
  drag(spec: unknown): PushRecord;
  setGoal(goal: ArrayLike<number>): void;
}

export interface RecorderOptions {
  /** The task config the env was made with (default: the env's own `config`, as RobotTasks expose). */
  config?: Record<string, unknown>;
  resetOptions?: Record<string, unknown>;
  meta?: Recording['meta'];
}

/** Records an episode as it is played: reset, then steps, pushes, drags and goal changes in order. */
export class Recorder implements Perturber {
  private readonly rec: Recording;
  private steps = 0;

  constructor(readonly env: Env, seed: number, opts: RecorderOptions = {}) {
    const config = opts.config ?? (env as { config?: Record<string, unknown> }).config;
    if (!config) throw new Error(`${env.spec.id}: cannot record without the task config (pass options.config)`);
    this.rec = {
      format: RECORDING_FORMAT, version: RECORDING_VERSION, task: env.spec.id, config: structuredClone(config), seed,
      resetOptions: structuredClone(opts.resetOptions ?? {}), dt: env.spec.dt, actions: [], rewards: [], pushes: [], goals: [],
      terminated: false, truncated: false, meta: { ...(opts.meta ?? {}) },
    };
  }

  /** Resets the env with the recording's seed and options. */
  reset(): { obs: Observation; info: StepInfo } {
    return this.env.reset({ seed: this.rec.seed, options: this.rec.resetOptions });
  }

  get stepCount(): number {
    return this.steps;
  }

  step(action: ArrayLike<number>): StepResult {
    const result = this.env.step(action);
    this.rec.actions.push(Array.from(action, Number));
    this.rec.rewards.push(result.reward);
    this.rec.terminated = result.terminated;
    this.rec.truncated = result.truncated;
    this.steps++;
    return result;
  }

  push(spec: unknown): PushRecord {
    const record = push(this.env as unknown as Pushable, spec);
    this.rec.pushes.push(structuredClone(record));
    return record;
  }

  drag(spec: unknown): PushRecord {
    const record = drag(this.env as unknown as Draggable, spec);
    this.rec.pushes.push(structuredClone(record));
    return record;
  }

  setGoal(goal: ArrayLike<number>): void {
    if (!isGoalSettable(this.env)) throw new Error(`${this.env.spec.id}: this task has no goal to set`);
    this.env.setGoal(goal);
    this.rec.goals.push({ step: this.steps, goal: Array.from(goal, Number) });
  }

  /** A copy of the recording so far. */
  recording(): Recording {
    return structuredClone(this.rec);
  }
}

/**
 * Chooses the action for step `step` into `out` (already sized to the action space); it may
 * perturb the episode through `perturb`, and those perturbations are recorded.
 */
export type ActionSource = (obs: Observation, step: number, out: Float32Array, perturb: Perturber) => void;

/** Runs one episode from `seed` to its end (or `maxSteps`) and returns its recording. */
export function recordEpisode(env: Env, source: ActionSource, seed: number, opts: RecorderOptions & { maxSteps?: number } = {}): Recording {
  const recorder = new Recorder(env, seed, opts);
  let obs = recorder.reset().obs;
  const action = new Float32Array(env.spec.actionSpace.shape[0]!);
  const limit = Math.min(opts.maxSteps ?? Infinity, env.spec.maxEpisodeSteps);
  for (let t = 0; t < limit; t++) {
    source(obs, t, action, recorder);
    const r = recorder.step(action);
    obs = r.obs;
    if (r.terminated || r.truncated) break;
  }
  return recorder.recording();
}

/** Writes every model body's world pose (position m, quaternion w x y z) as 7 floats per body from `offset`. */
export function writeBodyPoses(world: SimWorld, out: Float32Array, offset = 0): void {
  const pos = [0, 0, 0];
  const quat = [1, 0, 0, 0];
  for (let b = 0; b < world.model.bodies.length; b++) {
    world.bodyPose(b, pos, quat);
    const o = offset + b * 7;
    out[o] = pos[0]!; out[o + 1] = pos[1]!; out[o + 2] = pos[2]!;
    out[o + 3] = quat[0]!; out[o + 4] = quat[1]!; out[o + 5] = quat[2]!; out[o + 6] = quat[3]!;
  }
}

/** A re-simulated recording. */
export interface Replay {
  recording: Recording;
  /** Model body names, index-aligned with the poses (empty for envs without a simulation). */
  bodies: string[];
  /** Body poses after reset and after every step: `[steps + 1][bodies][7]` row-major (m; w x y z). */
  poses: Float32Array;
  /** Re-simulated rewards, one per step. */
  rewards: Float64Array;
  /** Weighted reward terms per step, `[steps][termNames]` row-major. */
  termNames: string[];
  terms: Float64Array;
  /** Largest |re-simulated − recorded| reward: 0 when the replay is exact. */
  rewardError: number;
}

/** Called after reset (`result` null) and after every replayed step, with the live env and its observation. */
export type ReplayObserver = (step: number, env: Env, obs: Observation, result: StepResult | null) => void;

/** Re-simulates a recording deterministically: same task, config, seed, actions and perturbations. */
export async function replayRecording(value: unknown, observe?: ReplayObserver): Promise<Replay> {
  const rec = parseRecording(value);
  const env = await makeEnv(rec.task, rec.config);
  try {
    return runReplay(rec, env, observe);
  } finally {
    env.close();
  }
}

function runReplay(rec: Recording, env: Env, observe?: ReplayObserver): Replay {
  const world = simOf(env);
  const nb = world ? world.model.bodies.length : 0;
  const steps = rec.actions.length;
  const termNames = env.spec.rewardTerms.map((t) => t.name);
  const out: Replay = {
    recording: rec, bodies: world ? world.model.bodies.map((b) => b.name) : [], poses: new Float32Array((steps + 1) * nb * 7),
    rewards: new Float64Array(steps), termNames, terms: new Float64Array(steps * termNames.length), rewardError: 0,
  };
  const first = env.reset({ seed: rec.seed, options: rec.resetOptions });
  if (world) writeBodyPoses(world, out.poses, 0);
  observe?.(0, env, first.obs, null);
  for (let t = 0; t < steps; t++) {
    applyEvents(rec, env, t);
    const r = env.step(rec.actions[t]!);
    out.rewards[t] = r.reward;
    termNames.forEach((name, k) => { out.terms[t * termNames.length + k] = r.info.rewardTerms[name] ?? 0; });
    out.rewardError = Math.max(out.rewardError, Math.abs(r.reward - rec.rewards[t]!));
    if (world) writeBodyPoses(world, out.poses, (t + 1) * nb * 7);
    observe?.(t + 1, env, r.obs, r);
  }
  return out;
}

/** Applies the recording's live events made after `step` steps, in their recorded order per kind. */
function applyEvents(rec: Recording, env: Env, step: number): void {
  for (const g of rec.goals) {
    if (g.step !== step) continue;
    if (!isGoalSettable(env)) throw new Error(`${rec.task}: the recording sets a goal but this task has no goal to set`);
    env.setGoal(g.goal);
  }
  for (const { step: s, drag: d, ...p } of rec.pushes) {
    if (s !== step) continue;
    if (d) drag(env as unknown as Draggable, { body: p.body, point: p.point, target: d.target, hz: d.hz });
    else push(env as unknown as Pushable, p);
  }
}
