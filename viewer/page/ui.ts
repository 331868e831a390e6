// The control panel and HUD: mode tabs, task and policy pickers, pause/step/reset/speed, kick and goal controls, replay scrubber (skills: skills.ts).
import { F, FLAG_DONE, FLAG_PAUSED, frameSections, type ClientMessage, type Scene, type ServerMessage } from '../protocol.ts';

type Send = (msg: ClientMessage) => void;
type Hello = Extract<ServerMessage, { type: 'hello' }>;
type State = Extract<ServerMessage, { type: 'state' }>;

const $ = <T extends HTMLElement>(id: string): T => document.getElementById(id) as T;

export class Panel {
  hello: Hello | null = null;
  scene: Scene | null = null;
  state: State | null = null;
  /** The body kicks go to (the page's last grabbed body, else the followed one). */
  kickBody: number | null = null;
  private scrubbing = false;
  private readonly hud = $<HTMLDivElement>('hud');
  private readonly status = $<HTMLDivElement>('status');
  private statusTimer = 0;

  constructor(private readonly send: Send) {
    $('pause').onclick = () => this.togglePause();
    $('step').onclick = () => send({ type: 'step' });
    $('reset').onclick = () => send({ type: 'reset' });
    $<HTMLSelectElement>('speed').onchange = (e) => send({ type: 'speed', speed: Number((e.target as HTMLSelectElement).value) });
    $<HTMLSelectElement>('task').onchange = () => this.selectTask();
    $<HTMLSelectElement>('policy').onchange = (e) => send({ type: 'select', task: $<HTMLSelectElement>('task').value, policy: (e.target as HTMLSelectElement).value });
    $<HTMLInputElement>('kick-size').oninput = () => { $('kick-size-value').textContent = `${$<HTMLInputElement>('kick-size').value} N·s`; };
    $('kick').onclick = () => this.kick();
    $('download').onclick = () => send({ type: 'recording' });
    const scrub = $<HTMLInputElement>('scrub');
    scrub.oninput = () => { this.scrubbing = true; send({ type: 'seek', step: Number(scrub.value) }); };
    scrub.onchange = () => { this.scrubbing = false; };
    for (const b of document.querySelectorAll<HTMLButtonElement>('#modes button')) b.onclick = () => send({ type: 'mode', mode: b.dataset.mode as 'play' });
    window.addEventListener('keydown', (e) => this.key(e));
  }

  togglePause(): void {
    this.send({ type: 'pause', paused: !(this.state?.paused ?? false) });
  }

  setHello(h: Hello): void {
    this.hello = h;
    $<HTMLSelectElement>('task').replaceChildren(...h.tasks.map((t) => new Option(t.id, t.id)));
    this.refreshModes();
  }

  setScene(s: Scene): void {
    this.scene = s;
    this.kickBody = s.follow ?? s.bodies.findIndex((b) => b.movable);
    if (this.kickBody < 0) this.kickBody = null;
    const play = s.mode === 'play';
    if (play && s.task) {
      $<HTMLSelectElement>('task').value = s.task;
      this.fillPolicies(s.task, s.policy);
    }
    $('play-controls').hidden = !play;
    $('kick-controls').hidden = !play || this.kickBody === null;
    $('replay-controls').hidden = play;
    $<HTMLInputElement>('scrub').max = String(s.steps ?? 0);
    $('download').hidden = !play;
    $('follow').parentElement!.hidden = s.follow === null;
    this.buildGoal(s);
    this.showKickBody();
    this.refreshModes();
  }

  setState(st: State): void {
    this.state = st;
    $('pause').textContent = st.paused ? 'Resume' : 'Pause';
    $<HTMLSelectElement>('speed').value = String(st.speed);
    if (st.status) this.showStatus(st.status, false, 0);
    else if (!this.status.classList.contains('error')) this.status.classList.remove('show');
    this.refreshModes();
  }

  selectBody(b: number): void {
    this.kickBody = b;
    this.showKickBody();
  }

  /** Shows a message in the corner; errors stay 6 s, notes until replaced (ms = 0). */
  showStatus(text: string, error: boolean, ms = 6000): void {
    this.status.textContent = text;
    this.status.classList.toggle('error', error);
    this.status.classList.add('show');
    clearTimeout(this.statusTimer);
    if (ms > 0) this.statusTimer = window.setTimeout(() => this.status.classList.remove('show', 'error'), ms);
  }

