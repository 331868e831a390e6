// DIAYN (Eysenbach et al. 2019, "Diversity is All You Need"): skills from a discriminator's pseudo-reward, learned by SAC.
import * as tf from '@tensorflow/tfjs';
import { z } from 'zod';
import type { VectorEnv } from '../tasks/vector/vector-env.ts';
import type { EnvSpec } from '../tasks/env.ts';
import { sliceOf } from '../tasks/layout.ts';
import { Rng } from '../sim/rng.ts';
import type { SacConfig, TransitionBatch } from './sac.ts';
import { Adam, Mlp } from './nn.ts';
import { ReplayBuffer, type RowLayout } from './replay.ts';
import { SacLearnerBase, BaseStateSchema, parseState, type LearnerState } from './learner.ts';
import { keySizes } from './obs.ts';
import { RngStateSchema } from './checkpoint.ts';
import { saveLayersModel, type PolicyMeta } from './policy-io.ts';
import { gatherFeatures, softmaxRows, type DiscriminatorMeta } from './discriminator.ts';
import { join } from 'node:path';
import { SkillMotionLog } from './skill-motion.ts';
import { WarmupSchedule, WarmupStageSchema, addInputNoise, featureIndices, warmupFeatures, zeroInputRows } from './diayn-warmup.ts';

export const DiaynConfigSchema = z.object({
  /** Number of skills N; z ~ Uniform{0 … N−1} at each episode start, held for the episode. */
  skills: z.number().int().min(2).max(256).default(20),
  /**
   * Discriminator input: 'observation' (all of it) or names of observation-layout entries
   * (e.g. ['torso_velocity']); `name[k]` is one value of an entry (e.g. 'root_velocity[2]').
   */
  features: z.union([z.literal('observation'), z.array(z.string()).min(1)]).default('observation'),
  /** Discriminator hidden layers and optimiser. */
  hidden: z.array(z.number().int().min(1).max(4096)).min(1).default([256, 256]),
  lr: z.number().positive().default(3e-4),
  /** Every this-many-th episode is held out from discriminator training, for an unbiased accuracy. */
  heldOutEvery: z.number().int().min(2).default(10),
  /** Held-out states kept for the accuracy metric: the most recent ones (a ring), so it measures the current skills. */
  heldOutSize: z.number().int().min(10).default(4000),
  /**
   * Discriminator curriculum (Paddock addition): for the first `steps` env steps the discriminator
   * reads only these entries of `features`, every other input held at 0; then all of `features`.
   * Velocities first lets skills learn to move before postures can tell them apart. A list of
   * stages (ascending `steps`) reads each stage's entries until its `steps`, then the next stage's.
   */
  warmup: z.union([WarmupStageSchema, z.array(WarmupStageSchema).min(1)]).optional()
    .refine((w) => !Array.isArray(w) || w.every((st, k) => k === 0 || st.steps > w[k - 1]!.steps), 'stages must have ascending steps'),
  /**
   * Paddock addition: when a warm-up stage (or its end) makes the discriminator read an input for the
   * first time, that input's first-layer weights are set to zero at the switch, so q(z|s) does not
   * jump and skills keep their pseudo-reward instead of dropping to chance. A masked input is 0 and
   * gets no gradient, so this equals starting those weights at zero. `true`: at every switch; a
   * number: only at switches at or after that many env steps.
   */
  zeroNewInputs: z.union([z.boolean(), z.number().int().min(0)]).default(false),
  /**
   * Paddock addition: from this many env steps on, the skills are fixed: SAC stops updating (actor,
   * critics, α) and so does the observation normaliser, while the discriminator keeps training, one
   * step per update the policy would have made, on replay rows (the whole buffer, whose older rows are
   * the skills before the freeze, unless `fitFrozenOnly`). Held-out accuracy (recent episodes) then
   * measures how well the learned skills can be told apart, as evaluation protocols that fit a
   * classifier to fixed skills do. Unset: the policy trains throughout.
   */
  freezePolicyAt: z.number().int().min(0).optional(),
  /**
   * Paddock addition, with `freezePolicyAt`: once the skills are fixed, the discriminator samples
   * only the rows collected since the freeze (the fixed skills' own states), not the whole buffer,
   * whose older rows hold what each skill did before. Off (the whole buffer) unless set.
   */
  fitFrozenOnly: z.boolean().default(false),
}).strict().refine((c) => !c.fitFrozenOnly || c.freezePolicyAt !== undefined, { message: 'needs freezePolicyAt', path: ['fitFrozenOnly'] });
export type DiaynConfig = z.output<typeof DiaynConfigSchema>;

