// Rows of named float32 fields in one Float32Array (a declared row layout), and their file format: a JSON header line, then raw rows.
import { closeSync, openSync, readSync, writeSync } from 'node:fs';
import type { z } from 'zod';

/** Named fields of one stored row, in order (sizes in float32 values). */
export type RowLayout = { name: string; size: number }[];

/** `rows` rows of `layout`, row-major in one Float32Array. */
export class RowStore {
  readonly rowSize: number;
  readonly offsets: Record<string, number>;
  readonly data: Float32Array;

  constructor(readonly layout: RowLayout, readonly rows: number) {
    this.rowSize = layout.reduce((n, f) => n + f.size, 0);
    this.offsets = {};
    let o = 0;
    for (const f of layout) {
      this.offsets[f.name] = o;
      o += f.size;
    }
    this.data = new Float32Array(rows * this.rowSize);
  }

  /** Writes row `row` of the field arrays (`fields[name]`: [n, size]) into stored row `index`. */
  write(index: number, fields: Record<string, ArrayLike<number>>, row: number): void {
    const base = index * this.rowSize;
    for (const f of this.layout) {
      const src = fields[f.name];
      if (!src) throw new Error(`row store: missing field '${f.name}'`);
      const o = base + this.offsets[f.name]!;
      for (let k = 0; k < f.size; k++) this.data[o + k] = src[row * f.size + k]!;
    }
  }

  /** Copies stored row `index` into row `i` of the per-field arrays in `out` (fields it lacks are skipped). */
  copyRow(index: number, i: number, out: Record<string, Float32Array>): void {
    const base = index * this.rowSize;
    for (const f of this.layout) {
      const dst = out[f.name];
      if (!dst) continue;
      const o = base + this.offsets[f.name]!;
      dst.set(this.data.subarray(o, o + f.size), i * f.size);
    }
  }

  /** The values of field `name` in stored row `index`. */
  field(index: number, name: string, size: number): Float32Array {
    const o = index * this.rowSize + this.offsets[name]!;
    return this.data.subarray(o, o + size);
  }

  /** Per-field arrays for `n` rows. */
  allocateBatch(n: number): Record<string, Float32Array> {
    return Object.fromEntries(this.layout.map((f) => [f.name, new Float32Array(n * f.size)]));
  }

  /** Writes `header` as a JSON line, then the first `rows` stored rows as raw float32. */
  save(path: string, header: object, rows: number): void {
    const fd = openSync(path, 'w');
    try {
      writeSync(fd, `${JSON.stringify(header)}\n`);
      const used = this.data.subarray(0, rows * this.rowSize);
      writeSync(fd, new Uint8Array(used.buffer, used.byteOffset, used.byteLength));
    } finally {
      closeSync(fd);
    }
  }

  /**
   * Reads a file written by `save`: validates its header with `schema` (errors name the file,
   * `what` and the field), checks the layout matches, asks `rowsOf(header)` how many rows follow, and reads them.
   */
  load<S extends z.ZodType<{ layout: RowLayout }>>(path: string, schema: S, what: string, rowsOf: (header: z.output<S>) => number): z.output<S> {
    const fd = openSync(path, 'r');
    try {
      const head = Buffer.alloc(1 << 20);
      const got = readSync(fd, head, 0, head.length, 0);
      const nl = head.subarray(0, got).indexOf(10);
      let raw: unknown = null;
      try {
        raw = nl < 0 ? null : JSON.parse(head.subarray(0, nl).toString('utf8'));
      } catch {
        raw = null;
      }
      const parsed = schema.safeParse(raw);
      if (!parsed.success) throw new Error(`${path}: ${what} header.${parsed.error.issues[0]!.path.join('.')}: ${parsed.error.issues[0]!.message}`);
      const header = parsed.data;
      if (JSON.stringify(header.layout) !== JSON.stringify(this.layout)) throw new Error(`${path}: ${what} layout or capacity differs from this run's (${JSON.stringify(header.layout)})`);
      const bytes = rowsOf(header) * this.rowSize * 4;
      if (bytes > this.data.byteLength) throw new Error(`${path}: ${what} layout or capacity differs from this run's (more rows than fit)`);
      if (readSync(fd, new Uint8Array(this.data.buffer, this.data.byteOffset, bytes), 0, bytes, nl + 1) !== bytes) throw new Error(`${path}: ${what} file is truncated`);
      return header;
    } finally {
      closeSync(fd);
    }
  }
}
