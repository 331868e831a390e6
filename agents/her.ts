// Goal-conditioned SAC with hindsight relabelling (HER), on the env's goals or on self-proposed ones (RIG / Skew-Fit).
import { z } from 'zod';
import type { VectorEnv } from '../tasks/vector/vector-env.ts';
import type { EnvSpec, GoalFunctions } from '../tasks/env.ts';
import type { SacConfig, TransitionBatch } from './sac.ts';
import { SacLearnerBase, BaseStateSchema, parseState, type LearnerState } from './learner.ts';
import { EpisodeBuffer, goalTransitionLayout } from './episode-buffer.ts';
import { SkewFitConfigSchema, SkewFitProposer } from './skewfit.ts';
import { keySizes } from './obs.ts';
import { RngStateSchema } from './checkpoint.ts';
import type { PolicyMeta } from './policy-io.ts';

export const HerConfigSchema = z.object({
  /** Which achieved goal replaces the desired one: a later step (`future`), the last (`final`) or any step of the episode. */
  strategy: z.enum(['future', 'final', 'episode']).default('future'),
  /** Relabelled goals per real one: a sampled transition is relabelled with probability k / (k + 1). */
  k: z.number().int().min(0).max(32).default(4),
  /**
   * Which episodes are replayed: `uniform`, or `goal-path`, ∝ priorityFloor + the distance the
   * achieved goal travelled in the episode (see EpisodePriority; after Zhao & Tresp 2018).
   */
  priority: z.enum(['uniform', 'goal-path']).default('uniform'),
  /** Weight (goal units) of an episode whose achieved goal never moved, under `goal-path`. */
  priorityFloor: z.number().positive().default(0.01),
  /** 'env': train on the env's goals; 'proposed': the agent proposes its own goals (the env's goal and reward are never used). */
  goals: z.enum(['env', 'proposed']).default('env'),
  skewFit: SkewFitConfigSchema.default(SkewFitConfigSchema.parse({})),
}).strict();
export type HerConfig = z.output<typeof HerConfigSchema>;

/** Validates HER options; errors name the field. */
export function parseHerConfig(input: unknown): HerConfig {
  const r = HerConfigSchema.safeParse(input ?? {});
  if (!r.success) throw new Error(`her config.${r.error.issues[0]!.path.join('.') || '(root)'}: ${r.error.issues[0]!.message}`);
  return r.data;
}

type Rows = Record<'observation' | 'achieved_goal' | 'desired_goal', Float32Array>;

/** Goal-conditioned SAC: input = observation ‖ desired goal; rewards recomputed by the task's batched `computeReward`. */
export class GoalLearner extends SacLearnerBase {
  readonly kind = 'her';
  readonly buffer: EpisodeBuffer;
  protected get memory(): EpisodeBuffer {
    return this.buffer;
  }
  readonly proposer: SkewFitProposer | null;
  private readonly goalFns: GoalFunctions;
  private readonly od: number;
  private readonly gd: number;
  private readonly slot: Int32Array;
  private readonly pos: Int32Array;
  /** Observation, achieved and desired goal of each env before the step being taken. */
  private readonly cur: Rows;
  private readonly scratch: Record<'input' | 'norm' | 'act' | 'envAct' | 'next' | 'nextAg' | 'term' | 'goal', Float32Array>;
  private readonly sampled: Record<string, Float32Array>;
  private readonly batch: TransitionBatch;
  private readonly success = new Uint8Array(1);
  private successes: number[] = [];
  /** Achieved goal of each env at its episode's start, to tell whether the episode moved it. */
  private readonly startAg: Float32Array;
  private moved: number[] = [];