export function parseDiaynConfig(input: unknown): DiaynConfig {
  const r = DiaynConfigSchema.safeParse(input ?? {});
  if (!r.success) throw new Error(`diayn config.${r.error.issues[0]!.path.join('.') || '(root)'}: ${r.error.issues[0]!.message}`);
  return r.data;
}

/** DIAYN pseudo-reward (Eq. 3 of the paper's objective): r = log q(z|s) − log p(z), with p(z) = 1/N. `logits`: [B, N]. */
export function pseudoReward(logits: tf.Tensor2D, skills: tf.Tensor1D, numSkills: number): tf.Tensor1D {
  const logq = tf.sum(tf.mul(tf.logSoftmax(logits), tf.oneHot(skills, numSkills)), 1) as tf.Tensor1D;
  return tf.add(logq, Math.log(numSkills));
}

/** Discriminator loss: cross-entropy −E[log q(z|s)] over the rows with weight 1 (held-out rows weigh 0). */
export function discriminatorLoss(logits: tf.Tensor2D, skills: tf.Tensor1D, numSkills: number, weights: tf.Tensor1D): tf.Scalar {
  const logq = tf.sum(tf.mul(tf.logSoftmax(logits), tf.oneHot(skills, numSkills)), 1);
  return tf.div(tf.neg(tf.sum(tf.mul(logq, weights))), tf.maximum(tf.sum(weights), 1)) as tf.Scalar;
}

function diaynLayout(obsDim: number, actDim: number): RowLayout {
  return [{ name: 'obs', size: obsDim }, { name: 'skill', size: 1 }, { name: 'action', size: actDim }, { name: 'nextObs', size: obsDim }, { name: 'terminated', size: 1 }, { name: 'heldOut', size: 1 }];
}

/** SAC over observation ‖ one-hot(z), rewarded only by the discriminator. */
export class DiaynLearner extends SacLearnerBase {
  readonly kind = 'diayn';
  readonly disc: Mlp;
  readonly discOpt: Adam;
  readonly buffer: ReplayBuffer;
  protected get memory(): ReplayBuffer {
    return this.buffer;
  }
  readonly features: number[];
  /** The discriminator's input curriculum: which inputs it reads at each env step count. */
  private readonly warmup: WarmupSchedule;
  /** Latest env step count seen (summed over envs), for the warm-up. */
  private envSteps = 0;
  /** The warm-up stage this process last trained in (−1 before its first step), to notice a switch. */
  private stage = -1;
  private readonly od: number;
  private readonly skillRng: Rng;
  /** Draws the discriminator's input noise (warm-up stages with `noise` > 0 only). */
  private readonly noiseRng: Rng;
  readonly skill: Int32Array;
  private episodeIndex = 0;
  private readonly heldOut: Uint8Array;
  private readonly held: { x: Float32Array; z: Int32Array; count: number; seen: number };
  private readonly rows: Record<'obs' | 'input' | 'norm' | 'act' | 'envAct' | 'next' | 'skillF' | 'term' | 'hold', Float32Array>;
  private readonly sampled: Record<string, Float32Array>;
  private readonly batch: TransitionBatch;
  private discLosses: number[] = [];
  private readonly featBatch: Float32Array<ArrayBuffer>;
  private readonly noisyBatch: Float32Array<ArrayBuffer>;
  /** Per-skill motion of the training episodes ended since the last metrics row. */
  private readonly motion: SkillMotionLog;
  /** Observation index of the unwrapped torso pitch `rooty` (−1 when the task has none), and each env's pitch at its episode start (rad). */
  private readonly pitchAt: number;
  private readonly pitchStart: Float64Array;

