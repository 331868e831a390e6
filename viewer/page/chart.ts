// The learning-curve panel: one metric against env_steps, drawn on a 2-D canvas with labelled axes.
import type { MetricsPoint } from '../protocol.ts';

/** Preferred metric when a run has it. */
export const DEFAULT_METRIC = 'eval/return_mean';

export class Chart {
  points: MetricsPoint[] = [];
  key = DEFAULT_METRIC;
  source = '';
  private chosen = false;

  constructor(private readonly canvas: HTMLCanvasElement, private readonly picker: HTMLSelectElement, private readonly about: HTMLElement) {
    picker.addEventListener('change', () => { this.key = picker.value; this.chosen = true; this.draw(); });
    this.draw();
  }

  /** Adds points (or replaces them all with `reset`). */
  add(points: MetricsPoint[], reset: boolean, source: string): void {
    if (reset) this.points = [];
    this.points.push(...points);
    this.source = source;
    this.refreshKeys();
    this.draw();
  }

  /** Every numeric key seen, in first-seen order. */
  keys(): string[] {
    const seen = new Set<string>();
    for (const p of this.points) for (const k of Object.keys(p.values)) seen.add(k);
    return [...seen];
  }

  private refreshKeys(): void {
    const keys = this.keys();
    if (!this.chosen || !keys.includes(this.key)) this.key = keys.includes(DEFAULT_METRIC) ? DEFAULT_METRIC : keys[0] ?? DEFAULT_METRIC;
    if (this.picker.options.length !== keys.length) {
      this.picker.replaceChildren(...keys.map((k) => new Option(k, k)));
    }
    this.picker.value = this.key;
  }

  draw(): void {
    const c = this.canvas;
    const w = (c.width = c.clientWidth || 300), h = (c.height = c.clientHeight || 180);
    const g = c.getContext('2d')!;
    g.clearRect(0, 0, w, h);
    const pts = this.points.filter((p) => p.values[this.key] !== undefined);
    c.hidden = this.points.length === 0;
    this.picker.parentElement!.hidden = c.hidden;
    this.about.textContent = pts.length ? `${pts.length} points of ${this.key} from ${this.source}` : this.points.length ? `no '${this.key}' values yet` : this.about.textContent;
    if (pts.length === 0) return;
    const xs = pts.map((p) => p.env_steps), ys = pts.map((p) => p.values[this.key]!);
    const [x0, x1] = span(xs), [y0, y1] = span(ys);
    const L = 46, R = 8, T = 8, B = 22;
    const X = (x: number) => L + ((x - x0) / (x1 - x0)) * (w - L - R);
    const Y = (y: number) => h - B - ((y - y0) / (y1 - y0)) * (h - T - B);
    g.strokeStyle = '#c4ccd6'; g.fillStyle = '#5b6677'; g.font = '10px system-ui'; g.lineWidth = 1;
    for (const y of ticks(y0, y1)) { g.beginPath(); g.moveTo(L, Y(y)); g.lineTo(w - R, Y(y)); g.stroke(); g.fillText(fmt(y), 2, Y(y) + 3); }
    for (const x of ticks(x0, x1)) g.fillText(fmt(x), X(x) - 10, h - 6);
    g.strokeStyle = '#2f6fde'; g.lineWidth = 2; g.beginPath();
    pts.forEach((p, i) => (i === 0 ? g.moveTo(X(xs[i]!), Y(ys[i]!)) : g.lineTo(X(xs[i]!), Y(ys[i]!))));
    g.stroke();
  }
}

function span(v: number[]): [number, number] {
  let lo = Math.min(...v), hi = Math.max(...v);
  if (hi - lo < 1e-9) { lo -= 1; hi += 1; }
  return [lo, hi];
}

/** About four round tick values within [lo, hi]. */
function ticks(lo: number, hi: number): number[] {
  const step = 10 ** Math.floor(Math.log10((hi - lo) / 4));
  const nice = [1, 2, 5, 10].map((m) => m * step).find((s) => (hi - lo) / s <= 5) ?? step * 10;
  const out: number[] = [];
  for (let v = Math.ceil(lo / nice) * nice; v <= hi + 1e-9; v += nice) out.push(v);
  return out;
}

function fmt(v: number): string {
  const a = Math.abs(v);
  if (a >= 1e6) return `${(v / 1e6).toFixed(1)}M`;
  if (a >= 1e3) return `${(v / 1e3).toFixed(a >= 1e4 ? 0 : 1)}k`;
  return a >= 10 || v === 0 ? v.toFixed(0) : v.toFixed(2);
}
