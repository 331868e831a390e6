// Training loop: train({ env, agent: 'sac', ... }) over a vector env, with evaluation, metrics, progress and resumable checkpoints.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { Env } from '../tasks/env.ts';
import { makeEnv } from '../tasks/index.ts';
import { InProcessVectorEnv, makeVectorEnv, type VectorEnv } from '../tasks/vector/vector-env.ts';
import { Rng } from '../sim/rng.ts';
import { BackendChoiceSchema, initBackend } from './backend.ts';
import { Sac, parseSacConfig, type SacStats } from './sac.ts';
import { ReplayBuffer, transitionLayout } from './replay.ts';
import { RunningNormalizer } from './normalizer.ts';
import { concatRows, inputDim, inputKeys, keySizes } from './obs.ts';
import { evaluate, evalMetrics, type EvalResult } from './evaluate.ts';
import { MetricsLog, Progress, type MetricsRow } from './metrics.ts';
import { restoreRun, saveRun, type RunParts } from './run-state.ts';

export const TrainOptionsSchema = z.object({
  /** Task config passed to `makeEnv` when `env` is a task id. */
  taskConfig: z.unknown().optional(),
  agent: z.literal('sac').default('sac'),
  /** SAC hyperparameters (agents/sac.ts: SacConfigSchema). */
  sac: z.unknown().optional(),
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
  /** Run directory for metrics and checkpoints; omit to keep everything in memory. */
  out: z.string().min(1).optional(),
  /** Continue from `<out>/checkpoint` if it exists. */
  resume: z.boolean().default(false),
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
  /** Polled between steps; when it returns true the run checkpoints and stops early. */
  shouldStop?(): boolean;
}

export interface TrainResult {
  agent: Sac;
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
    const loop = new TrainLoop(o, sacConfig, vec, evalEnv, id, hooks);
    return await loop.run();
  } finally {
    await vec.close();
    evalEnv?.close();
  }
}

/** The state of one training run and its main loop. */
class TrainLoop {
  readonly parts: RunParts;
  private readonly keys: string[];
  private readonly sizes: Record<string, number>;
  private readonly n: number;
  private readonly inDim: number;
  private readonly actDim: number;
  private readonly low: Float32Array;
  private readonly span: Float32Array;
  private readonly metrics: MetricsLog | null;
  /** Preallocated rows ([numEnvs, ·]) reused every step. */
  private readonly rows: Record<'input' | 'norm' | 'next' | 'final' | 'act' | 'envAct' | 'term', Float32Array>;
  private readonly sampled: Record<string, Float32Array>;
  private window = { returns: [] as number[], lengths: [] as number[], stats: [] as SacStats[], envS: 0, learnS: 0 };
  private lastEval: EvalResult | null = null;
  private lastEvalSteps = -1;
  private lastLogSteps = -1;

  constructor(readonly o: Parsed, sacConfig: ReturnType<typeof parseSacConfig>, readonly vec: VectorEnv, readonly evalEnv: Env | null, readonly id: string, readonly hooks: TrainHooks) {
    const spec = vec.spec;
    this.keys = inputKeys(spec);
    this.sizes = keySizes(spec);
    this.n = vec.numEnvs;
    this.inDim = inputDim(spec);
    this.actDim = spec.actionSpace.shape[0]!;
    const { low, high } = spec.actionSpace;
    if ([...low, ...high].some((v) => !Number.isFinite(v))) throw new Error(`${id}: SAC needs a bounded action space`);
    this.low = Float32Array.from(low);
    this.span = Float32Array.from(high, (h, i) => h - low[i]!);
    this.parts = {
      agent: new Sac(this.inDim, this.actDim, sacConfig, o.seed),
      buffer: new ReplayBuffer(transitionLayout(this.inDim, this.actDim), sacConfig.bufferSize, o.seed + 1),
      normalizer: sacConfig.normalizeObs ? new RunningNormalizer(this.inDim) : null,
      actionRng: new Rng(o.seed + 2),
      counters: { envSteps: 0, episodes: 0, updateDebt: 0, wallSeconds: 0, resumes: 0 },
    };
    this.metrics = o.out ? new MetricsLog(o.out) : null;
    const inputs = () => new Float32Array(this.n * this.inDim), actions = () => new Float32Array(this.n * this.actDim);
    this.rows = { input: inputs(), norm: inputs(), next: inputs(), final: inputs(), act: actions(), envAct: actions(), term: new Float32Array(this.n) };
    this.sampled = this.parts.buffer.allocateBatch(sacConfig.batchSize);
  }

