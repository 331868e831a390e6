// The skill gallery: a card per skill (argmax agreement while watched and from a survey), the live posterior q(z|s) as bars, and the chosen skill's q through pushes.
import type { ClientMessage, Gallery, Posterior, Scene, SkillScore } from '../protocol.ts';

type Send = (msg: ClientMessage) => void;

const $ = <T extends HTMLElement>(id: string): T => document.getElementById(id) as T;

/** Steps of q(chosen skill | s) kept for the trace under the bars. */
const TRACE_STEPS = 200;
const CHOSEN = '#e2711d';
const OTHER = '#7d93b2';
const TRACE = '#2f6fde';
const PUSH = '#d0342c';

const pct = (v: number | null) => (v === null ? '—' : `${Math.round(v * 100)}%`);

export class SkillGallery {
  posterior: Posterior | null = null;
  gallery: Gallery | null = null;
  chosen = 0;
  /** Times the bars were drawn (the browser test reads it). */
  drawn = 0;
  private scene: Scene | null = null;
  private steps: number[] = [];
  private values: number[] = [];
  private readonly canvas = $<HTMLCanvasElement>('posterior-chart');

  constructor(private readonly send: Send) {
    $('survey-run').onclick = () => this.survey();
    $('survey-stop').onclick = () => send({ type: 'skill-survey-stop' });
  }

  /** A new scene: one card per skill of a skill policy (play mode); the bars when it has a posterior. */
  setScene(s: Scene): void {
    this.scene = s;
    this.posterior = null;
    this.gallery = null;
    this.steps = [];
    this.values = [];
    const play = s.mode === 'play' && s.skills !== null;
    const live = play && s.posterior?.available === true;
    $('skill-controls').hidden = !play;
    $('skill-hud').hidden = !live;
    $('survey-controls').hidden = !live;
    $('skill-note').textContent = s.posterior ? (s.posterior.available ? s.posterior.note : `No live posterior: ${s.posterior.note}.`) : '';
    const cards = Array.from({ length: play ? s.skills! : 0 }, (_, k) => {
      const b = Object.assign(document.createElement('button'), { className: 'card', type: 'button' });
      b.dataset.skill = String(k);
      b.innerHTML = `<b>${k}</b><span class="live"></span><span class="surveyed"></span><i><u></u></i>`;
      b.onclick = () => this.send({ type: 'skill', skill: k });
      return b;
    });
    $('skill-cards').replaceChildren(...cards);
    this.refreshCards();
  }

  /** The skill the server plays (state messages). */
  setChosen(skill: number): void {
    this.chosen = skill;
    this.refreshCards();
  }

  /** A posterior row (with the steps since the last one); stale scenes are ignored. */
  update(p: Posterior): void {
    if (!this.scene || p.scene !== this.scene.id) return;
    if (p.step < (this.steps.at(-1) ?? -1) || p.skill !== this.posterior?.skill) { this.steps = []; this.values = []; }
    p.trace.forEach((q, i) => { this.steps.push(p.step - p.trace.length + 1 + i); this.values.push(q); });
    if (this.steps.length > TRACE_STEPS) { this.steps.splice(0, this.steps.length - TRACE_STEPS); this.values.splice(0, this.values.length - TRACE_STEPS); }
    this.posterior = p;
    this.draw();
    this.describe(p);
    this.refreshCards();
  }

  /** Scores of every skill (live and from the survey). */
  setGallery(g: Gallery): void {
    if (!this.scene || g.scene !== this.scene.id) return;
    this.gallery = g;
    const s = g.survey;
    $<HTMLButtonElement>('survey-run').disabled = s.state === 'running';
    $<HTMLButtonElement>('survey-stop').disabled = s.state !== 'running';
    $('survey-about').textContent = s.state === 'idle' ? '' : `survey ${s.state}: ${s.done}/${g.skills} skills, ${s.steps} steps each${s.message ? ` (${s.message})` : ''}`;
    this.refreshCards();
  }

  private survey(): void {
    const steps = Math.round(Number($<HTMLInputElement>('survey-steps').value));
    this.send({ type: 'skill-survey', steps });
  }

  /** Card text: agreement while watched (states scored) and from the survey; the chosen card and the posterior's argmax are marked. */
  private refreshCards(): void {
    const g = this.gallery, arg = this.posterior ? argmax(this.posterior.q) : -1;
    for (const card of document.querySelectorAll<HTMLButtonElement>('#skill-cards .card')) {
      const k = Number(card.dataset.skill);
      const live: SkillScore | undefined = g?.live[k], surveyed: SkillScore | undefined = g?.survey.scores[k];
      card.classList.toggle('chosen', k === this.chosen);
      card.classList.toggle('argmax', k === arg);
      card.querySelector('.live')!.textContent = live?.steps ? `live ${pct(live.agreement)}` : g ? 'live —' : '';
      card.querySelector('.surveyed')!.textContent = surveyed?.steps ? `survey ${pct(surveyed.agreement)}` : '';
      const best = surveyed?.steps ? surveyed.agreement : live?.steps ? live.agreement : null;
      card.querySelector<HTMLElement>('u')!.style.width = `${Math.round((best ?? 0) * 100)}%`;
      card.title = `skill ${k}: argmax q(z|s) = ${k} in ${pct(live?.agreement ?? null)} of ${live?.steps ?? 0} watched states` +
        (surveyed?.steps ? `, ${pct(surveyed.agreement)} of ${surveyed.steps} surveyed states (mean q ${surveyed.meanPosterior?.toFixed(3)})` : '');
    }
  }