  constructor(spec: EnvSpec, numEnvs: number, config: SacConfig, readonly diayn: DiaynConfig, seed: number) {
    const od = keySizes(spec).observation!;
    if (spec.observationSpace.type !== 'box') throw new Error(`${spec.id}: DIAYN needs flat observations`);
    super(spec, numEnvs, od + diayn.skills, config, seed);
    this.od = od;
    this.features = featureIndices(spec, diayn.features);
    const stages = diayn.warmup === undefined ? [] : Array.isArray(diayn.warmup) ? diayn.warmup : [diayn.warmup];
    this.warmup = new WarmupSchedule(this.features, stages.map((st) => ({ steps: st.steps, noise: st.noise, idx: warmupFeatures(spec, this.features, st) })));
    this.disc = new Mlp({ inputDim: this.features.length, hidden: diayn.hidden, outputDim: diayn.skills, ensemble: 1 }, new Rng(seed + 11), 'discriminator');
    this.discOpt = new Adam(this.disc.params, diayn.lr);
    this.buffer = new ReplayBuffer(diaynLayout(od, this.actDim), config.bufferSize, seed + 1);
    this.skillRng = new Rng(seed + 5);
    this.noiseRng = new Rng(seed + 13);
    this.skill = new Int32Array(numEnvs);
    this.heldOut = new Uint8Array(numEnvs);
    this.held = { x: new Float32Array(diayn.heldOutSize * this.features.length), z: new Int32Array(diayn.heldOutSize), count: 0, seen: 0 };
    const f = (d: number) => new Float32Array(numEnvs * d);
    this.rows = { obs: f(od), input: f(this.inputDim), norm: f(this.inputDim), act: f(this.actDim), envAct: f(this.actDim), next: f(od), skillF: f(1), term: f(1), hold: f(1) };
    this.sampled = this.buffer.allocateBatch(config.batchSize);
    const B = config.batchSize;
    this.batch = { size: B, obs: new Float32Array(B * this.inputDim), action: this.sampled.action!, reward: new Float32Array(B), nextObs: new Float32Array(B * this.inputDim), terminated: this.sampled.terminated! };
    this.featBatch = new Float32Array(B * this.features.length);
    this.noisyBatch = new Float32Array(B * this.features.length);
    this.motion = new SkillMotionLog(diayn.skills);
    this.pitchAt = spec.obsLayout.observation!.some((e) => e.name === 'rooty') ? sliceOf(spec.obsLayout.observation!, 'rooty').start : -1;
    this.pitchStart = new Float64Array(numEnvs);
  }

  get numSkills(): number {
    return this.diayn.skills;
  }

  /** Writes rows of observation ‖ one-hot(skill). */
  withSkill(obs: ArrayLike<number>, skills: ArrayLike<number>, n: number, out: Float32Array): Float32Array {
    const od = this.od, N = this.numSkills, w = od + N;
    out.fill(0, 0, n * w);
    for (let i = 0; i < n; i++) {
      for (let k = 0; k < od; k++) out[i * w + k] = obs[i * od + k]!;
      out[i * w + od + skills[i]!] = 1;
    }
    return out;
  }

  private newSkill(i: number): void {
    this.skill[i] = this.skillRng.int(this.numSkills);
    this.heldOut[i] = this.episodeIndex++ % this.diayn.heldOutEvery === 0 ? 1 : 0;
  }

  start(vec: VectorEnv): void {
    for (let i = 0; i < this.n; i++) this.newSkill(i);
    this.rows.obs.set(vec.batch.obs.observation!);
    for (let i = 0; i < this.n; i++) this.pitchStart[i] = this.pitchOf(vec.batch.obs.observation!, i);
  }

