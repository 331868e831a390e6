// Push sweeps: run a policy, push it once at a seeded random step with each impulse, detect failure and recovery, compare with the same episode unpushed.
import type { Vec3 } from '../sim/math.ts';
import { makeEnv } from '../tasks/index.ts';
import type { Env, Observation, PushRecord, StepResult } from '../tasks/env.ts';
import { push } from '../tasks/push.ts';
import { Recorder, simOf, type Recording } from '../tasks/recording.ts';
import { failureDetectorFor, type FailureDetector } from '../tasks/failure.ts';
import { recoveryProbeFor, RecoveryTracker } from '../tasks/recovery.ts';
import { flattenObs, inputDim } from './obs.ts';
import type { Policy, ResettablePolicy } from './policy.ts';
import {
  SWEEP_FORMAT, SWEEP_VERSION, SweepSettingsSchema, sweepDefaults, targetLabel,
  type PolicyResult, type PushTarget, type ResolvedSettings, type SweepResult, type SweepSettings, type SweepSettingsInput, type Trial,
} from './perturb-schema.ts';
import { cellsOf } from './perturb-stats.ts';
import { direction, movingMass, pushTarget, slopeGravity } from './perturb-push.ts';
import { planTrials, settleTiming, type Timing, type TrialPlan } from './perturb-plan.ts';

export * from './perturb-schema.ts';
export { direction, movingMass, pushTarget, slopeGravity } from './perturb-push.ts';

/** A policy under test. `episode(seed, deterministic)` gives the policy for one episode: the same seed must give the same actions. */
export interface SweepPolicy {
  label: string;
  /** Checkpoint path or `scripted:<name>`. */
  source: string;
  task: string;
  /** The task config the policy was trained with, when known (sweeps default to it). */
  taskConfig?: Record<string, unknown>;
  episode(seed: number, deterministic: boolean): Policy | Promise<Policy>;
  close(): void;
}

export interface SweepProgress {
  /** Episodes run so far and in all (each trial runs 1 + impulses episodes). */
  done: number;
  total: number;
  /** The results so far (cells over the trials finished). */
  result: SweepResult;
}

export interface SweepHooks {
  /** After every trial (all impulses of one seeded episode). */
  onProgress?(p: SweepProgress): void;
  /** Polled between episodes; true stops the sweep (the result says `stopped`). */
  shouldStop?(): boolean;
  /** Yield to the event loop after every episode (servers keep serving). */
  yieldEachEpisode?: boolean;
  /** A failed pushed episode kept as a recording (up to `maxRecordings` per policy line); returns the file name it is stored under. */
  onRecording?(recording: Recording, suggestedName: string): string;
}

/** What one episode run gave. */
interface EpisodeRun {
  rewards: Float64Array;
  steps: number;
  failedAt: number | null;
  recoveryTime: number | null;
  recording: Recording | null;
}

/** Everything a slope's episodes share: the env, its detectors and buffers. */
interface Bench {
  slope: number;
  env: Env;
  detector: FailureDetector;
  tracker: RecoveryTracker | null;
  input: Float32Array;
  action: Float32Array;
}

async function makeBench(task: string, taskConfig: Record<string, unknown>, slope: number): Promise<Bench> {
  if (slope !== 0 && taskConfig.gravity !== undefined) throw new Error('taskConfig.gravity and slopes cannot be combined: give one or the other');
  const env = await makeEnv(task, slope === 0 ? taskConfig : { ...taskConfig, gravity: slopeGravity(slope) });
  const probe = recoveryProbeFor(env);
  return {
    slope, env, detector: failureDetectorFor(env), tracker: probe ? new RecoveryTracker(probe, env.spec.dt) : null,
    input: new Float32Array(inputDim(env.spec)), action: new Float32Array(env.spec.actionSpace.shape[0]!),
  };
}

interface RunOptions {
  policy: Policy;
  deterministic: boolean;
  plan: TrialPlan;
  /** Steps to run at most. */
  horizon: number;
  /** The push made after `plan.pushStep` steps, or null for the unpushed run. */
  hit: { target: PushTarget; impulse: Vec3 } | null;
  /** Record the episode with this provenance, or null. */
  record: Recording['meta'] | null;
}

