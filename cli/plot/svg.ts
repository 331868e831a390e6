// A small dependency-free SVG line chart: series with optional spread bands and markers, nice ticks, axis titles and a legend.

/** One line of a chart. Points with a non-finite y break the line. */
export interface Series {
  label: string;
  /** (x, y) in data units. */
  points: [number, number][];
  /** Shaded spread around the line: (x, low, high). */
  band?: [number, number, number][];
  /** Draw a dot at every point (for sparse data such as impulse levels). */
  markers?: boolean;
  dashed?: boolean;
  color?: string;
}

export interface LineChart {
  title: string;
  /** A second, smaller line under the title (what the spread means, where the data came from). */
  subtitle?: string;
  xLabel: string;
  yLabel: string;
  series: Series[];
  /** Pixels (default 720 × 420). */
  width?: number;
  height?: number;
  /** Fixed axis ranges; default: the data's range (y padded by 5%). */
  xDomain?: [number, number];
  yDomain?: [number, number];
}

/** Okabe–Ito colours: distinguishable with the common colour-vision deficiencies. */
export const PALETTE = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#000000', '#8C6D31'];

/** Escapes text for XML content and attribute values. */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!);
}

/** About five round tick values covering [lo, hi]. */
export function niceTicks(lo: number, hi: number, target = 5): number[] {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / target;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? 10 * mag;
  const out: number[] = [];
  for (let v = Math.ceil(lo / step - 1e-9) * step; v <= hi + step * 1e-9; v += step) out.push(Math.abs(v) < step * 1e-9 ? 0 : +v.toPrecision(12));
  return out;
}

/** A compact tick label: 1.5k, 2M, 0.25. */
export function formatTick(v: number): string {
  const a = Math.abs(v);
  if (a >= 1e6) return `${+(v / 1e6).toPrecision(3)}M`;
  if (a >= 1e4) return `${+(v / 1e3).toPrecision(3)}k`;
  return String(+v.toPrecision(4));
}

function extent(values: number[], fallback: [number, number]): [number, number] {
  const finite = values.filter(Number.isFinite);
  if (finite.length === 0) return fallback;
  let lo = Math.min(...finite), hi = Math.max(...finite);
  if (hi - lo < 1e-12) { lo -= Math.abs(lo) * 0.1 || 1; hi += Math.abs(hi) * 0.1 || 1; }
  return [lo, hi];
}

function domains(c: LineChart): { x: [number, number]; y: [number, number] } {
  const xs = c.series.flatMap((s) => s.points.map((p) => p[0]));
  const ys = c.series.flatMap((s) => [...s.points.map((p) => p[1]), ...(s.band ?? []).flatMap((b) => [b[1], b[2]])]);
  let x = c.xDomain ?? extent(xs, [0, 1]);
  if (!c.xDomain && c.series.some((s) => s.markers)) {
    const pad = (x[1] - x[0]) * 0.02;
    x = [x[0] - pad, x[1] + pad];
  }
  let y = c.yDomain;
  if (!y) {
    const [lo, hi] = extent(ys, [0, 1]);
    const pad = (hi - lo) * 0.05;
    y = [lo - pad, hi + pad];
  }
  return { x, y };
}

const n = (v: number) => +v.toFixed(2);

/** Path data through the finite points, a new subpath after every gap. */
function linePath(points: [number, number][], X: (v: number) => number, Y: (v: number) => number): string {
  let d = '', pen = false;
  for (const [x, y] of points) {
    if (!Number.isFinite(x) || !Number.isFinite(y)) { pen = false; continue; }
    d += `${pen ? 'L' : 'M'}${n(X(x))},${n(Y(y))}`;
    pen = true;
  }
  return d;
}

function bandPath(band: [number, number, number][], X: (v: number) => number, Y: (v: number) => number): string {
  const ok = band.filter((b) => b.every(Number.isFinite));
  if (ok.length === 0) return '';
  const upper = ok.map(([x, , hi]) => `${n(X(x))},${n(Y(hi))}`);
  const lower = ok.map(([x, lo]) => `${n(X(x))},${n(Y(lo))}`).reverse();
  return `M${upper.join('L')}L${lower.join('L')}Z`;
}

