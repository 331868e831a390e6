// Soft Actor-Critic (Haarnoja et al. 2018, "SAC Algorithms and Applications", arXiv:1812.05905), top to bottom.
import * as tf from '@tensorflow/tfjs';
import { z } from 'zod';
import { Rng } from '../sim/rng.ts';
import { Adam, Mlp, assignValues, variableOf } from './nn.ts';
import { RngStateSchema } from './checkpoint.ts';

// ---------------------------------------------------------------------------------------------
// Hyperparameters: Stable-Baselines3's SAC defaults unless noted.
// ---------------------------------------------------------------------------------------------
export const SacConfigSchema = z.object({
  /** Hidden layer sizes of the actor and of each critic. */
  hidden: z.array(z.number().int().min(1).max(4096)).min(1).max(8).default([256, 256]),
  /** Adam learning rate of actor, critics and temperature. */
  lr: z.number().positive().max(1).default(3e-4),
  /** Adam learning rate of the twin critics when it should differ from `lr` (CleanRL's q_lr is 1e-3). Paddock addition; unset = `lr`. */
  criticLr: z.number().positive().max(1).optional(),
  /** Discount factor γ. */
  gamma: z.number().min(0).max(1).default(0.99),
  /** Polyak coefficient τ of the target critics. */
  tau: z.number().positive().max(1).default(0.005),
  /** Transitions per gradient step. */
  batchSize: z.number().int().min(1).max(65536).default(256),
  /** Replay capacity in transitions. */
  bufferSize: z.number().int().min(1).max(50_000_000).default(1_000_000),
  /** Env steps (summed over envs) of uniformly random actions before learning starts. */
  learningStarts: z.number().int().min(0).default(100),
  /** Gradient steps per env step (update-to-data ratio); fractional values update every 1/utd steps. */
  utd: z.number().positive().max(64).default(1),
  /** Temperature α: 'auto' learns it toward `targetEntropy` (SAC v2); a number fixes it. */
  alpha: z.union([z.literal('auto'), z.number().min(0)]).default('auto'),
  /** Initial α when learned. */
  initAlpha: z.number().positive().default(1),
  /** Target entropy H̄ for learned α; 'auto' = −|A|. */
  targetEntropy: z.union([z.literal('auto'), z.number()]).default('auto'),
  /** Clamp of the policy's log standard deviation (SB3: [−20, 2]). */
  logStdMin: z.number().default(-20),
  logStdMax: z.number().default(2),
  /** Normalise observations with running mean/std (statistics checkpointed). Paddock addition; off in SB3. */
  normalizeObs: z.boolean().default(false),
  /**
   * ε of the normalisation x ↦ (x − μ)/√(σ² + ε). A feature that never varies in the collected
   * data (arm-push's goal height) is otherwise divided by √ε, so a millimetre of difference in a
   * relabelled goal becomes ±10. HER's normaliser floors σ at 0.01, i.e. ε = 1e-4.
   */
  normalizeEps: z.number().positive().max(1).default(1e-8),
  /**
   * Probability that an env's exploration action is replaced by a uniform random one after
   * learningStarts (the ε of HER's exploration, Andrychowicz et al. 2017, 0.3 there). Paddock
   * addition; 0 = plain SAC.
   */
  randomEps: z.number().min(0).max(1).default(0),
  /**
   * Weight of HER's action penalty on the actor: λ·mean(tanh(μ(s))²) over batch and action
   * dimensions, the policy's mean action in [−1, 1] (Andrychowicz et al. 2017, App. A, λ = 1 there).
   * Keeps a policy off saturated actions while its critic is still flat. Paddock addition; 0 = plain SAC.
   */
  actionL2: z.number().min(0).default(0),
}).strict();
export type SacConfig = z.output<typeof SacConfigSchema>;