/** Runs one seeded episode for `horizon` steps (or to its end), pushing after `plan.pushStep` steps when `hit` is given. */
function runOne(b: Bench, o: RunOptions): EpisodeRun {
  const { policy, deterministic, plan, horizon, hit } = o;
  const env = b.env;
  const recorder = o.record ? new Recorder(env, plan.seed, { meta: o.record }) : null;
  const via = recorder ?? { reset: () => env.reset({ seed: plan.seed }), step: (a: ArrayLike<number>) => env.step(a), push: (spec: unknown) => push(env as never, spec) };
  let obs: Observation = via.reset().obs;
  (policy as ResettablePolicy).reset?.();
  b.detector.reset(env);
  b.tracker?.reset();
  b.tracker?.observe(env, 0, obs);
  const rewards = new Float64Array(horizon);
  let steps = 0;
  for (let t = 0; t < horizon; t++) {
    if (t === plan.pushStep && hit) {
      b.tracker?.push(t);
      pushTarget(via, env, hit.target, hit.impulse);
    } else if (t === plan.pushStep) b.tracker?.push(t);
    policy.act(flattenObs(obs, env.spec, b.input), b.action, 1, deterministic);
    const r: StepResult = via.step(b.action);
    rewards[t] = r.reward;
    steps = t + 1;
    b.detector.update(env, steps, r);
    b.tracker?.observe(env, steps, r.obs);
    obs = r.obs;
    if (r.terminated || r.truncated) break;
  }
  b.detector.finish(env, steps);
  return { rewards, steps, failedAt: b.detector.failedAt, recoveryTime: b.tracker?.recoverySeconds ?? null, recording: recorder?.recording() ?? null };
}

function windowReturn(run: EpisodeRun, from: number, to: number): number {
  let sum = 0;
  for (let t = from; t < Math.min(to, run.steps); t++) sum += run.rewards[t]!;
  return sum;
}

function failedIn(run: EpisodeRun, timing: Timing, plan: TrialPlan): boolean {
  return run.failedAt !== null && run.failedAt <= plan.pushStep + timing.windowSteps;
}

/** One trial's record from its unpushed and pushed runs. */
function trialOf(plan: TrialPlan, slope: number, target: PushTarget, impulse: number, size: number, settings: ResolvedSettings, timing: Timing, twin: EpisodeRun, pushed: EpisodeRun): Trial {
  const dir = direction(settings.plane, plan.direction, settings.directions);
  const end = plan.pushStep + timing.windowSteps;
  const valid = twin.steps > plan.pushStep;
  const failed = valid && failedIn(pushed, timing, plan);
  const returnPushed = windowReturn(pushed, plan.pushStep, end), returnUnpushed = windowReturn(twin, plan.pushStep, end);
  return {
    trial: plan.trial, seed: plan.seed, slope, target: targetLabel(target), impulse, direction: dir.degrees,
    vector: dir.vector.map((v) => v * size) as Vec3, pushStep: plan.pushStep, pushTime: plan.pushStep * timing.dt, valid, failed,
    failTime: failed ? (pushed.failedAt! - plan.pushStep) * timing.dt : null,
    baselineFailed: valid && failedIn(twin, timing, plan),
    recoveryTime: failed ? null : pushed.recoveryTime,
    baselineRecoveryTime: twin.recoveryTime,
    returnPushed, returnUnpushed, returnLost: returnUnpushed - returnPushed, recording: null,
  };
}

function checkPolicy(p: SweepPolicy, policy: Policy, env: Env): void {
  if (p.task !== env.spec.id) throw new Error(`policy '${p.label}' was trained on '${p.task}', not '${env.spec.id}'`);
  if (policy.skills !== undefined) throw new Error(`policy '${p.label}' is skill-conditioned; sweeps take plain or goal policies`);
  const want = inputDim(env.spec);
  if (policy.obsDim >= 0 && policy.obsDim !== want) throw new Error(`policy '${p.label}' reads ${policy.obsDim} inputs but ${env.spec.id} gives ${want}`);
  if (policy.actDim >= 0 && policy.actDim !== env.spec.actionSpace.shape[0]) throw new Error(`policy '${p.label}' gives ${policy.actDim} actions but ${env.spec.id} takes ${env.spec.actionSpace.shape[0]}`);
}