/** Renders the chart as a standalone SVG document. */
export function lineChart(c: LineChart): string {
  const W = c.width ?? 720, H = c.height ?? 420;
  const legendW = Math.min(36, Math.max(...c.series.map((s) => s.label.length), 4)) * 6.6 + 34;
  const top = c.subtitle ? 58 : 42;
  const L = 70, R = legendW + 18, B = 52;
  const pw = W - L - R, ph = H - top - B;
  const { x: [x0, x1], y: [y0, y1] } = domains(c);
  const X = (v: number) => L + ((v - x0) / (x1 - x0)) * pw;
  const Y = (v: number) => top + ph - ((v - y0) / (y1 - y0)) * ph;
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="system-ui, -apple-system, 'Segoe UI', sans-serif" font-size="12">`,
    `<rect width="${W}" height="${H}" fill="#ffffff"/>`,
    `<text class="title" x="${L}" y="22" font-size="15" font-weight="600" fill="#1d2430">${escapeXml(c.title)}</text>`,
  ];
  if (c.subtitle) out.push(`<text class="subtitle" x="${L}" y="40" fill="#5b6677">${escapeXml(c.subtitle)}</text>`);
  out.push(...axes(c, { L, top, pw, ph, x0, x1, y0, y1, X, Y }));
  out.push(`<clipPath id="plot"><rect x="${L}" y="${top}" width="${pw}" height="${ph}"/></clipPath>`);
  c.series.forEach((s, i) => out.push(seriesSvg(s, s.color ?? PALETTE[i % PALETTE.length]!, X, Y)));
  out.push(...legend(c.series, L + pw + 14, top));
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}

interface Frame { L: number; top: number; pw: number; ph: number; x0: number; x1: number; y0: number; y1: number; X(v: number): number; Y(v: number): number }

function axes(c: LineChart, f: Frame): string[] {
  const out = [`<g class="axes" stroke="#c4ccd6" stroke-width="1">`];
  for (const t of niceTicks(f.y0, f.y1)) out.push(`<line x1="${f.L}" x2="${f.L + f.pw}" y1="${n(f.Y(t))}" y2="${n(f.Y(t))}"/>`);
  for (const t of niceTicks(f.x0, f.x1)) out.push(`<line x1="${n(f.X(t))}" x2="${n(f.X(t))}" y1="${f.top + f.ph}" y2="${f.top + f.ph + 5}"/>`);
  out.push(`<rect x="${f.L}" y="${f.top}" width="${f.pw}" height="${f.ph}" fill="none" stroke="#8a96a8"/>`, '</g>', '<g class="ticks" fill="#3d4756">');
  for (const t of niceTicks(f.y0, f.y1)) out.push(`<text x="${f.L - 8}" y="${n(f.Y(t) + 4)}" text-anchor="end">${escapeXml(formatTick(t))}</text>`);
  for (const t of niceTicks(f.x0, f.x1)) out.push(`<text x="${n(f.X(t))}" y="${f.top + f.ph + 19}" text-anchor="middle">${escapeXml(formatTick(t))}</text>`);
  out.push('</g>');
  out.push(`<text class="x-label" x="${n(f.L + f.pw / 2)}" y="${f.top + f.ph + 40}" text-anchor="middle" fill="#1d2430">${escapeXml(c.xLabel)}</text>`);
  const cy = n(f.top + f.ph / 2);
  out.push(`<text class="y-label" x="18" y="${cy}" text-anchor="middle" transform="rotate(-90 18 ${cy})" fill="#1d2430">${escapeXml(c.yLabel)}</text>`);
  return out;
}

function seriesSvg(s: Series, color: string, X: (v: number) => number, Y: (v: number) => number): string {
  const parts = [`<g class="series" data-label="${escapeXml(s.label)}" clip-path="url(#plot)">`];
  const band = s.band ? bandPath(s.band, X, Y) : '';
  if (band) parts.push(`<path class="band" d="${band}" fill="${color}" fill-opacity="0.16" stroke="none"/>`);
  parts.push(`<path class="line" d="${linePath(s.points, X, Y)}" fill="none" stroke="${color}" stroke-width="2.2" stroke-linejoin="round"${s.dashed ? ' stroke-dasharray="6 4"' : ''}/>`);
  if (s.markers) for (const [x, y] of s.points) if (Number.isFinite(x) && Number.isFinite(y)) parts.push(`<circle cx="${n(X(x))}" cy="${n(Y(y))}" r="3.4" fill="${color}"/>`);
  parts.push('</g>');
  return parts.join('\n');
}

function legend(series: Series[], x: number, y: number): string[] {
  const out = ['<g class="legend">'];
  series.forEach((s, i) => {
    const color = s.color ?? PALETTE[i % PALETTE.length]!;
    const cy = y + 8 + i * 20;
    out.push(`<line x1="${x}" x2="${x + 22}" y1="${cy}" y2="${cy}" stroke="${color}" stroke-width="2.2"${s.dashed ? ' stroke-dasharray="6 4"' : ''}/>`);
    const shown = s.label.length > 36 ? `${s.label.slice(0, 35)}…` : s.label;
    out.push(`<text x="${x + 28}" y="${cy + 4}" fill="#1d2430">${escapeXml(shown)}</text>`);
  });
  out.push('</g>');
  return out;
}