  constructor(spec: EnvSpec, numEnvs: number, config: SacConfig, readonly her: HerConfig, seed: number) {
    const sizes = keySizes(spec);
    if (!spec.goal || sizes.desired_goal === undefined) throw new Error(`${spec.id}: goal-conditioned SAC needs a goal task (dict observations and spec.goal)`);
    super(spec, numEnvs, sizes.observation! + sizes.desired_goal, config, seed);
    this.goalFns = spec.goal;
    this.od = sizes.observation!;
    this.gd = sizes.desired_goal;
    const slots = Math.max(numEnvs + 1, Math.floor(config.bufferSize / spec.maxEpisodeSteps));
    this.buffer = new EpisodeBuffer(goalTransitionLayout(this.od, this.gd, this.actDim), slots, spec.maxEpisodeSteps, seed + 1, { kind: her.priority, floor: her.priorityFloor });
    this.proposer = her.goals === 'proposed' ? new SkewFitProposer(this.gd, her.skewFit, seed + 3) : null;
    this.slot = new Int32Array(numEnvs);
    this.pos = new Int32Array(numEnvs);
    const f = (d: number) => new Float32Array(numEnvs * d);
    this.cur = { observation: f(this.od), achieved_goal: f(this.gd), desired_goal: f(this.gd) };
    this.startAg = f(this.gd);
    this.scratch = { input: f(this.inputDim), norm: f(this.inputDim), act: f(this.actDim), envAct: f(this.actDim), next: f(this.od), nextAg: f(this.gd), term: f(1), goal: new Float32Array(this.gd) };
    this.sampled = this.buffer.allocateBatch(config.batchSize);
    const B = config.batchSize;
    this.batch = { size: B, obs: new Float32Array(B * this.inputDim), action: this.sampled.action!, reward: new Float32Array(B), nextObs: new Float32Array(B * this.inputDim), terminated: this.sampled.terminated! };
  }

  start(vec: VectorEnv): void {
    if (this.proposer && !vec.setGoal) throw new Error('self-proposed goals need in-process envs (workers: 0)');
    for (let i = 0; i < this.n; i++) {
      this.slot[i] = this.buffer.openSlot();
      this.pos[i] = 0;
      this.beginEpisode(vec, i);
    }
    for (const k of ['observation', 'achieved_goal', 'desired_goal'] as const) this.cur[k].set(vec.batch.obs[k]!);
    this.startAg.set(vec.batch.obs.achieved_goal!);
  }

  /** At an episode start: with proposed goals, draw one and give it to env `i`. */
  private beginEpisode(vec: VectorEnv, i: number): void {
    if (!this.proposer) return;
    this.proposer.add(vec.batch.obs.achieved_goal!, 1, i * this.gd);
    vec.setGoal!(i, this.proposer.propose(this.scratch.goal));
  }

  async collect(vec: VectorEnv, envSteps: number): Promise<number> {
    const t0 = performance.now(), b = vec.batch, n = this.n, s = this.scratch;
    this.joinRows(this.cur.observation, this.cur.desired_goal, n, s.input);
    this.explore(s.input, s.act, envSteps, s.norm);
    await vec.step(this.toEnv(s.act, s.envAct));
    for (let i = 0; i < n; i++) {
      const src = b.hasFinal[i] ? b.finalObs : b.obs;
      s.next.set(src.observation!.subarray(i * this.od, (i + 1) * this.od), i * this.od);
      s.nextAg.set(src.achieved_goal!.subarray(i * this.gd, (i + 1) * this.gd), i * this.gd);
      s.term[i] = b.terminated[i]!;
    }
    const fields = { obs: this.cur.observation, ag: this.cur.achieved_goal, dg: this.cur.desired_goal, action: s.act, nextObs: s.next, nextAg: s.nextAg, terminated: s.term };
    for (let i = 0; i < n; i++) {
      this.buffer.write(this.slot[i]!, this.pos[i]!++, fields, i);
      if (b.hasFinal[i]) this.endEpisode(vec, i, b.finalReturn[i]!);
    }
    this.proposer?.add(s.nextAg, n);
    this.normalizer?.update(s.input, n);
    for (const k of ['observation', 'achieved_goal', 'desired_goal'] as const) this.cur[k].set(b.obs[k]!);
    this.addEnvTime((performance.now() - t0) / 1000);
    return n;
  }

