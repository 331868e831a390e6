// Training metrics for the learning-curve panel: zod-validated metrics.jsonl rows, parsed in full or tailed as a run writes them.
import { open, stat } from 'node:fs/promises';
import { z } from 'zod';
import type { MetricsPoint, ServerMessage } from './protocol.ts';

/** One line of `<run>/metrics.jsonl`: `env_steps` and `time_s` (wall seconds) plus any numeric metrics. */
export const MetricsRowSchema = z
  .object({
    env_steps: z.number().int().min(0),
    time_s: z.number().finite().min(0),
  })
  .catchall(z.unknown());
export type MetricsRow = z.output<typeof MetricsRowSchema>;

/** The curve point of a row: its finite numeric keys besides `env_steps` and `time_s`. */
export function metricsPoint(row: unknown): MetricsPoint | null {
  const parsed = MetricsRowSchema.safeParse(row);
  if (!parsed.success) return null;
  const { env_steps, time_s, ...rest } = parsed.data;
  const values: Record<string, number> = {};
  for (const [key, v] of Object.entries(rest)) if (typeof v === 'number' && Number.isFinite(v)) values[key] = v;
  return { env_steps, time_s, values };
}

/** Most metrics points kept (older ones are thinned out). */
const MAX_POINTS = 20_000;

/** The learning-curve points the hub holds for every page, thinned out past `MAX_POINTS`. */
export class MetricsStore {
  points: MetricsPoint[] = [];
  source = '';

  /** Appends (or, with `reset`, replaces) points; returns the message that tells the pages. */
  add(points: MetricsPoint[], reset: boolean, source: string): Extract<ServerMessage, { type: 'metrics' }> {
    this.source = source;
    if (reset) this.points = [];
    this.points.push(...points);
    if (this.points.length > MAX_POINTS) this.points = this.points.filter((_, i) => i % 2 === 0 || i === this.points.length - 1);
    return { type: 'metrics', reset, source, points: reset ? this.points : points };
  }

  /** Every point, for a page that just connected. */
  snapshot(): Extract<ServerMessage, { type: 'metrics' }> {
    return { type: 'metrics', reset: true, source: this.source, points: this.points };
  }
}

/** Parses metrics.jsonl text; lines that are not JSON or fail the schema are counted and skipped. */
export function parseMetricsText(text: string): { points: MetricsPoint[]; skipped: number } {
  const points: MetricsPoint[] = [];
  let skipped = 0;
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      skipped++;
      continue;
    }
    const p = metricsPoint(value);
    if (p) points.push(p);
    else skipped++;
  }
  return { points, skipped };
}

/**
 * Follows a metrics.jsonl file as a run appends to it: polls its size every `intervalMs`, parses
 * the complete new lines and hands their points to `onPoints`. Starts over if the file shrinks.
 */
export class MetricsTail {
  private offset = 0;
  /** Bytes after the last newline read so far (an incomplete line). */
  private partial = Buffer.alloc(0);
  private timer: NodeJS.Timeout | null = null;
  private reading = false;
  skipped = 0;

  constructor(readonly file: string, private readonly onPoints: (points: MetricsPoint[], reset: boolean) => void, private readonly intervalMs = 1000) {}

  /** Reads what is there now, then keeps polling. */
  async start(): Promise<void> {
    await this.poll();
    this.timer = setInterval(() => void this.poll(), this.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** Reads any new complete lines (missing files are waited for). */
  async poll(): Promise<void> {
    if (this.reading) return;
    this.reading = true;
    try {
      const size = await stat(this.file).then((s) => s.size, () => -1);
      if (size < 0) return;
      const reset = size < this.offset;
      if (reset) { this.offset = 0; this.partial = Buffer.alloc(0); }
      if (size === this.offset && !reset) return;
      const bytes = Buffer.concat([this.partial, await this.readFrom(this.offset, size)]);
      this.offset = size;
      const cut = bytes.lastIndexOf(0x0a);
      this.partial = bytes.subarray(cut + 1);
      const { points, skipped } = parseMetricsText(bytes.subarray(0, cut + 1).toString('utf8'));
      this.skipped += skipped;
      if (points.length > 0 || reset) this.onPoints(points, reset);
    } finally {
      this.reading = false;
    }
  }

  private async readFrom(start: number, end: number): Promise<Buffer> {
    const fh = await open(this.file, 'r');
    try {
      const buf = Buffer.alloc(end - start);
      await fh.read(buf, 0, buf.length, start);
      return buf;
    } finally {
      await fh.close();
    }
  }
}
