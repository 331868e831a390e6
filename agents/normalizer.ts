// Running observation normalisation (mean and variance merged batch by batch, Chan et al.), checkpointable.

/** Per-feature running mean and variance; `normalize` maps x to clip((x − μ)/√(σ² + ε), ±clip). */
export class RunningNormalizer {
  readonly mean: Float64Array;
  readonly var: Float64Array;
  count = 0;

  constructor(readonly dim: number, readonly clip = 10, readonly eps = 1e-8) {
    this.mean = new Float64Array(dim);
    this.var = new Float64Array(dim).fill(1);
  }

  /** Merges `n` rows of `x` (row-major [n, dim]) into the statistics. */
  update(x: ArrayLike<number>, n: number): void {
    if (n === 0) return;
    const d = this.dim;
    for (let j = 0; j < d; j++) {
      let m = 0;
      for (let i = 0; i < n; i++) m += x[i * d + j]!;
      m /= n;
      let v = 0;
      for (let i = 0; i < n; i++) v += (x[i * d + j]! - m) ** 2;
      v /= n;
      const total = this.count + n;
      const delta = m - this.mean[j]!;
      const m2 = this.var[j]! * this.count + v * n + (delta * delta * this.count * n) / total;
      this.mean[j] = this.mean[j]! + (delta * n) / total;
      this.var[j] = m2 / total;
    }
    this.count += n;
  }

  /** Writes normalised copies of `n` rows of `x` into `out` (may alias `x`). */
  normalize(x: ArrayLike<number>, out: Float32Array, n: number): Float32Array {
    const d = this.dim;
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < d; j++) {
        const z = (x[i * d + j]! - this.mean[j]!) / Math.sqrt(this.var[j]! + this.eps);
        out[i * d + j] = Math.max(-this.clip, Math.min(this.clip, z));
      }
    }
    return out;
  }

  getState(): { count: number; mean: number[]; var: number[] } {
    return { count: this.count, mean: [...this.mean], var: [...this.var] };
  }

  setState(s: { count: number; mean: number[]; var: number[] }): void {
    if (s.mean.length !== this.dim || s.var.length !== this.dim) throw new Error(`normalizer state has ${s.mean.length} features, expected ${this.dim}`);
    this.count = s.count;
    this.mean.set(s.mean);
    this.var.set(s.var);
  }
}
