// The push-sweep panel: settings, run/stop, a survival-against-impulse chart that fills in as trials finish, and replays of failures.
import type { ClientMessage, SweepStatus } from '../protocol.ts';

type Send = (msg: ClientMessage) => void;

const $ = <T extends HTMLElement>(id: string): T => document.getElementById(id) as T;

/** Impulses (N·s) that make sense for each robot's mass (the ant weighs 0.91 kg, the cheetah 14 kg). */
const DEFAULT_IMPULSES: Record<string, string> = { quadruped: '0,0.5,1,2,4', 'half-cheetah': '0,20,40,80', 'arm-reach': '0,1,2,5', 'arm-push': '0,1,2,5', door: '0,1,2,5' };

export class SweepPanel {
  status: SweepStatus | null = null;
  private task = '';
  private edited = false;
  private readonly canvas = $<HTMLCanvasElement>('sweep-chart');

  constructor(private readonly send: Send) {
    $<HTMLInputElement>('sweep-impulses').oninput = () => { this.edited = true; };
    $('sweep-run').onclick = () => this.start();
    $('sweep-stop').onclick = () => send({ type: 'sweep-stop' });
    this.draw();
  }

  /** Follows the play task: offers impulses that suit its robot until the user edits them. */
  setTask(task: string, play: boolean): void {
    $('sweep-controls').hidden = !play && this.status === null;
    $<HTMLButtonElement>('sweep-run').disabled = !play || this.status?.state === 'running';
    if (task === this.task || !task) return;
    this.task = task;
    if (!this.edited) $<HTMLInputElement>('sweep-impulses').value = DEFAULT_IMPULSES[task] ?? '0,1,2,5';
  }

  /** Reads the settings; returns null (and says why) when they do not parse. */
  request(): Extract<ClientMessage, { type: 'sweep-start' }> | null {
    const impulses = $<HTMLInputElement>('sweep-impulses').value.split(',').map((s) => Number(s.trim()));
    const int = (id: string) => Math.round(Number($<HTMLInputElement>(id).value));
    if (impulses.length === 0 || !impulses.every((v) => Number.isFinite(v) && v >= 0)) {
      $('sweep-about').textContent = 'Impulses: comma-separated numbers ≥ 0, e.g. 0,20,40.';
      return null;
    }
    return {
      type: 'sweep-start', impulses, directions: int('sweep-directions'), trials: int('sweep-trials'), seed: int('sweep-seed'),
      action: $<HTMLInputElement>('sweep-sampled').checked ? 'stochastic' : 'mean', perKg: $<HTMLInputElement>('sweep-perkg').checked,
    };
  }

  private start(): void {
    const req = this.request();
    if (req) this.send(req);
  }

  /** A progress message from the server. */
  update(s: SweepStatus): void {
    this.status = s;
    $('sweep-controls').hidden = false;
    const running = s.state === 'running';
    $<HTMLButtonElement>('sweep-run').disabled = running;
    $<HTMLButtonElement>('sweep-stop').disabled = !running;
    const pct = s.total ? ` ${Math.round((100 * s.done) / s.total)}% (${s.done}/${s.total} episodes)` : '';
    const head = `${s.task} · ${s.policy}: ${s.state}${pct}`;
    $('sweep-about').textContent = s.state === 'error' ? `${head}: ${s.message}` : `${head}. Failure: ${s.message}`;
    this.listFailures(s);
    this.draw();
  }

  private listFailures(s: SweepStatus): void {
    const box = $('sweep-failures');
    box.replaceChildren(...s.failures.map((f, i) => {
      const b = Object.assign(document.createElement('button'), { textContent: `replay ${f.impulse} ${s.unit} · trial ${f.trial} · ${f.direction}°` });
      b.onclick = () => this.send({ type: 'sweep-replay', index: i });
      return b;
    }));
  }

  /** Survival (0–1) against impulse: the line, its points and the 95% interval band. */
  draw(): void {
    const c = this.canvas;
    const w = (c.width = c.clientWidth || 300), h = (c.height = c.clientHeight || 170);
    const g = c.getContext('2d')!;
    g.clearRect(0, 0, w, h);
    const pts = (this.status?.points ?? []).filter((p) => p.survival !== null);
    c.hidden = this.status === null;
    if (pts.length === 0) return;
    const xs = pts.map((p) => p.impulse);
    const x0 = Math.min(...xs), x1 = Math.max(...xs) > x0 ? Math.max(...xs) : x0 + 1;
    const L = 34, R = 10, T = 8, B = 22;
    const X = (x: number) => L + ((x - x0) / (x1 - x0)) * (w - L - R);
    const Y = (y: number) => h - B - y * (h - T - B);
    g.font = '10px system-ui'; g.fillStyle = '#5b6677'; g.strokeStyle = '#dde3ea'; g.lineWidth = 1;
    for (const y of [0, 0.25, 0.5, 0.75, 1]) { g.beginPath(); g.moveTo(L, Y(y)); g.lineTo(w - R, Y(y)); g.stroke(); g.fillText(y.toFixed(2), 2, Y(y) + 3); }
    for (const p of pts) g.fillText(String(p.impulse), X(p.impulse) - 6, h - 6);
    g.fillStyle = 'rgba(47, 111, 222, 0.15)'; g.beginPath();
    pts.forEach((p, i) => (i === 0 ? g.moveTo(X(p.impulse), Y(p.high ?? p.survival!)) : g.lineTo(X(p.impulse), Y(p.high ?? p.survival!))));
    [...pts].reverse().forEach((p) => g.lineTo(X(p.impulse), Y(p.low ?? p.survival!)));
    g.closePath(); g.fill();
    g.strokeStyle = '#2f6fde'; g.fillStyle = '#2f6fde'; g.lineWidth = 2; g.beginPath();
    pts.forEach((p, i) => (i === 0 ? g.moveTo(X(p.impulse), Y(p.survival!)) : g.lineTo(X(p.impulse), Y(p.survival!))));
    g.stroke();
    for (const p of pts) { g.beginPath(); g.arc(X(p.impulse), Y(p.survival!), 3, 0, 2 * Math.PI); g.fill(); }
  }
}