  private endEpisode(vec: VectorEnv, i: number, ret: number): void {
    const gd = this.gd, final = this.scratch.nextAg.subarray(i * gd, (i + 1) * gd), start = this.startAg.subarray(i * gd, (i + 1) * gd);
    this.goalFns.isSuccess(final, this.cur.desired_goal.subarray(i * gd, (i + 1) * gd), this.success);
    this.successes.push(this.success[0]!);
    this.goalFns.isSuccess(final, start, this.success);
    this.moved.push(1 - this.success[0]!);
    start.set(vec.batch.obs.achieved_goal!.subarray(i * gd, (i + 1) * gd));
    this.episodeDone(ret, this.pos[i]!);
    this.buffer.close(this.slot[i]!, this.pos[i]!);
    this.slot[i] = this.buffer.openSlot();
    this.pos[i] = 0;
    this.beginEpisode(vec, i);
  }

  /** Rows of a ‖ b (row-major, n rows). */
  private joinRows(a: Float32Array, g: Float32Array, n: number, out: Float32Array): Float32Array {
    const od = a.length / n, gd = g.length / n;
    for (let i = 0; i < n; i++) {
      out.set(a.subarray(i * od, (i + 1) * od), i * (od + gd));
      out.set(g.subarray(i * gd, (i + 1) * gd), i * (od + gd) + od);
    }
    return out;
  }

  learn(envSteps: number): void {
    const rel = this.her.k / (this.her.k + 1);
    const ready = envSteps >= this.config.learningStarts && this.buffer.size >= this.config.batchSize;
    this.payDebt(this.n, ready, () => this.step(this.sampleBatch(rel)));
  }

  /** A training batch: transitions relabelled with probability `relabel`, rewards recomputed for the goals used. */
  sampleBatch(relabel: number): TransitionBatch {
    const smp = this.sampled, B = this.config.batchSize;
    this.buffer.sample(B, relabel, this.her.strategy, smp);
    this.joinRows(smp.obs!, smp.dg!, B, this.batch.obs);
    this.joinRows(smp.nextObs!, smp.dg!, B, this.batch.nextObs);
    this.goalFns.computeReward(smp.nextAg!, smp.dg!, this.batch.reward);
    return this.batch;
  }

  /** The raw fields of the last sampled batch (obs, ag, dg, action, nextObs, nextAg, terminated). */
  get lastSample(): Record<string, Float32Array> {
    return this.sampled;
  }

  override drain(): Record<string, number> {
    const row = super.drain();
    if (this.successes.length) row['train/success'] = this.successes.reduce((a, b) => a + b, 0) / this.successes.length;
    this.successes = [];
    if (this.moved.length) row['train/goal_moved'] = this.moved.reduce((a, b) => a + b, 0) / this.moved.length;
    this.moved = [];
    return { ...row, ...(this.proposer?.drainMetrics() ?? {}) };
  }

  override getState(): LearnerState {
    const s = super.getState(), arrays = { ...s.arrays };
    const extra: Record<string, unknown> = {};
    if (this.proposer) {
      const p = this.proposer.getState();
      arrays['proposer/goals'] = p.goals;
      extra.proposer = { count: p.count, seen: p.seen, rng: p.rng, achieved: p.achieved };
    }
    return { arrays, state: { ...s.state, ...extra } };
  }

  override setState(s: LearnerState): void {
    super.setState(s);
    const schema = BaseStateSchema.extend({ proposer: z.object({ count: z.number().int(), seen: z.number().int(), rng: RngStateSchema, achieved: z.array(z.number()) }).optional() });
    const st = parseState(schema, s.state, 'her');
    if (this.proposer && st.proposer) this.proposer.setState({ goals: s.arrays['proposer/goals'] ?? new Float32Array(0), ...st.proposer });
  }


  override policyExtras(): Partial<PolicyMeta> {
    return { goalDim: this.gd };
  }
}