  /** The line under the bars: q of the chosen skill, the argmax, and how the last push went. */
  private describe(p: Posterior): void {
    const arg = argmax(p.q), dt = this.scene?.dt ?? 0;
    const lines = [`q(z=${p.skill} | s) ${p.q[p.skill]!.toFixed(3)} · argmax ${arg}${arg === p.skill ? ' ✓' : ''} · chance ${(1 / p.q.length).toFixed(3)}`];
    const u = p.push;
    if (u) {
      const back = u.recovered !== null ? `back ≥ 90% at step ${u.recovered} (+${((u.recovered - u.step) * dt).toFixed(2)} s)` : u.dipped ? 'not back yet' : 'no dip below 90%';
      lines.push(`push at step ${u.step}: ${u.before.toFixed(2)} → ${u.min.toFixed(2)} (step ${u.minStep}), ${back}`);
    }
    $('skill-hud-text').textContent = lines.join('\n');
  }

  /** Bars of q(z|s) over all skills (chance dashed), and q of the playing skill over the last steps with the push marked. */
  draw(): void {
    const c = this.canvas, p = this.posterior;
    const w = (c.width = c.clientWidth || 300), h = (c.height = c.clientHeight || 170);
    const g = c.getContext('2d')!;
    g.clearRect(0, 0, w, h);
    if (!p) return;
    const N = p.q.length, top = 14, barH = Math.round(h * 0.5), gap = N > 40 ? 0 : 1, bw = (w - 8) / N;
    g.font = '10px system-ui'; g.fillStyle = '#5b6677';
    g.fillText(`q(z|s) · orange: playing · outline: argmax · dashes: 1/N`, 4, 10);
    g.fillText(`q(z=${p.skill}|s), last ${TRACE_STEPS} steps · push in red`, 4, top + barH + 18);
    const arg = argmax(p.q);
    p.q.forEach((q, k) => {
      g.fillStyle = k === p.skill ? CHOSEN : OTHER;
      g.fillRect(4 + k * bw + gap, top + barH * (1 - q), Math.max(1, bw - 2 * gap), barH * q);
      if (k === arg) { g.strokeStyle = '#1d2430'; g.lineWidth = 1; g.strokeRect(4 + k * bw + gap + 0.5, top + barH * (1 - q) + 0.5, Math.max(1, bw - 2 * gap) - 1, Math.max(1, barH * q - 1)); }
    });
    g.setLineDash([3, 3]); g.strokeStyle = '#5b6677'; g.beginPath();
    g.moveTo(4, top + barH * (1 - 1 / N)); g.lineTo(w - 4, top + barH * (1 - 1 / N)); g.stroke(); g.setLineDash([]);
    this.drawTrace(g, top + barH + 22, h - 2, w);
    this.drawn++;
  }

  private drawTrace(g: CanvasRenderingContext2D, y0: number, y1: number, w: number): void {
    const n = this.steps.length, p = this.posterior!;
    g.strokeStyle = '#dde3ea'; g.strokeRect(3.5, y0 + 0.5, w - 7, y1 - y0 - 1);
    if (n < 2) return;
    const s0 = this.steps[0]!, span = Math.max(1, this.steps[n - 1]! - s0);
    const X = (s: number) => 4 + ((s - s0) / span) * (w - 8), Y = (q: number) => y1 - 1 - q * (y1 - y0 - 2);
    if (p.push && p.push.step >= s0) {
      g.strokeStyle = PUSH; g.beginPath(); g.moveTo(X(p.push.step), y0); g.lineTo(X(p.push.step), y1); g.stroke();
      g.setLineDash([2, 3]); g.beginPath(); g.moveTo(X(p.push.step), Y(0.9 * p.push.before)); g.lineTo(w - 4, Y(0.9 * p.push.before)); g.stroke(); g.setLineDash([]);
    }
    g.strokeStyle = TRACE; g.lineWidth = 1.5; g.beginPath();
    this.steps.forEach((s, i) => (i === 0 ? g.moveTo(X(s), Y(this.values[i]!)) : g.lineTo(X(s), Y(this.values[i]!))));
    g.stroke(); g.lineWidth = 1;
  }
}

function argmax(q: number[]): number {
  let best = 0;
  for (let k = 1; k < q.length; k++) if (q[k]! > q[best]!) best = k;
  return best;
}
