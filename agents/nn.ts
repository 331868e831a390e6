// Small MLPs (optionally an ensemble evaluated as one batched matMul), their seeded initialisation and weight I/O.
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../sim/rng.ts';

export interface MlpSpec {
  inputDim: number;
  hidden: number[];
  outputDim: number;
  /** Number of independent networks evaluated together (2 for SAC's twin critics); 1 = a plain MLP. */
  ensemble: number;
}

/**
 * A variable holding `init`'s values; `init` itself is released (a tensor left undisposed keeps its
 * data alive after the variable is reassigned, and counts in `tf.memory()`).
 */
export function variableOf(init: tf.Tensor, trainable = true): tf.Variable {
  const v = tf.variable(init, trainable);
  init.dispose();
  return v;
}

/** Sets a variable's values from a plain array (in its own shape), leaving no tensor behind. */
export function assignValues(v: tf.Variable, values: ArrayLike<number>): void {
  tf.tidy(() => v.assign(tf.tensor(Float32Array.from(values), v.shape)));
}

/**
 * A ReLU MLP, or an ensemble of `k` independent ones evaluated side by side. `apply` maps
 * x: [B, in] to [B, out] (k = 1) or [k, B, out]. Members are separate 2-D matMuls: tfjs-wasm runs
 * a batched (rank-3) matMul ~30× slower than k plain ones. Initialised as PyTorch's nn.Linear:
 * W, b ~ U(±1/√in), from a seeded Rng. `params` lists W0, b0, W1, b1, … member by member.
 */
export class Mlp {
  readonly params: tf.Variable[] = [];
  /** Stable names of `params` (e.g. `critic/1/W0`) for checkpoints; tfjs's own variable names are made unique per process. */
  readonly paramNames: string[] = [];

  constructor(readonly spec: MlpSpec, rng: Rng, readonly name: string, trainable = true) {
    const sizes = [spec.inputDim, ...spec.hidden, spec.outputDim];
    for (let e = 0; e < spec.ensemble; e++) {
      const prefix = spec.ensemble > 1 ? `${name}/${e}` : name;
      for (let l = 0; l + 1 < sizes.length; l++) {
        const [n, m] = [sizes[l]!, sizes[l + 1]!];
        const bound = 1 / Math.sqrt(n);
        const draw = (count: number) => Float32Array.from({ length: count }, () => rng.range(-bound, bound));
        this.params.push(variableOf(tf.tensor2d(draw(n * m), [n, m]), trainable));
        this.params.push(variableOf(tf.tensor1d(draw(m)), trainable));
        this.paramNames.push(`${prefix}/W${l}`, `${prefix}/b${l}`);
      }
    }
  }

  /** Layers per member. */
  get layers(): number {
    return this.params.length / 2 / this.spec.ensemble;
  }

  /**
   * Forward pass: plain matMul + add + relu per layer. (tfjs-wasm's fused matMul measured ~4× slower
   * than the plain one in the same profile here, and its gradient cannot use the transpose fix.)
   */
  apply(x: tf.Tensor2D): tf.Tensor {
    return this.members((e) => {
      let h: tf.Tensor2D = x;
      for (let l = 0; l < this.layers; l++) {
        const i = 2 * (e * this.layers + l);
        h = tf.add(tf.matMul(h, this.params[i] as tf.Tensor2D), this.params[i + 1]!);
        if (l + 1 < this.layers) h = tf.relu(h);
      }
      return h;
    });
  }

  private members(forward: (member: number) => tf.Tensor2D): tf.Tensor {
    if (this.spec.ensemble === 1) return forward(0);
    return tf.stack(Array.from({ length: this.spec.ensemble }, (_, e) => forward(e)));
  }

  /** Copies of the weights, in `params` order. */
  getWeights(): Float32Array[] {
    return this.params.map((p) => p.dataSync() as Float32Array).map((a) => a.slice());
  }

  setWeights(values: ArrayLike<number>[]): void {
    if (values.length !== this.params.length) throw new Error(`${this.name}: expected ${this.params.length} weight arrays, got ${values.length}`);
    this.params.forEach((p, i) => {
      const v = values[i]!;
      if (v.length !== p.size) throw new Error(`${this.name}: weight ${this.paramNames[i]} needs ${p.size} values, got ${v.length}`);
      assignValues(p, v);
    });
  }

  /** Makes this network's weights equal to `other`'s. */
  copyFrom(other: Mlp): void {
    tf.tidy(() => this.params.forEach((p, i) => p.assign(other.params[i]!)));
  }

  /** Polyak averaging θ ← τ·θ_other + (1 − τ)·θ (SAC's target networks). */
  polyakFrom(other: Mlp, tau: number): void {
    tf.tidy(() => this.params.forEach((p, i) => p.assign(tf.add(tf.mul(other.params[i]!, tau), tf.mul(p, 1 - tau)))));
  }

  dispose(): void {
    for (const p of this.params) p.dispose();
  }
}

/** Adam (Kingma & Ba 2015) over a list of variables, with its state exposed for checkpoints. */
export class Adam {
  step = 0;
  readonly m: tf.Variable[];
  readonly v: tf.Variable[];

  constructor(readonly vars: tf.Variable[], public lr: number, readonly beta1 = 0.9, readonly beta2 = 0.999, readonly eps = 1e-8) {
    this.m = vars.map((p) => variableOf(tf.zerosLike(p), false));
    this.v = vars.map((p) => variableOf(tf.zerosLike(p), false));
  }

  /** One update with gradients in `vars` order (or keyed by variable name, as tf.variableGrads returns). */
  apply(grads: tf.Tensor[] | tf.NamedTensorMap): void {
    this.step++;
    const t = this.step;
    const lrT = (this.lr * Math.sqrt(1 - this.beta2 ** t)) / (1 - this.beta1 ** t);
    tf.tidy(() => {
      this.vars.forEach((p, i) => {
        const g = Array.isArray(grads) ? grads[i]! : grads[p.name]!;
        const m = tf.add(tf.mul(this.m[i]!, this.beta1), tf.mul(g, 1 - this.beta1));
        const v = tf.add(tf.mul(this.v[i]!, this.beta2), tf.mul(tf.square(g), 1 - this.beta2));
        this.m[i]!.assign(m);
        this.v[i]!.assign(v);
        p.assign(tf.sub(p, tf.mul(tf.div(m, tf.add(tf.sqrt(v), this.eps)), lrT)));
      });
    });
  }

  getState(): { step: number; m: Float32Array[]; v: Float32Array[] } {
    const copy = (xs: tf.Variable[]) => xs.map((x) => (x.dataSync() as Float32Array).slice());
    return { step: this.step, m: copy(this.m), v: copy(this.v) };
  }

  setState(s: { step: number; m: ArrayLike<number>[]; v: ArrayLike<number>[] }): void {
    if (s.m.length !== this.m.length || s.v.length !== this.v.length) throw new Error('optimizer state does not match the network');
    this.step = s.step;
    this.m.forEach((x, i) => assignValues(x, s.m[i]!));
    this.v.forEach((x, i) => assignValues(x, s.v[i]!));
  }

  dispose(): void {
    for (const x of [...this.m, ...this.v]) x.dispose();
  }
}
