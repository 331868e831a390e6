// The learner contract the training harness drives, and the SAC-family base every learner extends (acting, scaling, stats).
import type { VectorEnv } from '../tasks/vector/vector-env.ts';
import type { EnvSpec } from '../tasks/env.ts';
import { Rng } from '../sim/rng.ts';
import { z } from 'zod';
import { Sac, SacStateSchema, type SacConfig, type SacStats, type TransitionBatch } from './sac.ts';
import { RngStateSchema } from './checkpoint.ts';
import { RunningNormalizer } from './normalizer.ts';
import type { ActFn } from './evaluate.ts';
import type { PolicyMeta } from './policy-io.ts';

/** What a learner replays from: saved and loaded whole, sampled with its own seeded RNG. */
export interface ReplayMemory {
  readonly rng: Rng;
  save(path: string): void;
  load(path: string): void;
}

/** Arrays and JSON state of a learner, for checkpoints. */
export interface LearnerState {
  arrays: Record<string, Float32Array>;
  state: Record<string, unknown>;
}

/** What `train` drives: collecting experience from a vector env and learning from it. */
export interface Learner {
  readonly kind: string;
  readonly agent: Sac;
  /** Called after every `vec.reset` (run start and resume). */
  start(vec: VectorEnv): void;
  /** One vector-env step: act, step, store; returns the transitions added. */
  collect(vec: VectorEnv, envSteps: number): Promise<number>;
  /** The gradient steps owed by the update-to-data ratio. */
  learn(envSteps: number): void;
  /** The deterministic policy for evaluation episodes (network input as agents/obs.ts builds it). */
  evalAct(): ActFn;
  /** Metrics gathered since the last call (`train/…`, `loss/…`, `alpha`, …). */
  drain(): Record<string, number>;
  getState(): LearnerState;
  setState(s: LearnerState): void;
  /** Extra policy metadata (goal size, skills) for the exported policy. */
  policyExtras(): Partial<PolicyMeta>;
  /** Env action bounds, for the exported policy. */
  actionBounds(): { low: number[]; high: number[] };
  /** Writes further files into a checkpoint folder being saved (e.g. DIAYN's discriminator). */
  exportFiles?(dir: string): Promise<void>;
  /** Writes / reads the replay memory (optional part of a checkpoint). */
  saveBuffer(path: string): void;
  loadBuffer(path: string): void;
}

/** The base learner's JSON state (subclasses' schemas extend it). */
export const BaseStateSchema = z.object({
  sac: SacStateSchema,
  bufferRng: RngStateSchema,
  normalizer: z.object({ count: z.number(), mean: z.array(z.number()), var: z.array(z.number()) }).nullable(),
  actionRng: RngStateSchema,
  updateDebt: z.number(),
  episodes: z.number().int().min(0),
}).passthrough();

