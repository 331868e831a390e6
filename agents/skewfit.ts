// Self-proposed goals (RIG / Skew-Fit): a density model over achieved goals, and proposals weighted by p(g)^α.
import { z } from 'zod';
import { Rng } from '../sim/rng.ts';

export const SkewFitConfigSchema = z.object({
  /** Skew exponent α ∈ [−1, 0]: proposal weight ∝ p(g)^α (Skew-Fit, Pong et al. 2020); 0 = follow the achieved goals (RIG-style). */
  alpha: z.number().min(-1).max(0).default(-1),
  /** Achieved goals kept (a uniform reservoir sample of everything seen). */
  reservoir: z.number().int().min(10).max(1_000_000).default(5000),
  /** Kernel centres of the density estimate (drawn from the reservoir at each refit). */
  kernels: z.number().int().min(1).max(100_000).default(500),
  /** Refit the density every this many achieved goals added (sooner while the data is still doubling). */
  refitEvery: z.number().int().positive().default(1000),
  /** Gaussian kernel bandwidth per goal dimension (goal units); default Scott's rule, at least `minBandwidth`. */
  bandwidth: z.array(z.number().positive()).optional(),
  minBandwidth: z.number().positive().default(0.01),
  /** Box the proposals are clipped to and the entropy / coverage histograms span, with bins per dimension. */
  histogram: z.object({ low: z.array(z.number()), high: z.array(z.number()), bins: z.number().int().min(2).max(64) }).optional(),
}).strict();
export type SkewFitConfig = z.output<typeof SkewFitConfigSchema>;

/** Skew-Fit weights: w_j ∝ p_j^α, normalised to sum 1 (α ≤ 0 favours rare goals). */
export function skewWeights(density: ArrayLike<number>, alpha: number, out = new Float64Array(density.length)): Float64Array {
  let sum = 0;
  for (let j = 0; j < density.length; j++) {
    out[j] = Math.max(density[j]!, 1e-300) ** alpha;
    sum += out[j]!;
  }
  for (let j = 0; j < density.length; j++) out[j] = out[j]! / sum;
  return out;
}

/** Shannon entropy (nats) of counts. */
export function histogramEntropy(counts: ArrayLike<number>): number {
  let total = 0, h = 0;
  for (let i = 0; i < counts.length; i++) total += counts[i]!;
  for (let i = 0; i < counts.length; i++) if (counts[i]! > 0) h -= (counts[i]! / total) * Math.log(counts[i]! / total);
  return h;
}

/** A Gaussian kernel density over achieved goals, and goal proposals from its Skew-Fit re-weighting. */
export class SkewFitProposer {
  readonly goals: Float32Array;
  private count = 0;
  private seen = 0;
  private sinceFit = Number.POSITIVE_INFINITY;
  /** Reservoir size at the last refit: early on the model is refitted whenever the data has doubled. */
  private fitCount = 0;
  private cdf = new Float64Array(0);
  private readonly h: Float64Array;
  private readonly rng: Rng;
  readonly proposedCounts: Float64Array;
  readonly achievedCounts: Float64Array;

  constructor(readonly goalDim: number, readonly config: SkewFitConfig, seed: number) {
    this.goals = new Float32Array(config.reservoir * goalDim);
    this.h = new Float64Array(goalDim).fill(config.minBandwidth);
    this.rng = new Rng(seed);
    const cells = config.histogram ? config.histogram.bins ** goalDim : 1;
    this.proposedCounts = new Float64Array(cells);
    this.achievedCounts = new Float64Array(cells);
  }

  /** Adds `n` achieved goals (rows of `goals`) to the reservoir and the coverage histogram. */
  add(goals: ArrayLike<number>, n: number, offset = 0): void {
    const d = this.goalDim;
    for (let i = 0; i < n; i++) {
      const row = offset + i * d;
      this.count_(goals, row, this.achievedCounts);
      this.seen++;
      const slot = this.count < this.config.reservoir ? this.count++ : this.rng.int(this.seen);
      if (slot < this.config.reservoir) for (let k = 0; k < d; k++) this.goals[slot * d + k] = goals[row + k]!;
    }
    this.sinceFit += n;
  }