  async collect(vec: VectorEnv, envSteps: number): Promise<number> {
    this.setEnvSteps(envSteps);
    const t0 = performance.now(), b = vec.batch, n = this.n, r = this.rows, od = this.od;
    this.explore(this.withSkill(r.obs, this.skill, n, r.input), r.act, envSteps, r.norm);
    await vec.step(this.toEnv(r.act, r.envAct));
    for (let i = 0; i < n; i++) {
      const src = b.hasFinal[i] ? b.finalObs.observation! : b.obs.observation!;
      r.next.set(src.subarray(i * od, (i + 1) * od), i * od);
      r.skillF[i] = this.skill[i]!;
      r.term[i] = b.terminated[i]!;
      r.hold[i] = this.heldOut[i]!;
    }
    for (let i = 0; i < n; i++) {
      this.buffer.add({ obs: r.obs, skill: r.skillF, action: r.act, nextObs: r.next, terminated: r.term, heldOut: r.hold }, i);
      if (this.heldOut[i]) this.keepHeldOut(r.next, i);
      if (b.hasFinal[i]) {
        this.episodeDone(b.finalReturn[i]!, b.finalSteps[i]!);
        const pitch = this.pitchOf(b.finalObs.observation!, i) - this.pitchStart[i]!;
        this.motion.record(this.skill[i]!, b.finalDisplacement[2 * i]!, b.finalDisplacement[2 * i + 1]!, b.finalSteps[i]! * this.spec.dt, pitch);
        this.pitchStart[i] = this.pitchOf(b.obs.observation!, i);
        this.newSkill(i);
      }
    }
    if (!this.frozen) this.normalizer?.update(r.input, n);
    r.obs.set(b.obs.observation!);
    this.addEnvTime((performance.now() - t0) / 1000);
    return n;
  }

  /** Unwrapped torso pitch (rad) of env `i` in a batch of observations; NaN when the task has none. */
  private pitchOf(obs: Float32Array, i: number): number {
    return this.pitchAt < 0 ? NaN : obs[i * this.od + this.pitchAt]!;
  }

  /** Keeps a held-out (features, skill) pair in the ring of the most recent `heldOutSize`. */
  private keepHeldOut(next: Float32Array, i: number): void {
    const h = this.held, F = this.features.length;
    const slot = h.seen++ % this.diayn.heldOutSize;
    h.count = Math.min(h.count + 1, this.diayn.heldOutSize);
    this.features.forEach((f, k) => { h.x[slot * F + k] = next[i * this.od + f]!; });
    h.z[slot] = this.skill[i]!;
  }

  /** Records the env step count; on entering a later stage, zeroes the weights of inputs it reads first (`zeroNewInputs`). */
  private setEnvSteps(envSteps: number): void {
    this.envSteps = envSteps;
    const stage = this.warmup.stageAt(envSteps), z = this.diayn.zeroNewInputs, before = this.stage;
    if (before >= 0 && stage > before && (z === true || (typeof z === 'number' && envSteps >= z))) {
      zeroInputRows(this.disc, this.warmup.freshInputs(before, stage));
    }
    this.stage = stage;
  }

  /** Whether the skills are fixed now (`freezePolicyAt` reached): only the discriminator trains. */
  get frozen(): boolean {
    const at = this.diayn.freezePolicyAt;
    return at !== undefined && this.envSteps >= at;
  }

  /** The discriminator's inputs now: observation indices, −1 for an entry masked by the warm-up. */
  activeFeatures(): readonly number[] {
    return this.warmup.active(this.envSteps);
  }

  /** Feature rows of `n` observations (into `out` when given), as the discriminator reads them now. */
  private featuresOf(obs: Float32Array, n: number, out: Float32Array = new Float32Array(n * this.features.length)): Float32Array {
    return gatherFeatures(obs, n, this.od, this.activeFeatures(), out);
  }

  learn(envSteps: number): void {
    this.setEnvSteps(envSteps);
    const B = this.config.batchSize;
    const ready = envSteps >= this.config.learningStarts && this.buffer.size >= Math.max(B, Math.min(this.config.learningStarts, this.buffer.capacity));
    this.payDebt(this.n, ready, () => this.updateOnce());
  }

