// Training metrics: one JSON object per line (metrics.jsonl) mirrored to metrics.csv, and a progress line on stderr.
import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';

/** One logged row: env steps, wall seconds, and any numeric metrics (`train/…`, `eval/…`, `loss/…`). */
export type MetricsRow = { env_steps: number; time_s: number } & Record<string, number>;

export const MetricsRowSchema = z.object({ env_steps: z.number().int().min(0), time_s: z.number().min(0) }).catchall(z.number());

/** Appends rows to `<dir>/metrics.jsonl` and rewrites `<dir>/metrics.csv` (union of columns) on `flushCsv`. */
export class MetricsLog {
  readonly jsonl: string;
  readonly csv: string;
  private rows: MetricsRow[] = [];

  constructor(readonly dir: string) {
    this.jsonl = join(dir, 'metrics.jsonl');
    this.csv = join(dir, 'metrics.csv');
  }

  /** Keeps only rows up to `envSteps` (a resumed run continues from its checkpoint) and loads them. */
  resumeAt(envSteps: number): void {
    this.startWith(readMetricsUpTo(this.jsonl, envSteps));
  }

  /** Starts the log with `rows` (a run branched from another run's checkpoint carries its history). */
  startWith(rows: MetricsRow[]): void {
    this.rows = [...rows];
    writeFileSync(this.jsonl, this.rows.map((r) => `${JSON.stringify(r)}\n`).join(''));
  }

  append(row: MetricsRow): void {
    this.rows.push(row);
    appendFileSync(this.jsonl, `${JSON.stringify(row)}\n`);
  }

  flushCsv(): void {
    const cols = ['env_steps', 'time_s', ...[...new Set(this.rows.flatMap((r) => Object.keys(r)))].filter((c) => c !== 'env_steps' && c !== 'time_s').sort()];
    const lines = [cols.join(','), ...this.rows.map((r) => cols.map((c) => (r[c] === undefined ? '' : String(r[c]))).join(','))];
    writeFileSync(this.csv, `${lines.join('\n')}\n`);
  }
}

/** The rows of a metrics.jsonl file up to `envSteps` (none when the file does not exist). */
export function readMetricsUpTo(path: string, envSteps: number): MetricsRow[] {
  return existsSync(path) ? readMetrics(path).filter((r) => r.env_steps <= envSteps) : [];
}

/** Reads a metrics.jsonl file, skipping lines that are not valid rows. */
export function readMetrics(path: string): MetricsRow[] {
  const out: MetricsRow[] = [];
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    try {
      const r = MetricsRowSchema.safeParse(JSON.parse(line));
      if (r.success) out.push(r.data as MetricsRow);
    } catch {
      continue;
    }
  }
  return out;
}

/**
 * Base env steps per logged env step of the run in `dir` (config.json's `baseStepsPerStep`: a
 * hierarchical run's skill steps), 1 when absent or unreadable.
 */
export function runBaseStepsPerStep(dir: string): number {
  const file = join(dir, 'config.json');
  if (!existsSync(file)) return 1;
  try {
    const r = z.object({ baseStepsPerStep: z.number().positive() }).safeParse(JSON.parse(readFileSync(file, 'utf8')));
    return r.success ? r.data.baseStepsPerStep : 1;
  } catch {
    return 1;
  }
}

function duration(s: number): string {
  if (!Number.isFinite(s) || s < 0) return '--';
  const h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), sec = Math.floor(s % 60);
  return h ? `${h}h${String(m).padStart(2, '0')}m` : `${m}m${String(sec).padStart(2, '0')}s`;
}

/** A one-line progress bar on stderr: redrawn in place on a terminal, printed every `everyS` seconds otherwise. */
export class Progress {
  private lastPrint = 0;
  private readonly tty = process.stderr.isTTY === true;

  constructor(readonly total: number, readonly label: string, readonly everyS = 30, private readonly enabled = true) {}

  update(done: number, fields: Record<string, string>, force = false): void {
    if (!this.enabled) return;
    const now = performance.now() / 1000;
    if (!force && now - this.lastPrint < (this.tty ? 0.5 : this.everyS)) return;
    this.lastPrint = now;
    const frac = Math.min(1, done / this.total);
    const width = 24, filled = Math.round(frac * width);
    const bar = `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}]`;
    const rest = Object.entries(fields).map(([k, v]) => `${k} ${v}`).join(' | ');
    const line = `${this.label} ${bar} ${(100 * frac).toFixed(1)}% ${done}/${this.total} | ${rest}`;
    if (this.tty) process.stderr.write(`\r${line.slice(0, (process.stderr.columns || 160) - 1)}\x1b[K`);
    else process.stderr.write(`${line}\n`);
  }

  done(): void {
    if (this.enabled && this.tty) process.stderr.write('\n');
  }

  static eta(elapsedS: number, done: number, total: number, since = 0): string {
    const rate = (done - since) / elapsedS;
    return duration((total - done) / rate);
  }

  static duration = duration;
}