/** Fills the per-task defaults and checks the timing fits an episode. */
function resolve(s: SweepSettings, env: Env): { settings: ResolvedSettings; timing: Timing } {
  const world = simOf(env);
  const movable = world?.model.bodies.find((_, i) => i > 0)?.name ?? '';
  const d = sweepDefaults(env.spec, movable);
  const settings: ResolvedSettings = { ...s, plane: s.plane ?? d.plane, window: s.window ?? d.window, pushTime: s.pushTime ?? d.pushTime, targets: s.targets ?? d.targets };
  for (const t of settings.targets) {
    if (!world?.model.bodies.some((b, i) => i > 0 && b.name === t.body)) throw new Error(`sweep.targets: ${env.spec.id} has no body named '${t.body}' (bodies: ${world?.model.bodies.slice(1).map((b) => b.name).join(', ') ?? 'none'})`);
  }
  const detector = failureDetectorFor(env);
  return { settings, timing: settleTiming(settings, env.spec, detector.confirmSeconds) };
}


/** Parses the settings (field-named errors). */
function parseSettings(input: SweepSettingsInput): SweepSettings {
  const parsed = SweepSettingsSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`sweep.${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  return parsed.data;
}

/** One line of the chart: a policy with one action mode, and its trials so far. */
interface Line {
  policy: SweepPolicy;
  result: PolicyResult;
  kept: number;
}

/** A sweep in progress. */
class Sweep {
  done = 0;
  stopped = false;
  readonly total: number;
  readonly plans: TrialPlan[];

  /** Moving mass of the robot (kg). */
  readonly mass: number;

  constructor(readonly settings: ResolvedSettings, readonly timing: Timing, readonly benches: Bench[], readonly lines: Line[], readonly hooks: SweepHooks) {
    this.mass = movingMass(benches[0]!.env);
    this.plans = planTrials(settings.seed, settings.trials, settings.directions, timing);
    this.total = lines.length * benches.length * settings.targets.length * this.plans.length * (1 + settings.impulses.length);
  }

  /** Runs every line; stops early when asked. */
  async run(): Promise<SweepResult> {
    const s = this.settings;
    const labels = s.targets.map(targetLabel);
    this.hooks.onProgress?.({ done: 0, total: this.total, result: this.result() });
    for (const line of this.lines) {
      for (const bench of this.benches) {
        for (const target of s.targets) {
          for (const plan of this.plans) {
            const trials = await this.trial(line, bench, target, plan);
            if (!trials) return this.result();
            line.result.trials.push(...trials);
            line.result.cells = cellsOf(line.result.trials, s.slopes, labels, s.impulses);
            this.hooks.onProgress?.({ done: this.done, total: this.total, result: this.result() });
          }
        }
      }
    }
    return this.result();
  }

  /** The unpushed run and one pushed run per impulse of one trial; null when stopped. */
  private async trial(line: Line, bench: Bench, target: PushTarget, plan: TrialPlan): Promise<Trial[] | null> {
    const s = this.settings, deterministic = line.result.action === 'mean';
    const horizon = Math.min(bench.env.spec.maxEpisodeSteps, plan.pushStep + this.timing.afterSteps);
    const open = async () => {
      const policy = await line.policy.episode(plan.policySeed, deterministic);
      checkPolicy(line.policy, policy, bench.env);
      return policy;
    };
    if (await this.pause()) return null;
    const twin = runOne(bench, { policy: await open(), deterministic, plan, horizon, hit: null, record: null });
    const out: Trial[] = [];
    for (const impulse of s.impulses) {
      if (await this.pause()) return null;
      const unit = direction(s.plane, plan.direction, s.directions).vector;
      const size = s.perKg ? impulse * this.mass : impulse;
      const hit = { target, impulse: unit.map((v) => v * size) as Vec3 };
      const record = line.kept < s.maxRecordings && this.hooks.onRecording ? this.meta(line, bench, target, impulse, plan) : null;
      const run = runOne(bench, { policy: await open(), deterministic, plan, horizon, hit, record });
      const trial = trialOf(plan, bench.slope, target, impulse, size, s, this.timing, twin, run);
      if (trial.failed && !trial.baselineFailed && run.recording && this.hooks.onRecording) {
        trial.recording = this.hooks.onRecording(run.recording, recordingName(line.result, trial));
        line.kept++;
      }
      out.push(trial);
    }
    return out;
  }

  private meta(line: Line, bench: Bench, target: PushTarget, impulse: number, plan: TrialPlan): Recording['meta'] {
    return {
      source: 'paddock perturb', policy: line.result.label, checkpoint: line.policy.source, action: line.result.action,
      slope: bench.slope, target: targetLabel(target), impulse, trial: plan.trial, pushStep: plan.pushStep,
    };
  }

  /** Counts an episode, yields to the event loop when asked, and says whether to stop. */
  private async pause(): Promise<boolean> {
    if (this.done > 0 && this.hooks.yieldEachEpisode) await new Promise((r) => setImmediate(r));
    if (this.hooks.shouldStop?.()) this.stopped = true;
    if (!this.stopped) this.done++;
    return this.stopped;
  }

  result(): SweepResult {
    const s = this.settings, b = this.benches[0]!;
    const probe = b.tracker?.probe ?? null;
    return {
      format: SWEEP_FORMAT, version: SWEEP_VERSION, task: s.task, taskConfig: s.taskConfig, dt: this.timing.dt, robotMass: this.mass,
      settings: {
        impulses: s.impulses, perKg: s.perKg, directions: s.directions, plane: s.plane, trials: s.trials, seed: s.seed, actions: s.actions,
        window: s.window, pushTime: s.pushTime, targets: s.targets, slopes: s.slopes, maxRecordings: s.maxRecordings,
      },
      definitions: {
        failure: { kind: b.detector.kind, description: b.detector.description, confirmSeconds: b.detector.confirmSeconds },
        recovery: probe ? { features: probe.features, referenceSeconds: probe.referenceSeconds, holdSeconds: probe.holdSeconds } : null,
      },
      policies: this.lines.map((l) => ({ ...l.result, cells: [...l.result.cells], trials: [...l.result.trials] })),
      stopped: this.stopped,
    };
  }
}

function slug(text: string): string {
  return text.replace(/[^A-Za-z0-9.-]+/g, '_').replace(/^_+|_+$/g, '') || 'policy';
}

/** File name for a kept recording: policy, action, slope, target, impulse and trial. */
function recordingName(r: PolicyResult, t: Trial): string {
  return `${slug(r.label)}-${r.action}-slope${t.slope}-${slug(t.target)}-J${t.impulse}-trial${t.trial}.json`;
}

/**
 * Runs a push sweep of `policies` (settings: SweepSettingsSchema) and returns the results in the
 * published format (SweepResultSchema). The same settings and policies give the same result.
 * The caller keeps ownership of the policies (call their `close`).
 */
export async function runSweep(input: SweepSettingsInput, policies: SweepPolicy[], hooks: SweepHooks = {}): Promise<SweepResult> {
  if (policies.length === 0) throw new Error('sweep: no policy to test');
  const parsed = parseSettings(input);
  const benches: Bench[] = [];
  try {
    for (const slope of parsed.slopes) benches.push(await makeBench(parsed.task, parsed.taskConfig, slope));
    const { settings, timing } = resolve(parsed, benches[0]!.env);
    const lines: Line[] = policies.flatMap((policy) => settings.actions.map((action) => ({ policy, kept: 0, result: { label: policy.label, source: policy.source, action, cells: [], trials: [] } })));
    return await new Sweep(settings, timing, benches, lines, hooks).run();
  } finally {
    for (const b of benches) b.env.close();
  }
}
