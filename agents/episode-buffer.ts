// Episodic replay for goal tasks: one Float32Array of episode slots with a declared row layout, and hindsight relabelling.
import { z } from 'zod';
import { Rng } from '../sim/rng.ts';
import { RngStateSchema } from './checkpoint.ts';
import { RowStore, type RowLayout } from './row-store.ts';
import { SumTree } from './sum-tree.ts';

/** A goal-task transition: observation, its achieved goal, the desired goal, action, next observation and achieved goal. */
export function goalTransitionLayout(obsDim: number, goalDim: number, actDim: number): RowLayout {
  return [
    { name: 'obs', size: obsDim },
    { name: 'ag', size: goalDim },
    { name: 'dg', size: goalDim },
    { name: 'action', size: actDim },
    { name: 'nextObs', size: obsDim },
    { name: 'nextAg', size: goalDim },
    { name: 'terminated', size: 1 },
  ];
}

export type RelabelStrategy = 'future' | 'final' | 'episode';

/**
 * How episodes are drawn: `uniform`, or `goal-path`: ∝ floor + the path length of the achieved goal
 * over the episode, Σ_t ‖ag_{t+1} − ag_t‖ (goal units), a task-agnostic stand-in for the
 * trajectory energy of energy-based prioritisation (Zhao & Tresp 2018). Episodes that moved the
 * achieved goal (pushed the cube) are then drawn more often than those that left it in place.
 */
export interface EpisodePriority {
  kind: 'uniform' | 'goal-path';
  floor: number;
}

const HeaderSchema = z.object({
  format: z.literal('paddock-episodes-v1'),
  layout: z.array(z.object({ name: z.string(), size: z.number().int().positive() })),
  slots: z.number().int().positive(),
  slotLength: z.number().int().positive(),
  lengths: z.array(z.number().int().min(0)),
  nextSlot: z.number().int().min(0),
  rng: RngStateSchema,
});

/**
 * `slots` episode slots of `slotLength` rows each. Every env writes into its own open slot; a
 * slot becomes sampleable when its episode ends (`close`). Old slots are reused in ring order.
 */
export class EpisodeBuffer {
  readonly store: RowStore;
  /** Length of each completed episode (0 = empty or still being written). */
  readonly lengths: Int32Array;
  private readonly open = new Set<number>();
  private nextSlot = 0;
  private filled = 0;
  private stored = 0;
  readonly rng: Rng;
  /** Episode weights when prioritised (null = uniform over completed episodes). */
  private readonly weights: SumTree | null;

  constructor(readonly layout: RowLayout, readonly slots: number, readonly slotLength: number, seed: number, readonly priority: EpisodePriority = { kind: 'uniform', floor: 0 }) {
    this.store = new RowStore(layout, slots * slotLength);
    this.lengths = new Int32Array(slots);
    this.rng = new Rng(seed);
    this.weights = priority.kind === 'goal-path' ? new SumTree(slots) : null;
  }

  /** Path length of the achieved goal over the episode in `slot` (goal units). */
  goalPath(slot: number): number {
    const gd = this.layout.find((f) => f.name === 'ag')!.size;
    let path = 0;
    for (let t = 0; t < this.lengths[slot]!; t++) {
      const row = slot * this.slotLength + t, a = this.store.field(row, 'ag', gd), b = this.store.field(row, 'nextAg', gd);
      let d = 0;
      for (let k = 0; k < gd; k++) d += (b[k]! - a[k]!) ** 2;
      path += Math.sqrt(d);
    }
    return path;
  }

  private weigh(slot: number): void {
    this.weights?.set(slot, this.lengths[slot]! > 0 ? this.priority.floor + this.goalPath(slot) : 0);
  }

  /** Completed transitions stored. */
  get size(): number {
    return this.stored;
  }

  /** Reserves the next slot for a new episode (skipping slots other envs are writing). */
  openSlot(): number {
    let s = this.nextSlot;
    while (this.open.has(s)) s = (s + 1) % this.slots;
    this.nextSlot = (s + 1) % this.slots;
    this.filled = Math.max(this.filled, s + 1);
    this.stored -= this.lengths[s]!;
    this.lengths[s] = 0;
    this.weigh(s);
    this.open.add(s);
    return s;
  }

  /** Writes step `t` of the episode in `slot` from row `row` of the field arrays. */
  write(slot: number, t: number, fields: Record<string, ArrayLike<number>>, row: number): void {
    if (t >= this.slotLength) throw new Error(`episode buffer: episode longer than ${this.slotLength} steps`);
    this.store.write(slot * this.slotLength + t, fields, row);
  }

  /** Marks the episode in `slot` complete with `length` steps. */
  close(slot: number, length: number): void {
    this.open.delete(slot);
    this.lengths[slot] = length;
    this.stored += length;
    this.weigh(slot);
  }

  /** A completed slot, drawn uniformly or by priority (then a step uniformly within it). */
  private pickSlot(): number {
    if (this.weights) {
      const total = this.weights.total();
      if (total > 0) return this.weights.find(this.rng.uniform() * total);
    }
    for (let tries = 0; tries < 10_000; tries++) {
      const s = this.rng.int(this.filled);
      if (this.lengths[s]! > 0) return s;
    }
    throw new Error('episode buffer: no completed episode to sample');
  }

  /**
   * Samples `n` transitions; with probability `relabel` each one's desired goal is replaced by an
   * achieved goal of the same episode (HER, Andrychowicz et al. 2017): `future` = the next
   * achieved goal at a uniformly drawn step t' ∈ [t, T), `final` = at T − 1, `episode` = any t'.
   * Writes rows into `out` (fields of the layout; `dg` holds the goal used).
   */
  sample(n: number, relabel: number, strategy: RelabelStrategy, out: Record<string, Float32Array>): void {
    const gd = this.layout.find((f) => f.name === 'dg')!.size;
    for (let i = 0; i < n; i++) {
      const s = this.pickSlot(), T = this.lengths[s]!, t = this.rng.int(T);
      this.store.copyRow(s * this.slotLength + t, i, out);
      if (this.rng.uniform() >= relabel) continue;
      const tg = strategy === 'final' ? T - 1 : strategy === 'future' ? t + this.rng.int(T - t) : this.rng.int(T);
      out.dg!.set(this.store.field(s * this.slotLength + tg, 'nextAg', gd), i * gd);
    }
  }

  allocateBatch(n: number): Record<string, Float32Array> {
    return this.store.allocateBatch(n);
  }

  /** Writes the completed episodes: a JSON header line, then the slot rows as raw float32. */
  save(path: string): void {
    const header = { format: 'paddock-episodes-v1', layout: this.layout, slots: this.slots, slotLength: this.slotLength, lengths: [...this.lengths], nextSlot: this.nextSlot, rng: this.rng.getState() };
    this.store.save(path, header, this.filled * this.slotLength);
  }

  load(path: string): void {
    const schema = HeaderSchema.refine((h) => h.slots === this.slots && h.slotLength === this.slotLength, { message: 'slots differ from this run\'s', path: ['slots'] });
    const h = this.store.load(path, schema, 'episode buffer', (x) => x.lengths.reduce((m, l, s) => (l > 0 ? s + 1 : m), 0) * this.slotLength);
    this.lengths.set(h.lengths);
    this.filled = h.lengths.reduce((m, l, s) => (l > 0 ? s + 1 : m), 0);
    this.stored = h.lengths.reduce((a, b) => a + b, 0);
    this.nextSlot = h.nextSlot;
    this.open.clear();
    this.rng.setState(h.rng);
    for (let slot = 0; slot < this.slots; slot++) this.weigh(slot);
  }
}