  private get ckptDir(): string | null {
    return this.o.out ? join(this.o.out, 'checkpoint') : null;
  }

  async run(): Promise<TrainResult> {
    const o = this.o, c = this.parts.counters;
    if (o.out) mkdirSync(o.out, { recursive: true });
    if (o.resume && this.ckptDir && restoreRun(this.ckptDir, this.parts)) {
      c.resumes++;
      this.metrics?.resumeAt(c.envSteps);
    } else if (o.out) {
      this.metrics?.resumeAt(0);
      writeFileSync(join(o.out, 'config.json'), JSON.stringify({ task: this.id, options: o, sac: this.parts.agent.config }, null, 2));
    }
    const progress = new Progress(o.steps, `${this.id} sac`, 30, o.progress);
    const startWall = performance.now() / 1000 - c.wallSeconds, startSteps = c.envSteps, t0 = performance.now() / 1000;
    const input = this.rows.input;
    await this.vec.reset(o.seed + 7919 * c.resumes);
    concatRows(this.vec.batch.obs, this.keys, this.sizes, this.n, input);
    let stopped = false;
    while (c.envSteps < o.steps) {
      await this.collect(input);
      this.learn();
      c.wallSeconds = performance.now() / 1000 - startWall;
      this.maybeEvaluate();
      this.maybeLog();
      if (this.hooks.shouldStop?.()) stopped = true;
      if (this.ckptDir && (stopped || crossed(c.envSteps, this.n, o.checkpointEvery))) await saveRun(this.ckptDir, this.parts, this.runInfo());
      const elapsed = performance.now() / 1000 - t0;
      progress.update(c.envSteps, {
        'env steps/s': ((c.envSteps - startSteps) / elapsed).toFixed(0), 'updates/s': (this.parts.agent.updates / Math.max(1e-9, c.wallSeconds)).toFixed(1),
        'eval return': this.lastEval ? this.lastEval.returnMean.toFixed(1) : '--', ETA: Progress.eta(elapsed, c.envSteps, o.steps, startSteps),
      });
      if (stopped) break;
    }
    progress.done();
    if (!stopped) await this.finish();
    return { agent: this.parts.agent, envSteps: c.envSteps, lastEval: this.lastEval, wallSeconds: c.wallSeconds, stopped };
  }

  private runInfo(): Record<string, unknown> {
    return { task: this.id, taskConfig: this.o.taskConfig ?? {}, seed: this.o.seed, steps: this.o.steps, actionLow: [...this.low], actionHigh: [...this.low].map((l, i) => l + this.span[i]!), saveReplay: this.o.saveReplay };
  }

  /** One vector-env step: act (random before learningStarts), store transitions, record finished episodes. */
  private async collect(input: Float32Array): Promise<void> {
    const { agent, buffer, normalizer, actionRng, counters: c } = this.parts;
    const n = this.n, A = this.actDim, b = this.vec.batch;
    const { act, envAct, term } = this.rows;
    const t0 = performance.now();
    if (c.envSteps < agent.config.learningStarts) for (let k = 0; k < act.length; k++) act[k] = actionRng.range(-1, 1);
    else agent.act(normalizer ? normalizer.normalize(input, this.rows.norm, n) : input, act, n, false);
    for (let k = 0; k < act.length; k++) envAct[k] = this.low[k % A]! + ((act[k]! + 1) / 2) * this.span[k % A]!;
    await this.vec.step(envAct);
    const next = concatRows(b.obs, this.keys, this.sizes, n, this.rows.next);
    const final = concatRows(b.finalObs, this.keys, this.sizes, n, this.rows.final);
    for (let i = 0; i < n; i++) term[i] = b.terminated[i]!;
    for (let i = 0; i < n; i++) {
      buffer.add({ obs: input, action: act, reward: b.rewards, nextObs: b.hasFinal[i] ? final : next, terminated: term }, i);
      if (b.hasFinal[i]) {
        this.window.returns.push(b.finalReturn[i]!);
        this.window.lengths.push(b.finalSteps[i]!);
        c.episodes++;
      }
    }
    normalizer?.update(next, n);
    input.set(next);
    c.envSteps += n;
    this.window.envS += (performance.now() - t0) / 1000;
  }

