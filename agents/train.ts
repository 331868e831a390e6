// Training loop: train({ env, agent: 'sac', ... }) over a vector env, with evaluation, metrics, progress and resumable checkpoints.
import { cpSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import type { Env } from '../tasks/env.ts';
import { makeEnv } from '../tasks/index.ts';
import { Recorder, type Recording } from '../tasks/recording.ts';
import { InProcessVectorEnv, makeVectorEnv, type VectorEnv } from '../tasks/vector/vector-env.ts';
import type { EnvSpec } from '../tasks/env.ts';
import { BackendChoiceSchema, initBackend } from './backend.ts';
import { parseSacConfig, type Sac, type SacConfig } from './sac.ts';
import type { Learner } from './learner.ts';
import { SacLearner } from './sac-learner.ts';
import { GoalLearner, parseHerConfig } from './her.ts';
import { DiaynLearner, parseDiaynConfig } from './diayn.ts';
import { evaluate, evalMetrics, type EvalResult } from './evaluate.ts';
import { MetricsLog, Progress, readMetricsUpTo, type MetricsRow } from './metrics.ts';
import { restoreRun, saveRun, type RunCounters } from './run-state.ts';
import { loadCheckpoint, replaceDir, resolveCheckpoint } from './checkpoint.ts';

export const TrainOptionsSchema = z.object({
  /** Task config passed to `makeEnv` when `env` is a task id. */
  taskConfig: z.unknown().optional(),
  /** 'sac': plain SAC on the env's reward; 'her': goal-conditioned SAC with hindsight relabelling (goal tasks); 'diayn': skills without reward. */
  agent: z.enum(['sac', 'her', 'diayn']).default('sac'),
  /** SAC hyperparameters (agents/sac.ts: SacConfigSchema). */
  sac: z.unknown().optional(),
  /** HER options (agents/her.ts: HerConfigSchema), for agent 'her'. */
  her: z.unknown().optional(),
  /** DIAYN options (agents/diayn.ts: DiaynConfigSchema), for agent 'diayn' (skills, discriminator input). */
  diayn: z.unknown().optional(),
  /** Parallel envs; each env step of the vector env adds `envs` transitions. */
  envs: z.number().int().min(1).max(1024).default(1),
  /** Worker threads stepping the envs (0 = this thread). */
  workers: z.number().int().min(0).max(64).default(0),
  /** Total env steps (transitions, summed over envs). */
  steps: z.number().int().positive(),
  seed: z.number().int().min(0).default(0),
  /** Deterministic evaluation every this many env steps (0 = only at the end). */
  evalEvery: z.number().int().min(0).default(10_000),
  evalEpisodes: z.number().int().min(1).max(1000).default(5),
  /** A metrics row every this many env steps. */
  logEvery: z.number().int().positive().default(5_000),
  /** Checkpoint every this many env steps (needs `out`). */
  checkpointEvery: z.number().int().positive().default(50_000),
  /** Also checkpoint the replay buffer (large: capacity × row size × 4 bytes). */
  saveReplay: z.boolean().default(false),
  /**
   * After each evaluation whose mean return beats every earlier one, keep that agent as a
   * checkpoint (no replay) in `<out>/best`, its evaluation under `info.best` (Stable-Baselines3's
   * best model). The evaluation episodes chose it, so judge it on fresh seeds (`paddock eval`).
   */
  keepBest: z.boolean().default(false),
  /** Run directory for metrics and checkpoints; omit to keep everything in memory. */
  out: z.string().min(1).optional(),
  /** Continue from `<out>/checkpoint` if it exists. */
  resume: z.boolean().default(false),
  /**
   * Also keep a copy of the checkpoint when the run reaches each of these env steps, in
   * `<out>/checkpoint-<env steps>` (e.g. the stages of a schedule, to branch later runs from).
   */
  keepCheckpoints: z.array(z.number().int().positive()).default([]),
  /**
   * Start a new run in `out` from this checkpoint of another run (a checkpoint folder, e.g. its
   * `checkpoint-100000`, or a run directory) with this run's own options: the agent, buffers,
   * RNGs and counters continue from there, and the source's metrics up to that step are copied.
   * Agent kind and SAC settings must match; agent options (e.g. a DIAYN warm-up after that step)
   * may differ. With `resume`, a branched run that already has a checkpoint continues from it.
   */
  branchFrom: z.string().min(1).optional(),
  progress: z.boolean().default(true),
  backend: BackendChoiceSchema.default('auto'),
}).strict();
export type TrainOptions = z.input<typeof TrainOptionsSchema>;
type Parsed = z.output<typeof TrainOptionsSchema>;

/** An env to train on: a registered task id, an env object (any implementation of the Env interface), or a factory. */
export type EnvSource = string | Env | (() => Env | Promise<Env>);

export interface TrainHooks {
  /** Separate env for evaluation when `env` is a single object (otherwise one is made). */
  evalEnv?: Env;
  onMetrics?(row: MetricsRow): void;
  onEval?(result: EvalResult, envSteps: number): void;
  /** Receives the first episode of every evaluation as a recording (tasks/recording.ts), e.g. for the live viewer. */
  onRollout?(recording: Recording, envSteps: number): void;
  /** Polled between steps; when it returns true the run checkpoints and stops early. */
  shouldStop?(): boolean;
  /** The command line that started the run, recorded in checkpoints and exported policies. */
  command?: string;
}

export interface TrainResult {
  agent: Sac;
  learner: Learner;
  envSteps: number;
  lastEval: EvalResult | null;
  wallSeconds: number;
  stopped: boolean;
}

function parseOptions(input: TrainOptions): Parsed {
  const r = TrainOptionsSchema.safeParse(input);
  if (!r.success) {
    const issue = r.error.issues[0]!;
    throw new Error(`train options.${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  return r.data;
}

async function openEnvs(env: EnvSource, o: Parsed, hooks: TrainHooks): Promise<{ vec: VectorEnv; evalEnv: Env | null; id: string }> {
  if (typeof env === 'string') {
    const vec = await makeVectorEnv(env, { numEnvs: o.envs, workers: o.workers, seed: o.seed, config: o.taskConfig });
    return { vec, evalEnv: await makeEnv(env, o.taskConfig), id: env };
  }
  if (typeof env === 'function') {
    const envs = await Promise.all(Array.from({ length: o.envs }, () => env()));
    return { vec: InProcessVectorEnv.fromEnvs(envs, o.seed), evalEnv: hooks.evalEnv ?? (await env()), id: envs[0]!.spec.id };
  }
  if (o.envs !== 1) throw new Error('train options.envs: a single env object gives one env; pass a factory for more');
  return { vec: InProcessVectorEnv.fromEnvs([env], o.seed), evalEnv: hooks.evalEnv ?? null, id: env.spec.id };
}

/** Trains an agent; see TrainOptionsSchema for every option and TrainHooks for callbacks. */
export async function train(options: TrainOptions & { env: EnvSource }, hooks: TrainHooks = {}): Promise<TrainResult> {
  const { env, ...rest } = options;
  const o = parseOptions(rest);
  const sacConfig = parseSacConfig(o.sac);
  await initBackend(o.backend, o.progress ? undefined : () => {});
  const { vec, evalEnv, id } = await openEnvs(env, o, hooks);
  try {
    const learner = await makeLearner(o, sacConfig, vec.spec, vec.numEnvs);
    return await new TrainLoop(o, learner, vec, evalEnv, id, hooks).run();
  } finally {
    await vec.close();
    evalEnv?.close();
  }
}

/** The learner for `o.agent` (each agent's own options are validated by its module). */
async function makeLearner(o: Parsed, sac: SacConfig, spec: EnvSpec, numEnvs: number): Promise<Learner> {
  if (o.agent === 'her') return new GoalLearner(spec, numEnvs, sac, parseHerConfig(o.her), o.seed);
  if (o.agent === 'diayn') return new DiaynLearner(spec, numEnvs, sac, parseDiaynConfig(o.diayn), o.seed);
  return new SacLearner(spec, numEnvs, sac, o.seed);
}

/** One training run: the harness around a learner (evaluation, metrics, progress, checkpoints). */
class TrainLoop {
  readonly counters: RunCounters = { envSteps: 0, wallSeconds: 0, resumes: 0 };
  private readonly metrics: MetricsLog | null;
  private lastEval: EvalResult | null = null;
  private lastEvalSteps = -1;
  /** Best mean evaluation return kept by `keepBest` (read from `<out>/best` on first use), and the evaluation last compared with it. */
  private bestReturn: number | undefined;
  private bestCheckedSteps = -1;
  private lastLogSteps = -1;
  private pendingEval: Record<string, number> | null = null;

  constructor(readonly o: Parsed, readonly learner: Learner, readonly vec: VectorEnv, readonly evalEnv: Env | null, readonly id: string, readonly hooks: TrainHooks) {
    this.metrics = o.out ? new MetricsLog(o.out) : null;
  }

  private get ckptDir(): string | null {
    return this.o.out ? join(this.o.out, 'checkpoint') : null;
  }

  async run(): Promise<TrainResult> {
    const o = this.o, c = this.counters;
    this.open();
    const progress = new Progress(o.steps, `${this.id} ${this.learner.kind}`, 30, o.progress);
    const startWall = performance.now() / 1000 - c.wallSeconds, startSteps = c.envSteps, t0 = performance.now() / 1000;
    await this.vec.reset(o.seed + 7919 * c.resumes);
    this.learner.start(this.vec);
    let stopped = false;
    /** In-process stepping never leaves the microtask queue: yield to the event loop now and then (signals, viewer sockets). */
    let lastYield = performance.now();
    while (c.envSteps < o.steps) {
      const n = await this.learner.collect(this.vec, c.envSteps);
      c.envSteps += n;
      this.learner.learn(c.envSteps);
      c.wallSeconds = performance.now() / 1000 - startWall;
      this.maybeEvaluate(n, c.envSteps >= o.steps);
      await this.maybeKeepBest();
      this.maybeLog(n);
      if (this.hooks.shouldStop?.()) stopped = true;
      const keep = o.keepCheckpoints.some((k) => c.envSteps >= k && c.envSteps - n < k);
      if (this.ckptDir && (stopped || keep || crossed(c.envSteps, n, o.checkpointEvery))) await this.save();
      if (this.ckptDir && keep) await this.keepCopy();
      const elapsed = performance.now() / 1000 - t0;
      progress.update(c.envSteps, {
        'env steps/s': ((c.envSteps - startSteps) / elapsed).toFixed(0), updates: String(this.learner.agent.updates),
        'eval return': this.lastEval ? this.lastEval.returnMean.toFixed(1) : '--', ETA: Progress.eta(elapsed, c.envSteps, o.steps, startSteps),
      });
      if (stopped) break;
      if (performance.now() - lastYield > 100) {
        await new Promise<void>((resolve) => setImmediate(resolve));
        lastYield = performance.now();
      }
    }
    progress.done();
    if (!stopped) await this.finish();
    return { agent: this.learner.agent, learner: this.learner, envSteps: c.envSteps, lastEval: this.lastEval, wallSeconds: c.wallSeconds, stopped };
  }

  /** Resumes from the run directory's checkpoint, or starts its metrics and config afresh. */
  private open(): void {
    const o = this.o;
    if (!o.out) return;
    if (o.resume && this.ckptDir && restoreRun(this.ckptDir, this.learner, this.counters)) {
      this.counters.resumes++;
      this.metrics?.resumeAt(this.counters.envSteps);
      return;
    }
    if (resolveCheckpoint(this.ckptDir!) || existsSync(join(o.out, 'metrics.jsonl'))) {
      throw new Error(`train options.out: ${o.out} already holds a run; pass resume to continue it, or choose another directory (nothing was overwritten)`);
    }
    const branched = o.branchFrom === undefined ? null : this.branch(o.branchFrom);
    mkdirSync(o.out, { recursive: true });
    this.metrics?.startWith(branched?.rows ?? []);
    const config = { task: this.id, command: this.hooks.command ?? null, baseStepsPerStep: this.vec.spec.baseStepsPerStep ?? 1, options: o, sac: this.learner.agent.config };
    const branchedFrom = branched && { checkpoint: branched.checkpoint, envSteps: branched.envSteps };
    writeFileSync(join(o.out, 'config.json'), JSON.stringify({ ...config, ...(branchedFrom && { branchedFrom }) }, null, 2));
  }

  /** Restores the learner and counters from another run's checkpoint; returns it with that run's metrics up to it. */
  private branch(from: string): { checkpoint: string; envSteps: number; rows: MetricsRow[] } {
    const dir = resolveCheckpoint(from) ? from : join(from, 'checkpoint');
    if (!restoreRun(dir, this.learner, this.counters, undefined, `branched ${this.o.out} from`)) throw new Error(`train options.branchFrom: ${from} holds no checkpoint`);
    this.counters.resumes++;
    const steps = this.counters.envSteps;
    return { checkpoint: dir, envSteps: steps, rows: readMetricsUpTo(join(dirname(dir), 'metrics.jsonl'), steps) };
  }

  /** Copies the checkpoint just written to `<out>/checkpoint-<env steps>` (`keepCheckpoints`). */
  private keepCopy(): Promise<void> {
    return replaceDir(join(this.o.out!, `checkpoint-${this.counters.envSteps}`), (tmp) => cpSync(this.ckptDir!, tmp, { recursive: true }));
  }

  private info(): Record<string, unknown> {
    return { task: this.id, taskConfig: this.o.taskConfig ?? {}, seed: this.o.seed, steps: this.o.steps, saveReplay: this.o.saveReplay, command: this.hooks.command };
  }

  private save(): Promise<void> {
    return saveRun(this.ckptDir!, this.learner, this.counters, this.info());
  }

  /** With `keepBest`, checkpoints the agent to `<out>/best` when the latest evaluation beats the best so far. */
  private async maybeKeepBest(): Promise<void> {
    const e = this.lastEval, c = this.counters;
    if (!this.o.keepBest || !this.o.out || !e || this.bestCheckedSteps === this.lastEvalSteps) return;
    this.bestCheckedSteps = this.lastEvalSteps;
    const dir = join(this.o.out, 'best');
    this.bestReturn ??= savedBestReturn(dir);
    if (!(e.returnMean > this.bestReturn)) return;
    this.bestReturn = e.returnMean;
    const best = { envSteps: c.envSteps, episodes: e.episodes.length, returnMean: e.returnMean, returnStd: e.returnStd, terminatedRate: e.terminatedRate, infoMean: e.infoMean };
    await saveRun(dir, this.learner, c, { ...this.info(), saveReplay: false, best });
  }

  /** Deterministic evaluation on the separate env, every `evalEvery` env steps (or now, when forced). */
  private maybeEvaluate(n: number, force = false): void {
    const c = this.counters;
    if (!this.evalEnv || this.lastEvalSteps === c.envSteps) return;
    if (!force && (this.o.evalEvery === 0 || !crossed(c.envSteps, n, this.o.evalEvery))) return;
    let recorder: Recorder | undefined;
    const via = this.hooks.onRollout ? (k: number, seed: number) => (k === 0 ? (recorder = this.recorder(seed, c.envSteps)) : undefined) : undefined;
    this.lastEval = evaluate(this.evalEnv, this.learner.evalAct(), this.o.evalEpisodes, 1_000_000 + this.o.seed * 1000, via);
    this.lastEvalSteps = c.envSteps;
    if (recorder) this.hooks.onRollout!(recorder.recording(), c.envSteps);
    this.hooks.onEval?.(this.lastEval, c.envSteps);
    this.pendingEval = evalMetrics(this.lastEval);
  }

  /** A recorder for an evaluation episode, when the env exposes its task config (built-in tasks do). */
  private recorder(seed: number, envSteps: number): Recorder | undefined {
    const config = (this.evalEnv as { config?: Record<string, unknown> }).config;
    if (!config) return undefined;
    return new Recorder(this.evalEnv!, seed, { config, meta: { source: 'training evaluation', envSteps, agent: this.learner.kind } });
  }

  private maybeLog(n: number, force = false): void {
    const c = this.counters;
    if (!force && !crossed(c.envSteps, n, this.o.logEvery) && !this.pendingEval) return;
    if (this.lastLogSteps === c.envSteps && !this.pendingEval) return;
    this.lastLogSteps = c.envSteps;
    const row: MetricsRow = { env_steps: c.envSteps, time_s: +c.wallSeconds.toFixed(2), ...this.learner.drain(), ...(this.pendingEval ?? {}) };
    this.pendingEval = null;
    this.metrics?.append(row);
    this.hooks.onMetrics?.(row);
  }

  private async finish(): Promise<void> {
    this.maybeEvaluate(0, true);
    await this.maybeKeepBest();
    this.maybeLog(0, true);
    this.metrics?.flushCsv();
    if (this.ckptDir) await this.save();
    if (this.o.out && this.lastEval) {
      const { episodes, ...summary } = this.lastEval;
      writeFileSync(join(this.o.out, 'summary.json'), JSON.stringify({ task: this.id, envSteps: this.counters.envSteps, wallSeconds: this.counters.wallSeconds, eval: summary, episodes }, null, 2));
    }
  }
}

/** The mean evaluation return of the agent kept in `dir` by `keepBest`, or −∞ when there is none. */
function savedBestReturn(dir: string): number {
  if (!resolveCheckpoint(dir)) return -Infinity;
  const parsed = z.object({ info: z.object({ best: z.object({ returnMean: z.number() }) }) }).safeParse(loadCheckpoint(dir).state);
  if (!parsed.success) throw new Error(`${dir}: not a best-agent checkpoint (no state.info.best.returnMean); move it aside to keep a new best`);
  return parsed.data.info.best.returnMean;
}

/** True when the counter passed a multiple of `every` during the last increment of `n`. */
function crossed(value: number, n: number, every: number): boolean {
  return every > 0 && Math.floor(value / every) !== Math.floor((value - n) / every);
}
