// Rewards as named, weighted terms: each term's weighted value is reported and the reward is their sum.

export interface RewardTerm {
  name: string;
  /** Multiplies the raw value; the reported term is `weight × raw`. */
  weight: number;
  description: string;
}

/**
 * Accumulates weighted terms for one step without allocating: `set` each raw value, then `total`.
 * `values` holds the weighted terms in declaration order.
 */
export class RewardTerms {
  readonly values: Float64Array;
  private readonly index: Map<string, number>;

  constructor(readonly terms: RewardTerm[]) {
    this.values = new Float64Array(terms.length);
    this.index = new Map(terms.map((t, i) => [t.name, i]));
  }

  /** Records the raw value of term `name` (weighted on storage). */
  set(name: string, raw: number): void {
    const i = this.index.get(name);
    if (i === undefined) throw new Error(`unknown reward term '${name}'`);
    this.values[i] = this.terms[i]!.weight * raw;
  }

  total(): number {
    let s = 0;
    for (let i = 0; i < this.values.length; i++) s += this.values[i]!;
    return s;
  }

  /** The weighted terms as a record (for info and logs). */
  record(out: Record<string, number> = {}): Record<string, number> {
    this.terms.forEach((t, i) => { out[t.name] = this.values[i]!; });
    return out;
  }
}