  /** Gradient steps owed by the update-to-data ratio. */
  private learn(): void {
    const { agent, buffer, normalizer, counters: c } = this.parts;
    const B = agent.config.batchSize;
    if (c.envSteps < agent.config.learningStarts || buffer.size < Math.max(B, Math.min(agent.config.learningStarts, buffer.capacity))) return;
    c.updateDebt += this.n * agent.config.utd;
    const batch = this.sampled;
    const t0 = performance.now();
    while (c.updateDebt >= 1) {
      buffer.sample(B, batch);
      if (normalizer) {
        normalizer.normalize(batch.obs!, batch.obs!, B);
        normalizer.normalize(batch.nextObs!, batch.nextObs!, B);
      }
      this.window.stats.push(agent.update({ size: B, obs: batch.obs!, action: batch.action!, reward: batch.reward!, nextObs: batch.nextObs!, terminated: batch.terminated! }));
      c.updateDebt -= 1;
    }
    this.window.learnS += (performance.now() - t0) / 1000;
  }

  /** Deterministic evaluation on the separate env, every `evalEvery` env steps. */
  private maybeEvaluate(force = false): void {
    const c = this.parts.counters;
    if (!this.evalEnv || (!force && (this.o.evalEvery === 0 || !crossed(c.envSteps, this.n, this.o.evalEvery)))) return;
    if (this.lastEvalSteps === c.envSteps) return;
    this.lastEval = evaluate(this.evalEnv, this.actFn(), this.o.evalEpisodes, 1_000_000 + this.o.seed * 1000);
    this.lastEvalSteps = c.envSteps;
    this.hooks.onEval?.(this.lastEval, c.envSteps);
    this.pendingEval = evalMetrics(this.lastEval);
  }

  private pendingEval: Record<string, number> | null = null;

  /** The deterministic (mean-action) policy in env action units, for evaluation. */
  actFn(): (input: Float32Array, out: Float32Array) => void {
    const { agent, normalizer } = this.parts;
    const norm = new Float32Array(this.inDim), a = new Float32Array(this.actDim);
    return (input, out) => {
      agent.act(normalizer ? normalizer.normalize(input, norm, 1) : input, a, 1, true);
      for (let k = 0; k < this.actDim; k++) out[k] = this.low[k]! + ((a[k]! + 1) / 2) * this.span[k]!;
    };
  }

  private maybeLog(force = false): void {
    const c = this.parts.counters;
    if (!force && !crossed(c.envSteps, this.n, this.o.logEvery) && !this.pendingEval) return;
    if (this.lastLogSteps === c.envSteps && !this.pendingEval) return;
    this.lastLogSteps = c.envSteps;
    const w = this.window, mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    const row: MetricsRow = { env_steps: c.envSteps, time_s: +c.wallSeconds.toFixed(2), updates: this.parts.agent.updates, episodes: c.episodes };
    if (w.returns.length) Object.assign(row, { 'train/return_mean': mean(w.returns), 'train/length_mean': mean(w.lengths) });
    if (w.stats.length) {
      for (const k of Object.keys(w.stats[0]!) as (keyof SacStats)[]) row[`${k === 'alpha' || k === 'entropy' || k === 'q' ? k : `loss/${k.replace('Loss', '')}`}`] = mean(w.stats.map((s) => s[k]));
    }
    if (w.envS + w.learnS > 0) Object.assign(row, { 'time/env_s': +w.envS.toFixed(2), 'time/learn_s': +w.learnS.toFixed(2) });
    if (this.pendingEval) Object.assign(row, this.pendingEval);
    this.pendingEval = null;
    this.window = { returns: [], lengths: [], stats: [], envS: 0, learnS: 0 };
    this.metrics?.append(row);
    this.hooks.onMetrics?.(row);
  }

  private async finish(): Promise<void> {
    this.maybeEvaluate(true);
    this.maybeLog(true);
    this.metrics?.flushCsv();
    if (this.ckptDir) await saveRun(this.ckptDir, this.parts, this.runInfo());
    if (this.o.out && this.lastEval) {
      const { episodes, ...summary } = this.lastEval;
      writeFileSync(join(this.o.out, 'summary.json'), JSON.stringify({ task: this.id, envSteps: this.parts.counters.envSteps, wallSeconds: this.parts.counters.wallSeconds, eval: summary, episodes }, null, 2));
    }
  }
}

/** True when the counter passed a multiple of `every` during the last increment of `n`. */
function crossed(value: number, n: number, every: number): boolean {
  return every > 0 && Math.floor(value / every) !== Math.floor((value - n) / every);
}