  /** One owed update: a SAC step on a fresh batch; once the policy is frozen, a discriminator step alone (no SAC batch). */
  private updateOnce(): void {
    if (!this.frozen) return this.step(this.sampleBatch());
    if (this.diayn.fitFrozenOnly) this.buffer.sampleRecent(this.config.batchSize, this.envSteps - this.diayn.freezePolicyAt!, this.sampled);
    else this.buffer.sample(this.config.batchSize, this.sampled);
    this.discriminatorStep();
  }

  /** A SAC batch with pseudo-rewards from the current discriminator, after one discriminator step on the same states. */
  sampleBatch(): TransitionBatch {
    const B = this.config.batchSize, s = this.sampled;
    this.buffer.sample(B, s);
    this.withSkill(s.obs!, s.skill!, B, this.batch.obs);
    this.withSkill(s.nextObs!, s.skill!, B, this.batch.nextObs);
    this.discriminatorStep(this.batch.reward);
    return this.batch;
  }

  /**
   * One discriminator step (cross-entropy on the next states of the rows last sampled into
   * `sampled`, held-out rows weighted 0); then, when `reward` is given, the pseudo-rewards
   * log q(z|s') − log p(z) of those rows into it.
   */
  private discriminatorStep(reward?: Float32Array): void {
    const B = this.config.batchSize, N = this.numSkills, s = this.sampled;
    const feats = this.featuresOf(s.nextObs!, B, this.featBatch), noisy = this.noisyInputs(feats);
    const out = tf.tidy(() => {
      const x = tf.tensor2d(feats, [B, this.features.length]), xTrain = noisy === feats ? x : tf.tensor2d(noisy, [B, this.features.length]);
      const z = tf.tensor1d(Int32Array.from(s.skill!), 'int32');
      const w = tf.sub(1, tf.tensor1d(s.heldOut!)) as tf.Tensor1D;
      const g = tf.variableGrads(() => discriminatorLoss(this.disc.apply(xTrain) as tf.Tensor2D, z, N, w), this.disc.params);
      this.discOpt.apply(g.grads);
      const loss = tf.reshape(g.value, [1]);
      return (reward ? tf.concat([pseudoReward(this.disc.apply(x) as tf.Tensor2D, z, N), loss]) : loss).dataSync();
    });
    reward?.set(out.subarray(0, B));
    this.discLosses.push(out[out.length - 1]!);
  }

  /** `feats` with the current stage's input noise (into a second buffer), or `feats` itself when the stage has none. */
  private noisyInputs(feats: Float32Array): Float32Array {
    const sd = this.warmup.noiseAt(this.envSteps);
    return sd === 0 ? feats : addInputNoise(feats, this.activeFeatures(), sd, this.noiseRng, this.noisyBatch);
  }

  /** Posterior q(z|s) rows ([n, N]) for observations ([n, obsDim]). */
  posterior(obs: Float32Array, n: number): Float32Array {
    return softmaxRows(this.disc, this.featuresOf(obs, n), n, this.features.length);
  }

  /** Held-out accuracy of the discriminator and the bound log N − E[−log q(z|s)] (nats). */
  heldOutMetrics(): Record<string, number> {
    const h = this.held, F = this.features.length, N = this.numSkills;
    if (h.count === 0) return {};
    const active = this.activeFeatures(), x = h.x.slice(0, h.count * F);
    for (let k = 0; k < F; k++) if (active[k]! < 0) for (let i = 0; i < h.count; i++) x[i * F + k] = 0;
    const [acc, logq] = tf.tidy(() => {
      const logits = this.disc.apply(tf.tensor2d(x, [h.count, F])) as tf.Tensor2D;
      const z = tf.tensor1d(h.z.subarray(0, h.count), 'int32');
      const correct = tf.mean(tf.cast(tf.equal(tf.argMax(logits, 1), z), 'float32'));
      const lq = tf.mean(tf.sum(tf.mul(tf.logSoftmax(logits), tf.oneHot(z, N)), 1));
      return [correct.dataSync()[0]!, lq.dataSync()[0]!];
    });
    const out: Record<string, number> = { 'disc/heldout_accuracy': acc, 'disc/chance': 1 / N, 'disc/mi_lower_bound': Math.log(N) + logq, 'disc/heldout_states': h.count };
    const stages = this.warmup.stages.length, stage = this.warmup.stageAt(this.envSteps);
    if (stages) out['disc/warmup'] = stage < stages ? stage + 1 : 0;
    return out;
  }