  /** Updates the HUD and scrubber from a pose frame. */
  frame(f: Float32Array, fps: number): void {
    const s = this.scene;
    if (!s) return;
    const sec = frameSections(f[F.nbodies]!, f[F.nterms]!, f[F.ngoal]!);
    const flags = f[F.flags]!;
    const lines = [
      `${s.mode} · ${s.task || '—'} · ${s.policy || '—'}${flags & FLAG_PAUSED ? ' · paused' : ''}${flags & FLAG_DONE ? ' · episode over' : ''}`,
      `step ${f[F.step]!.toFixed(0).padStart(5)}${s.steps !== null ? ` / ${s.steps}` : ''}   t ${f[F.time]!.toFixed(2)} s   speed ×${f[F.speed]}`,
      `return ${f[F.ret]!.toFixed(2).padStart(9)}   reward ${f[F.reward]!.toFixed(3)}`,
      ...s.terms.map((t, k) => `  ${t.padEnd(14)}${f[sec.terms + k]!.toFixed(3).padStart(9)}`),
    ];
    if (s.goal) lines.push(`goal ${fmtVec(f, sec.goal, s.goal.dim)}  achieved ${fmtVec(f, sec.achieved, s.goal.dim)} ${s.goal.unit}`);
    const force = Math.hypot(f[F.force]!, f[F.force + 1]!, f[F.force + 2]!);
    if (force > 0) lines.push(`drag force ${force.toFixed(1)} N`);
    lines.push(`${fps.toFixed(0)} fps · ${this.state?.viewers ?? 1} viewer(s)`);
    this.hud.textContent = lines.join('\n');
    if (!this.scrubbing) $<HTMLInputElement>('scrub').value = String(f[F.step]);
    this.syncGoalSliders(f, sec.goal);
  }

  private refreshModes(): void {
    const modes = this.hello?.modes ?? ['play'];
    const current = this.state?.mode ?? this.scene?.mode;
    for (const b of document.querySelectorAll<HTMLButtonElement>('#modes button')) {
      b.disabled = !modes.includes(b.dataset.mode as 'play');
      b.classList.toggle('active', b.dataset.mode === current);
    }
  }

  private selectTask(): void {
    const task = $<HTMLSelectElement>('task').value;
    const first = this.hello?.policies.find((p) => p.task === task);
    if (first) this.send({ type: 'select', task, policy: first.name });
  }

  private fillPolicies(task: string, chosen: string): void {
    const list = this.hello?.policies.filter((p) => p.task === task) ?? [];
    const sel = $<HTMLSelectElement>('policy');
    sel.replaceChildren(...list.map((p) => new Option(p.name, p.name)));
    sel.value = chosen;
    $('policy-about').textContent = list.find((p) => p.name === chosen)?.description ?? '';
  }

  private kick(): void {
    if (this.kickBody === null) return;
    const size = Number($<HTMLInputElement>('kick-size').value);
    const dir = $<HTMLSelectElement>('kick-dir').value.split(',').map(Number);
    this.send({ type: 'kick', body: this.kickBody, impulse: [dir[0]! * size, dir[1]! * size, dir[2]! * size] });
  }

  private showKickBody(): void {
    const name = this.kickBody !== null ? this.scene?.bodies[this.kickBody]?.name : undefined;
    $('kick-body').textContent = name ? `the ${name}` : '';
  }

  private buildGoal(s: Scene): void {
    const g = s.goal;
    $('goal-controls').hidden = !g || s.mode !== 'play';
    const box = $('goal-sliders');
    box.replaceChildren();
    if (!g) return;
    $('goal-about').textContent = g.kind === 'point' ? 'Drag the red marker in the view, or use the sliders.' : `Set the desired ${g.label} (${g.unit}).`;
    for (let i = 0; i < g.dim; i++) {
      const input = Object.assign(document.createElement('input'), { type: 'range', min: String(g.low[i]), max: String(g.high[i]), step: 'any', id: `goal-${i}` });
      input.oninput = () => this.sendGoalFromSliders();
      const label = document.createElement('label');
      label.append(`${g.label}${g.dim > 1 ? `[${'xyz'[i] ?? i}]` : ''} `, input);
      box.append(label);
    }
  }

  private sendGoalFromSliders(): void {
    const g = this.scene?.goal;
    if (!g) return;
    const goal = Array.from({ length: g.dim }, (_, i) => Number($<HTMLInputElement>(`goal-${i}`).value));
    this.send({ type: 'goal', goal });
  }

  private syncGoalSliders(f: Float32Array, at: number): void {
    const g = this.scene?.goal;
    if (!g) return;
    for (let i = 0; i < g.dim; i++) {
      const input = document.getElementById(`goal-${i}`) as HTMLInputElement | null;
      if (input && document.activeElement !== input) input.value = String(f[at + i]);
    }
  }

  private key(e: KeyboardEvent): void {
    if ((e.target as HTMLElement).closest('select, input')) return;
    if (e.key === ' ') { e.preventDefault(); this.togglePause(); }
    else if (e.key === 'ArrowRight') this.send({ type: 'step' });
    else if (e.key === 'r' || e.key === 'R') this.send({ type: 'reset' });
  }
}

function fmtVec(f: Float32Array, at: number, n: number): string {
  return Array.from(f.subarray(at, at + n), (v) => v.toFixed(3)).join(', ');
}