  /** Density of every reservoir goal under the kernel estimate (kernels drawn from the reservoir). */
  density(): Float64Array {
    const d = this.goalDim, M = this.count, K = Math.min(this.config.kernels, M);
    this.bandwidth();
    const centres = Array.from({ length: K }, () => this.rng.int(M));
    const p = new Float64Array(M);
    let norm = 1;
    for (let k = 0; k < d; k++) norm *= this.h[k]! * Math.sqrt(2 * Math.PI);
    for (let j = 0; j < M; j++) {
      let s = 0;
      for (const c of centres) {
        let e = 0;
        for (let k = 0; k < d; k++) e += ((this.goals[j * d + k]! - this.goals[c * d + k]!) / this.h[k]!) ** 2;
        s += Math.exp(-0.5 * e);
      }
      p[j] = s / (K * norm);
    }
    return p;
  }

  /** Scott's rule per dimension (σ · M^(−1/(d+4))), or the configured bandwidth. */
  private bandwidth(): void {
    const d = this.goalDim, M = this.count;
    for (let k = 0; k < d; k++) {
      if (this.config.bandwidth) {
        this.h[k] = this.config.bandwidth[k] ?? this.config.bandwidth[0]!;
        continue;
      }
      let m = 0, v = 0;
      for (let j = 0; j < M; j++) m += this.goals[j * d + k]!;
      m /= M;
      for (let j = 0; j < M; j++) v += (this.goals[j * d + k]! - m) ** 2;
      this.h[k] = Math.max(this.config.minBandwidth, Math.sqrt(v / M) * M ** (-1 / (d + 4)));
    }
  }

  private refit(): void {
    const w = skewWeights(this.density(), this.config.alpha);
    this.cdf = new Float64Array(w.length);
    let acc = 0;
    for (let j = 0; j < w.length; j++) this.cdf[j] = acc += w[j]!;
    this.sinceFit = 0;
    this.fitCount = this.count;
  }

  /** Writes a proposed goal into `out`: a reservoir goal drawn with Skew-Fit weights, jittered by the kernel. */
  propose(out: Float32Array): Float32Array {
    if (this.count === 0) throw new Error('skew-fit: no achieved goal seen yet');
    if (this.sinceFit >= Math.min(this.config.refitEvery, Math.max(1, this.fitCount)) || this.cdf.length === 0) this.refit();
    const u = this.rng.uniform() * this.cdf[this.cdf.length - 1]!;
    let lo = 0, hi = this.cdf.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.cdf[mid]! < u) lo = mid + 1;
      else hi = mid;
    }
    const box = this.config.histogram;
    for (let k = 0; k < this.goalDim; k++) {
      const g = this.goals[lo * this.goalDim + k]! + this.h[k]! * this.rng.normal();
      out[k] = box ? Math.min(box.high[k]!, Math.max(box.low[k]!, g)) : g;
    }
    this.count_(out, 0, this.proposedCounts);
    return out;
  }

  /** Counts a goal in a histogram (when one is configured). */
  private count_(g: ArrayLike<number>, row: number, counts: Float64Array): void {
    const box = this.config.histogram;
    if (!box) return;
    let cell = 0;
    for (let k = 0; k < this.goalDim; k++) {
      const f = (g[row + k]! - box.low[k]!) / (box.high[k]! - box.low[k]!);
      if (f < 0 || f >= 1) return;
      cell = cell * box.bins + Math.floor(f * box.bins);
    }
    counts[cell]! += 1;
  }

  /** Entropy of the proposals and of the achieved goals over the histogram, and the achieved bins filled; counts reset after. */
  drainMetrics(): Record<string, number> {
    if (!this.config.histogram) return {};
    const out = {
      'goals/proposed_entropy': histogramEntropy(this.proposedCounts),
      'goals/achieved_entropy': histogramEntropy(this.achievedCounts),
      'goals/achieved_bins': this.achievedCounts.reduce((n, c) => n + (c > 0 ? 1 : 0), 0),
    };
    this.proposedCounts.fill(0);
    return out;
  }

  getState(): { goals: Float32Array; count: number; seen: number; rng: number[]; achieved: number[] } {
    return { goals: this.goals.slice(0, this.count * this.goalDim), count: this.count, seen: this.seen, rng: this.rng.getState(), achieved: [...this.achievedCounts] };
  }

  setState(s: { goals: Float32Array; count: number; seen: number; rng: number[]; achieved: number[] }): void {
    this.goals.set(s.goals);
    this.count = s.count;
    this.seen = s.seen;
    this.rng.setState(s.rng);
    this.achievedCounts.set(s.achieved);
    this.sinceFit = Number.POSITIVE_INFINITY;
  }
}