  /** Per-skill motion of the training episodes since the last call (see `SkillMotionLog.metrics`); resets the window. */
  motionMetrics(): Record<string, number> {
    return this.motion.metrics();
  }

  override drain(): Record<string, number> {
    const row = super.drain();
    if (this.discLosses.length) row['loss/discriminator'] = this.discLosses.reduce((a, b) => a + b, 0) / this.discLosses.length;
    this.discLosses = [];
    if (this.diayn.freezePolicyAt !== undefined) row['policy/frozen'] = this.frozen ? 1 : 0;
    return { ...row, ...this.heldOutMetrics(), ...this.motionMetrics() };
  }

  /** The deterministic policy of one skill (default 0) for the harness's evaluation episodes. */
  override evalAct(skill = 0): (input: Float32Array, out: Float32Array) => void {
    const base = super.evalAct(), x = new Float32Array(this.inputDim), z = Int32Array.of(skill);
    return (input, out) => base(this.withSkill(input, z, 1, x), out);
  }

  override getState(): LearnerState {
    const s = super.getState(), arrays = { ...s.arrays };
    this.disc.getWeights().forEach((w, i) => { arrays[this.disc.paramNames[i]!] = w; });
    const opt = this.discOpt.getState();
    opt.m.forEach((m, i) => { arrays[`opt/discriminator/m/${i}`] = m; });
    opt.v.forEach((v, i) => { arrays[`opt/discriminator/v/${i}`] = v; });
    arrays['heldout/x'] = this.held.x.slice(0, this.held.count * this.features.length);
    arrays['heldout/z'] = Float32Array.from(this.held.z.subarray(0, this.held.count));
    const extra = { skillRng: this.skillRng.getState(), noiseRng: this.noiseRng.getState(), discStep: opt.step, episodeIndex: this.episodeIndex, heldSeen: this.held.seen };
    return { arrays, state: { ...s.state, ...extra } };
  }

  override setState(s: LearnerState): void {
    super.setState(s);
    const st = parseState(BaseStateSchema.extend({ skillRng: RngStateSchema, noiseRng: RngStateSchema.optional(), discStep: z.number().int().min(0), episodeIndex: z.number().int().min(0), heldSeen: z.number().int().min(0) }), s.state, 'diayn');
    const need = (k: string) => {
      const a = s.arrays[k];
      if (!a) throw new Error(`checkpoint has no array '${k}'`);
      return a;
    };
    this.disc.setWeights(this.disc.paramNames.map(need));
    this.discOpt.setState({ step: st.discStep, m: this.discOpt.m.map((_, i) => need(`opt/discriminator/m/${i}`)), v: this.discOpt.v.map((_, i) => need(`opt/discriminator/v/${i}`)) });
    const hz = need('heldout/z'), keep = Math.min(hz.length, this.diayn.heldOutSize), F = this.features.length;
    this.held.x.set(need('heldout/x').subarray(0, keep * F));
    this.held.z.set(Int32Array.from(hz.subarray(0, keep)));
    this.held.count = keep;
    this.held.seen = st.heldSeen;
    this.skillRng.setState(st.skillRng);
    if (st.noiseRng) this.noiseRng.setState(st.noiseRng);
    this.episodeIndex = st.episodeIndex;
  }

  override policyExtras(): Partial<PolicyMeta> {
    return { skills: this.numSkills };
  }

  /** Saves the discriminator beside the policy (checkpoint/discriminator/), for the viewer's live posterior and `paddock skills`. */
  async exportFiles(dir: string): Promise<void> {
    const meta: DiscriminatorMeta = { kind: 'diayn-discriminator', task: this.spec.id, skills: this.numSkills, features: [...this.activeFeatures()], hidden: this.diayn.hidden };
    await saveLayersModel(join(dir, 'discriminator'), this.disc, { paddockDiscriminator: meta });
  }
}
