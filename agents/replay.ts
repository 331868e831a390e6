// Replay buffer: one Float32Array with a declared row layout (a RowStore ring), seeded uniform sampling, save/load.
import { z } from 'zod';
import { Rng } from '../sim/rng.ts';
import { RngStateSchema } from './checkpoint.ts';
import { RowStore, type RowLayout } from './row-store.ts';

export type { RowLayout } from './row-store.ts';

/** SAC's transition row: obs ‖ action ‖ reward ‖ next obs ‖ terminated. */
export function transitionLayout(obsDim: number, actDim: number): RowLayout {
  return [
    { name: 'obs', size: obsDim },
    { name: 'action', size: actDim },
    { name: 'reward', size: 1 },
    { name: 'nextObs', size: obsDim },
    { name: 'terminated', size: 1 },
  ];
}

const HeaderSchema = z.object({
  format: z.literal('paddock-replay-v1'),
  layout: z.array(z.object({ name: z.string(), size: z.number().int().positive() })),
  capacity: z.number().int().positive(),
  size: z.number().int().min(0),
  next: z.number().int().min(0),
  rng: RngStateSchema,
});

/**
 * A ring buffer of `capacity` rows of `layout`. `add` copies one row from field arrays;
 * `sample` fills preallocated per-field arrays with uniformly drawn rows (no allocation).
 */
export class ReplayBuffer {
  readonly store: RowStore;
  size = 0;
  private next = 0;
  readonly rng: Rng;

  constructor(readonly layout: RowLayout, readonly capacity: number, seed: number) {
    this.store = new RowStore(layout, capacity);
    this.rng = new Rng(seed);
  }

  get rowSize(): number {
    return this.store.rowSize;
  }

  get data(): Float32Array {
    return this.store.data;
  }

  get offsets(): Record<string, number> {
    return this.store.offsets;
  }

  /** Appends one row: `fields[name]` holds `size` values starting at `row * size`. */
  add(fields: Record<string, ArrayLike<number>>, row = 0): void {
    this.store.write(this.next, fields, row);
    this.next = (this.next + 1) % this.capacity;
    this.size = Math.min(this.size + 1, this.capacity);
  }

  /** Draws `n` rows uniformly (with replacement) into `out[name]` ([n, size] each). */
  sample(n: number, out: Record<string, Float32Array>): void {
    if (this.size === 0) throw new Error('replay: cannot sample an empty buffer');
    for (let i = 0; i < n; i++) this.store.copyRow(this.rng.int(this.size), i, out);
  }

  /**
   * Draws `n` rows uniformly (with replacement) from the `window` most recently added (all rows
   * when the buffer holds fewer, the latest row alone when `window` < 1) into `out[name]`.
   */
  sampleRecent(n: number, window: number, out: Record<string, Float32Array>): void {
    if (this.size === 0) throw new Error('replay: cannot sample an empty buffer');
    const w = Math.max(1, Math.min(Math.floor(window), this.size));
    for (let i = 0; i < n; i++) this.store.copyRow((this.next - 1 - this.rng.int(w) + this.capacity) % this.capacity, i, out);
  }

  /** Per-field arrays for `n` sampled rows. */
  allocateBatch(n: number): Record<string, Float32Array> {
    return this.store.allocateBatch(n);
  }

  /** Writes the buffer to `path`: a JSON header line, then the used rows as raw float32. */
  save(path: string): void {
    this.store.save(path, { format: 'paddock-replay-v1', layout: this.layout, capacity: this.capacity, size: this.size, next: this.next, rng: this.rng.getState() }, this.size);
  }

  /** Restores a buffer written by `save`; the layout and capacity must match this buffer's. */
  load(path: string): void {
    const h = this.store.load(path, HeaderSchema.refine((x) => x.capacity === this.capacity, { message: `capacity differs from this run's (${this.capacity})`, path: ['capacity'] }), 'replay', (x) => x.size);
    this.size = h.size;
    this.next = h.next;
    this.rng.setState(h.rng);
  }
}
