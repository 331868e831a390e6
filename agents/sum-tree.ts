// A Fenwick (binary indexed) tree of non-negative weights: O(log n) updates and proportional draws.

/** Weights w[0 … n−1] ≥ 0 with their running total; `find(u)` maps u ∈ [0, total) to an index drawn ∝ w. */
export class SumTree {
  private readonly tree: Float64Array;
  private readonly values: Float64Array;
  private readonly top: number;

  constructor(readonly size: number) {
    this.tree = new Float64Array(size + 1);
    this.values = new Float64Array(size);
    let top = 1;
    while (top * 2 <= size) top *= 2;
    this.top = top;
  }

  /** Sets w[i] = value (≥ 0). */
  set(i: number, value: number): void {
    if (!(value >= 0)) throw new Error(`sum tree: weight ${value} at ${i} must be a number ≥ 0`);
    const delta = value - this.values[i]!;
    this.values[i] = value;
    for (let j = i + 1; j <= this.size; j += j & -j) this.tree[j]! += delta;
  }

  /** Σ w. */
  total(): number {
    let s = 0;
    for (let j = this.size; j > 0; j -= j & -j) s += this.tree[j]!;
    return s;
  }

  /** The index i with Σ_{k<i} w_k ≤ u < Σ_{k≤i} w_k, skipping zero weights that rounding lands on. */
  find(u: number): number {
    let pos = 0;
    for (let step = this.top; step > 0; step >>= 1) {
      const next = pos + step;
      if (next <= this.size && this.tree[next]! <= u) {
        u -= this.tree[next]!;
        pos = next;
      }
    }
    let i = Math.min(pos, this.size - 1);
    while (i > 0 && this.values[i] === 0) i--;
    while (i < this.size - 1 && this.values[i] === 0) i++;
    return i;
  }
}
