// Replay buffer: one Float32Array with a declared row layout, seeded uniform sampling, save/load.
import { closeSync, openSync, readSync, writeSync } from 'node:fs';
import { z } from 'zod';
import { Rng } from '../sim/rng.ts';
import { RngStateSchema } from './checkpoint.ts';

/** Named fields of one stored row, in order (sizes in float32 values). */
export type RowLayout = { name: string; size: number }[];

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
  readonly rowSize: number;
  readonly data: Float32Array;
  readonly offsets: Record<string, number>;
  size = 0;
  private next = 0;
  readonly rng: Rng;

  constructor(readonly layout: RowLayout, readonly capacity: number, seed: number) {
    this.rowSize = layout.reduce((n, f) => n + f.size, 0);
    this.data = new Float32Array(capacity * this.rowSize);
    this.offsets = {};
    let o = 0;
    for (const f of layout) {
      this.offsets[f.name] = o;
      o += f.size;
    }
    this.rng = new Rng(seed);
  }

  /** Appends one row: `fields[name]` holds `size` values starting at `row * size`. */
  add(fields: Record<string, ArrayLike<number>>, row = 0): void {
    const base = this.next * this.rowSize;
    for (const f of this.layout) {
      const src = fields[f.name];
      if (!src) throw new Error(`replay: missing field '${f.name}'`);
      for (let k = 0; k < f.size; k++) this.data[base + this.offsets[f.name]! + k] = src[row * f.size + k]!;
    }
    this.next = (this.next + 1) % this.capacity;
    this.size = Math.min(this.size + 1, this.capacity);
  }

  /** Draws `n` rows uniformly (with replacement) into `out[name]` ([n, size] each). */
  sample(n: number, out: Record<string, Float32Array>): void {
    if (this.size === 0) throw new Error('replay: cannot sample an empty buffer');
    for (let i = 0; i < n; i++) this.copyRow(this.rng.int(this.size), i, out);
  }

  /** Copies stored row `index` into row `i` of `out`. */
  copyRow(index: number, i: number, out: Record<string, Float32Array>): void {
    const base = index * this.rowSize;
    for (const f of this.layout) {
      const dst = out[f.name];
      if (!dst) continue;
      const o = base + this.offsets[f.name]!;
      dst.set(this.data.subarray(o, o + f.size), i * f.size);
    }
  }

  /** Per-field arrays for `n` sampled rows. */
  allocateBatch(n: number): Record<string, Float32Array> {
    return Object.fromEntries(this.layout.map((f) => [f.name, new Float32Array(n * f.size)]));
  }

  /** Writes the buffer to `path`: a JSON header line, then the used rows as raw float32. */
  save(path: string): void {
    const header = JSON.stringify({ format: 'paddock-replay-v1', layout: this.layout, capacity: this.capacity, size: this.size, next: this.next, rng: this.rng.getState() });
    const fd = openSync(path, 'w');
    try {
      writeSync(fd, `${header}\n`);
      const used = this.data.subarray(0, this.size * this.rowSize);
      writeSync(fd, new Uint8Array(used.buffer, used.byteOffset, used.byteLength));
    } finally {
      closeSync(fd);
    }
  }

  /** Restores a buffer written by `save`; the layout and capacity must match this buffer's. */
  load(path: string): void {
    const fd = openSync(path, 'r');
    try {
      const head = Buffer.alloc(1 << 16);
      const n = readSync(fd, head, 0, head.length, 0);
      const nl = head.subarray(0, n).indexOf(10);
      if (nl < 0) throw new Error(`${path}: not a Paddock replay file (no header line)`);
      const parsed = HeaderSchema.safeParse(JSON.parse(head.subarray(0, nl).toString('utf8')));
      if (!parsed.success) throw new Error(`${path}: replay header.${parsed.error.issues[0]!.path.join('.')}: ${parsed.error.issues[0]!.message}`);
      const h = parsed.data;
      if (JSON.stringify(h.layout) !== JSON.stringify(this.layout) || h.capacity !== this.capacity) {
        throw new Error(`${path}: replay layout or capacity differs from this run's (${h.capacity} rows of ${JSON.stringify(h.layout)})`);
      }
      const bytes = h.size * this.rowSize * 4;
      const got = readSync(fd, new Uint8Array(this.data.buffer, 0, bytes), 0, bytes, nl + 1);
      if (got !== bytes) throw new Error(`${path}: replay file is truncated (${got} of ${bytes} bytes)`);
      this.size = h.size;
      this.next = h.next;
      this.rng.setState(h.rng);
    } finally {
      closeSync(fd);
    }
  }
}