/** Validates a checkpointed state, naming the field on error. */
export function parseState<S extends z.ZodType>(schema: S, value: unknown, what: string): z.output<S> {
  const r = schema.safeParse(value);
  if (!r.success) {
    const issue = r.error.issues[0]!;
    throw new Error(`checkpoint ${what} state.${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  return r.data;
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

/**
 * Shared machinery of SAC-based learners: the agent, optional input normalisation, exploration
 * (uniform random actions before `learningStarts`), mapping [−1, 1] actions onto the env's bounds,
 * and windowed statistics of episodes and updates.
 */
export abstract class SacLearnerBase implements Learner {
  abstract readonly kind: string;
  readonly agent: Sac;
  readonly normalizer: RunningNormalizer | null;
  readonly actionRng: Rng;
  protected readonly n: number;
  protected readonly actDim: number;
  private readonly low: Float32Array;
  private readonly span: Float32Array;
  /** Fractional gradient steps owed. */
  protected updateDebt = 0;
  episodes = 0;
  private window = { returns: [] as number[], lengths: [] as number[], stats: [] as SacStats[], envS: 0, learnS: 0 };

  constructor(readonly spec: EnvSpec, numEnvs: number, readonly inputDim: number, readonly config: SacConfig, seed: number) {
    const { low, high } = spec.actionSpace;
    if ([...low, ...high].some((v) => !Number.isFinite(v))) throw new Error(`${spec.id}: SAC needs a bounded action space`);
    this.n = numEnvs;
    this.actDim = low.length;
    this.low = Float32Array.from(low);
    this.span = Float32Array.from(high, (h, i) => h - low[i]!);
    this.agent = new Sac(inputDim, this.actDim, config, seed);
    this.normalizer = config.normalizeObs ? new RunningNormalizer(inputDim, 10, config.normalizeEps) : null;
    this.actionRng = new Rng(seed + 2);
  }

  abstract start(vec: VectorEnv): void;
  abstract collect(vec: VectorEnv, envSteps: number): Promise<number>;
  abstract learn(envSteps: number): void;
  /** The learner's replay memory (flat or episodic): saved with checkpoints on request, its sampling RNG always. */
  protected abstract readonly memory: ReplayMemory;

  saveBuffer(path: string): void {
    this.memory.save(path);
  }

  /** Loads a saved memory but keeps the sampling RNG restored from the checkpoint state. */
  loadBuffer(path: string): void {
    const rng = this.memory.rng.getState();
    this.memory.load(path);
    this.memory.rng.setState(rng);
  }

  /**
   * Exploration actions in [−1, 1] for `n` input rows into `act`: uniformly random before
   * learningStarts, then sampled from the policy, each row replaced by a uniform random action
   * with probability `randomEps`.
   */
  protected explore(input: Float32Array, act: Float32Array, envSteps: number, scratch: Float32Array): void {
    if (envSteps < this.config.learningStarts) {
      for (let k = 0; k < act.length; k++) act[k] = this.actionRng.range(-1, 1);
      return;
    }
    this.agent.act(this.normalizer ? this.normalizer.normalize(input, scratch, this.n) : input, act, this.n, false);
    const eps = this.config.randomEps, A = this.actDim;
    if (eps === 0) return;
    for (let i = 0; i < this.n; i++) {
      if (this.actionRng.uniform() >= eps) continue;
      for (let k = 0; k < A; k++) act[i * A + k] = this.actionRng.range(-1, 1);
    }
  }

  /** Maps network actions in [−1, 1] onto the env's action bounds. */
  protected toEnv(act: Float32Array, out: Float32Array): Float32Array {
    const A = this.actDim;
    for (let k = 0; k < act.length; k++) out[k] = this.low[k % A]! + ((act[k]! + 1) / 2) * this.span[k % A]!;
    return out;
  }

  /** One gradient step on a sampled batch (normalising its inputs in place first). */
  protected step(batch: TransitionBatch): void {
    if (this.normalizer) {
      this.normalizer.normalize(batch.obs, batch.obs, batch.size);
      this.normalizer.normalize(batch.nextObs, batch.nextObs, batch.size);
    }
    this.window.stats.push(this.agent.update(batch));
  }

  /** Runs the owed updates (`utd` per env step added), each one call of `update`; nothing until `ready`. */
  protected payDebt(added: number, ready: boolean, update: () => void): void {
    if (!ready) return;
    this.updateDebt += added * this.config.utd;
    const t0 = performance.now();
    while (this.updateDebt >= 1) {
      update();
      this.updateDebt -= 1;
    }
    this.window.learnS += (performance.now() - t0) / 1000;
  }

  protected episodeDone(ret: number, length: number): void {
    this.window.returns.push(ret);
    this.window.lengths.push(length);
    this.episodes++;
  }

  protected addEnvTime(seconds: number): void {
    this.window.envS += seconds;
  }

  evalAct(): ActFn {
    const norm = new Float32Array(this.inputDim), a = new Float32Array(this.actDim);
    return (input, out) => {
      this.agent.act(this.normalizer ? this.normalizer.normalize(input, norm, 1) : input, a, 1, true);
      this.toEnv(a, out);
    };
  }

  drain(): Record<string, number> {
    const w = this.window, row: Record<string, number> = { updates: this.agent.updates, episodes: this.episodes };
    if (w.returns.length) Object.assign(row, { 'train/return_mean': mean(w.returns), 'train/length_mean': mean(w.lengths) });
    if (w.stats.length) {
      row['loss/critic'] = mean(w.stats.map((s) => s.criticLoss));
      row['loss/actor'] = mean(w.stats.map((s) => s.actorLoss));
      row['loss/alpha'] = mean(w.stats.map((s) => s.alphaLoss));
      row.alpha = mean(w.stats.map((s) => s.alpha));
      row.entropy = mean(w.stats.map((s) => s.entropy));
      row.q = mean(w.stats.map((s) => s.q));
    }
    row['time/env_s'] = +w.envS.toFixed(2);
    row['time/learn_s'] = +w.learnS.toFixed(2);
    this.window = { returns: [], lengths: [], stats: [], envS: 0, learnS: 0 };
    return row;
  }

  /** Base state: agent, normaliser, exploration RNG, counters; subclasses add their buffers. */
  getState(): LearnerState {
    const { arrays, state } = this.agent.getState();
    return { arrays, state: { sac: state, bufferRng: this.memory.rng.getState(), normalizer: this.normalizer?.getState() ?? null, actionRng: this.actionRng.getState(), updateDebt: this.updateDebt, episodes: this.episodes } };
  }

  setState(s: LearnerState): void {
    const st = parseState(BaseStateSchema, s.state, 'learner');
    this.agent.setState(s.arrays, st.sac);
    if (this.normalizer && st.normalizer) this.normalizer.setState(st.normalizer);
    this.actionRng.setState(st.actionRng);
    this.memory.rng.setState(st.bufferRng);
    this.updateDebt = st.updateDebt;
    this.episodes = st.episodes;
  }

  policyExtras(): Partial<PolicyMeta> {
    return {};
  }

  /** Env action bounds, for the exported policy. */
  actionBounds(): { low: number[]; high: number[] } {
    return { low: [...this.low], high: [...this.low].map((l, i) => l + this.span[i]!) };
  }
}