/** Validates SAC hyperparameters; errors name the field. */
export function parseSacConfig(input: unknown): SacConfig {
  const r = SacConfigSchema.safeParse(input ?? {});
  if (!r.success) {
    const issue = r.error.issues[0]!;
    throw new Error(`sac config.${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  return r.data;
}

// ---------------------------------------------------------------------------------------------
// Losses: small pure functions on tensors.
// ---------------------------------------------------------------------------------------------
const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);

/**
 * Tanh-squashed Gaussian sample (reparameterised, Eq. 8) and its log-likelihood with the change
 * of variables of App. C (Eq. 26): log π(a|s) = Σ log N(u; μ, σ) − Σ log(1 − tanh²u), with
 * log(1 − tanh²u) = 2(log 2 − u − softplus(−2u)) for numerical stability. Shapes [B, A] → a: [B, A], logp: [B, 1].
 */
export function squashedGaussian(mean: tf.Tensor2D, logStd: tf.Tensor2D, eps: tf.Tensor2D): { action: tf.Tensor2D; logp: tf.Tensor2D } {
  const u = tf.add(mean, tf.mul(tf.exp(logStd), eps));
  const gaussian = tf.sub(tf.neg(tf.add(tf.mul(tf.square(eps), 0.5), logStd)), HALF_LOG_2PI);
  const logDet = tf.mul(tf.sub(tf.sub(Math.log(2), u), tf.softplus(tf.mul(u, -2))), 2);
  const logp = tf.sum(tf.sub(gaussian, logDet), 1, true) as tf.Tensor2D;
  return { action: tf.tanh(u) as tf.Tensor2D, logp };
}

/**
 * Soft Bellman target (Eqs. 3 and 5): y = r + γ(1 − d)(min_i Q̄_i(s', a') − α log π(a'|s')), a' ~ π(·|s').
 * `qNext` is the target ensemble's output [2, B, 1]; the twin minimum is taken here (clipped double Q).
 */
export function criticTarget(reward: tf.Tensor2D, terminated: tf.Tensor2D, qNext: tf.Tensor, logpNext: tf.Tensor2D, alpha: number, gamma: number): tf.Tensor2D {
  const soft = tf.sub(tf.min(qNext, 0), tf.mul(logpNext, alpha));
  return tf.add(reward, tf.mul(tf.mul(tf.sub(1, terminated), gamma), soft)) as tf.Tensor2D;
}

/** Soft Q loss J_Q (Eq. 5), summed over the twin critics: Σ_i ½·mean((Q_i(s, a) − y)²). `q`: [2, B, 1]. */
export function criticLoss(q: tf.Tensor, target: tf.Tensor2D): tf.Scalar {
  return tf.mul(tf.sum(tf.mean(tf.square(tf.sub(q, target)), [1, 2])), 0.5) as tf.Scalar;
}

/** Policy loss J_π (Eq. 7): mean(α log π(ã|s) − min_i Q_i(s, ã)), ã reparameterised. `q`: [2, B, 1]. */
export function actorLoss(logp: tf.Tensor2D, q: tf.Tensor, alpha: number): tf.Scalar {
  return tf.mean(tf.sub(tf.mul(logp, alpha), tf.min(q, 0))) as tf.Scalar;
}

/** HER's action penalty (App. A of Andrychowicz et al. 2017): λ·mean(a²) over all entries of `meanAction` [B, A]. */
export function actionPenalty(meanAction: tf.Tensor2D, weight: number): tf.Scalar {
  return tf.mul(tf.mean(tf.square(meanAction)), weight) as tf.Scalar;
}

/** Temperature loss J(α) (Eq. 18), on log α: −mean(log α · (log π(ã|s) + H̄)), log π held fixed. */
export function alphaLoss(logAlpha: tf.Tensor, logp: tf.Tensor2D, targetEntropy: number): tf.Scalar {
  return tf.neg(tf.mean(tf.mul(logAlpha, tf.add(logp, targetEntropy)))) as tf.Scalar;
}

// ---------------------------------------------------------------------------------------------
// The agent.
// ---------------------------------------------------------------------------------------------

/** A sampled minibatch, row-major Float32Arrays (see agents/replay.ts). */
export interface TransitionBatch {
  size: number;
  obs: Float32Array;
  action: Float32Array;
  reward: Float32Array;
  nextObs: Float32Array;
  terminated: Float32Array;
}

/** Counters and generator state of a SAC agent (its arrays are stored beside it). */
export const SacStateSchema = z.object({
  updates: z.number().int().min(0),
  rng: RngStateSchema,
  optSteps: z.record(z.string(), z.number().int().min(0)),
});
export type SacState = z.output<typeof SacStateSchema>;

/** Scalars reported by one gradient step. */
export interface SacStats {
  criticLoss: number;
  actorLoss: number;
  alphaLoss: number;
  alpha: number;
  entropy: number;
  q: number;
}

export class Sac {
  readonly actor: Mlp;
  readonly critic: Mlp;
  readonly criticTarget: Mlp;
  readonly logAlpha: tf.Variable;
  readonly actorOpt: Adam;
  readonly criticOpt: Adam;
  readonly alphaOpt: Adam;
  readonly targetEntropy: number;
  /** Gradient steps taken. */
  updates = 0;
  /** Source of the seeds of every Gaussian draw (policy noise), checkpointed. */
  readonly rng: Rng;

  constructor(readonly obsDim: number, readonly actDim: number, readonly config: SacConfig, seed: number) {
    const init = new Rng(seed);
    this.rng = new Rng(seed + 0x5ac);
    const h = config.hidden;
    this.actor = new Mlp({ inputDim: obsDim, hidden: h, outputDim: 2 * actDim, ensemble: 1 }, init, 'actor');
    this.critic = new Mlp({ inputDim: obsDim + actDim, hidden: h, outputDim: 1, ensemble: 2 }, init, 'critic');
    this.criticTarget = new Mlp(this.critic.spec, init, 'critic_target', false);
    this.criticTarget.copyFrom(this.critic);
    const a0 = config.alpha === 'auto' ? config.initAlpha : Math.max(config.alpha, 1e-12);
    this.logAlpha = variableOf(tf.scalar(Math.log(a0)), config.alpha === 'auto');
    this.targetEntropy = config.targetEntropy === 'auto' ? -actDim : config.targetEntropy;
    this.actorOpt = new Adam(this.actor.params, config.lr);
    this.criticOpt = new Adam(this.critic.params, config.criticLr ?? config.lr);
    this.alphaOpt = new Adam([this.logAlpha], config.lr);
  }

  /** Current temperature α. */
  get alpha(): number {
    return this.config.alpha === 'auto' ? Math.exp(this.logAlpha.dataSync()[0]!) : this.config.alpha;
  }

  /** Policy head: mean and clamped log-std, each [B, A]. */
  private policy(obs: tf.Tensor2D): { mean: tf.Tensor2D; logStd: tf.Tensor2D } {
    const out = this.actor.apply(obs) as tf.Tensor2D;
    const [mean, rawLogStd] = tf.split(out, 2, 1) as [tf.Tensor2D, tf.Tensor2D];
    return { mean, logStd: tf.clipByValue(rawLogStd, this.config.logStdMin, this.config.logStdMax) };
  }

  private noise(rows: number): tf.Tensor2D {
    return tf.randomNormal([rows, this.actDim], 0, 1, 'float32', this.rng.nextU32()) as tf.Tensor2D;
  }

  private sample(obs: tf.Tensor2D): { action: tf.Tensor2D; logp: tf.Tensor2D; mean: tf.Tensor2D } {
    const { mean, logStd } = this.policy(obs);
    return { ...squashedGaussian(mean, logStd, this.noise(obs.shape[0])), mean };
  }

  /** Actions in [−1, 1] for `n` rows of `obs` (row-major [n, obsDim]) into `out` ([n, actDim]). */
  act(obs: Float32Array, out: Float32Array, n: number, deterministic: boolean): void {
    const a = tf.tidy(() => {
      const x = tf.tensor2d(obs.subarray(0, n * this.obsDim), [n, this.obsDim]);
      if (deterministic) return tf.tanh(this.policy(x).mean);
      return this.sample(x).action;
    });
    out.set(a.dataSync() as Float32Array);
    a.dispose();
  }

  /** One gradient step of critics, actor and temperature, then the target update (Algorithm 1). */
  update(b: TransitionBatch): SacStats {
    const stats = tf.tidy(() => {
      const B = b.size, od = this.obsDim, ad = this.actDim;
      const obs = tf.tensor2d(b.obs.subarray(0, B * od), [B, od]);
      const next = tf.tensor2d(b.nextObs.subarray(0, B * od), [B, od]);
      const act = tf.tensor2d(b.action.subarray(0, B * ad), [B, ad]);
      const rew = tf.tensor2d(b.reward.subarray(0, B), [B, 1]);
      const done = tf.tensor2d(b.terminated.subarray(0, B), [B, 1]);
      const alpha = this.alpha;

      const y = tf.tidy(() => {
        const s = this.sample(next);
        return criticTarget(rew, done, this.criticTarget.apply(tf.concat([next, s.action], 1)), s.logp, alpha, this.config.gamma);
      });
      let qMean!: tf.Tensor;
      const c = tf.variableGrads(() => {
        const q = this.critic.apply(tf.concat([obs, act], 1));
        qMean = tf.keep(tf.mean(q));
        return criticLoss(q, y);
      }, this.critic.params);
      this.criticOpt.apply(c.grads);

      let logp!: tf.Tensor2D;
      const a = tf.variableGrads(() => {
        const s = this.sample(obs);
        logp = tf.keep(s.logp);
        const loss = actorLoss(s.logp, this.critic.apply(tf.concat([obs, s.action], 1)), alpha);
        const l2 = this.config.actionL2;
        return l2 > 0 ? tf.add(loss, actionPenalty(tf.tanh(s.mean), l2)) as tf.Scalar : loss;
      }, this.actor.params);
      this.actorOpt.apply(a.grads);

      let aLoss: tf.Scalar = tf.scalar(0);
      if (this.config.alpha === 'auto') {
        const g = tf.variableGrads(() => alphaLoss(this.logAlpha, logp, this.targetEntropy), [this.logAlpha]);
        this.alphaOpt.apply(g.grads);
        aLoss = g.value;
      }
      this.criticTarget.polyakFrom(this.critic, this.config.tau);
      const out = tf.stack([c.value, a.value, aLoss, tf.neg(tf.mean(logp)), qMean]).dataSync();
      logp.dispose();
      qMean.dispose();
      return out;
    });
    this.updates++;
    return { criticLoss: stats[0]!, actorLoss: stats[1]!, alphaLoss: stats[2]!, alpha: this.alpha, entropy: stats[3]!, q: stats[4]! };
  }

  /** Everything needed to resume exactly: networks, targets, optimiser moments, log α, counters, RNG. */
  getState(): { arrays: Record<string, Float32Array>; state: SacState } {
    const arrays: Record<string, Float32Array> = {};
    for (const net of [this.actor, this.critic, this.criticTarget]) net.getWeights().forEach((w, i) => { arrays[net.paramNames[i]!] = w; });
    arrays.log_alpha = (this.logAlpha.dataSync() as Float32Array).slice();
    const optSteps: Record<string, number> = {};
    for (const [name, opt] of this.optimizers()) {
      const st = opt.getState();
      optSteps[name] = st.step;
      st.m.forEach((m, i) => { arrays[`opt/${name}/m/${i}`] = m; });
      st.v.forEach((v, i) => { arrays[`opt/${name}/v/${i}`] = v; });
    }
    return { arrays, state: { updates: this.updates, rng: this.rng.getState(), optSteps } };
  }

  setState(arrays: Record<string, Float32Array>, state: SacState): void {
    const need = (name: string) => {
      const a = arrays[name];
      if (!a) throw new Error(`checkpoint has no array '${name}' (was it written for a different network size?)`);
      return a;
    };
    for (const net of [this.actor, this.critic, this.criticTarget]) net.setWeights(net.paramNames.map((name) => need(name)));
    assignValues(this.logAlpha, [need('log_alpha')[0]!]);
    for (const [name, opt] of this.optimizers()) {
      const m = opt.m.map((_, i) => need(`opt/${name}/m/${i}`));
      const v = opt.v.map((_, i) => need(`opt/${name}/v/${i}`));
      opt.setState({ step: state.optSteps[name] ?? 0, m, v });
    }
    this.updates = state.updates;
    this.rng.setState(state.rng);
  }

  private optimizers(): [string, Adam][] {
    return [['actor', this.actorOpt], ['critic', this.criticOpt], ['alpha', this.alphaOpt]];
  }

  dispose(): void {
    for (const x of [this.actor, this.critic, this.criticTarget, this.actorOpt, this.criticOpt, this.alphaOpt]) x.dispose();
    this.logAlpha.dispose();
  }
}
