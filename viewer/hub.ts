// The viewer hub: one shared simulation (play, live or replay) stepped in real time, broadcast to every connected page.
import type { WebSocket } from 'ws';
import { listEnvs } from '../tasks/index.ts';
import { Clients, type Client } from './clients.ts';
import { listPolicies, type PolicyEntry } from './policies.ts';
import { PlaySession } from './play.ts';
import { TrackSession } from './track.ts';
import { MetricsStore, metricsPoint } from './metrics.ts';
import { SweepRunner, type SweepRequest } from './sweep.ts';
import { FLAG_PAUSED, MAX_CLIENT_MESSAGE, PROTOCOL_VERSION, parseClientMessage, type ClientMessage, type MetricsPoint, type ServerMessage } from './protocol.ts';

export type Mode = 'play' | 'live' | 'replay';
type Source = PlaySession | TrackSession;

export interface HubOptions {
  task?: string;
  policy?: string;
  /** Start in live mode, waiting for rollouts from a training run. */
  live?: boolean;
  /** Seed of the first play episode (later episodes count up from it). */
  seed?: number;
  /** Policies offered besides the shipped and scripted ones (e.g. the run being trained), listed first. */
  policies?: PolicyEntry[];
}

/** Wall seconds an ended episode stays on screen before the next one starts. */
const HOLD_MS = 1500;
/** Shortest wall time (ms) between two skill-gallery messages. */
const GALLERY_MS = 500;

export class ViewerHub {
  mode: Mode = 'play';
  paused = false;
  speed = 1;
  status = '';
  private readonly clients = new Clients();
  private play: PlaySession | null = null;
  private replay: TrackSession | null = null;
  private live: TrackSession | null = null;
  private nextLive: TrackSession | null = null;
  private liveEnabled = false;
  private endAt: number | null = null;
  private sceneId = 0;
  private readonly metrics = new MetricsStore();
  private last = performance.now();
  private galleryAt = 0;
  private acc = 0;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly timer: NodeJS.Timeout;
  /** Push sweeps started from a page (one at a time). */
  readonly sweeps = new SweepRunner((status) => this.broadcast(status));

  private constructor(readonly policies: PolicyEntry[], private readonly seed: number) {
    this.timer = setInterval(() => this.tick(), 10);
  }

  /** Builds the hub and its first play session (the default task and policy unless given). */
  static async create(opts: HubOptions = {}): Promise<ViewerHub> {
    const policies = [...(opts.policies ?? []), ...(await listPolicies())];
    const hub = new ViewerHub(policies, opts.seed ?? 0);
    const task = opts.task ?? policies[0]?.task ?? 'half-cheetah';
    try {
      await hub.select(task, opts.policy ?? hub.policiesFor(task)[0]?.name ?? 'zero');
    } catch (err) {
      hub.close();
      throw err;
    }
    if (opts.live) { hub.liveEnabled = true; hub.mode = 'live'; hub.status = 'waiting for the first evaluation rollout'; }
    return hub;
  }

  get viewers(): number {
    return this.clients.size;
  }

  /** The play session (tests and the CLI read the simulation through it). */
  get playSession(): PlaySession | null {
    return this.play;
  }

  private get source(): Source | null {
    return this.mode === 'play' ? this.play : this.mode === 'replay' ? this.replay : this.live;
  }

  policiesFor(task: string): PolicyEntry[] {
    return this.policies.filter((p) => p.task === task);
  }

  /** Serves a new page connection: sends the current state, then handles its messages. */
  attach(ws: WebSocket): void {
    const client = this.clients.add(ws);
    ws.on('message', (data, isBinary) => this.receive(client, data as Buffer, isBinary));
    ws.on('close', () => { this.clients.delete(client); this.broadcastState(); });
    ws.on('error', () => this.clients.delete(client));
    const tasks = listEnvs().map((e) => ({ id: e.id, summary: e.summary }));
    const policies = this.policies.map(({ name, task, description }) => ({ name, task, description }));
    this.send(client, { type: 'hello', version: PROTOCOL_VERSION, tasks, policies, modes: this.modes() });
    this.send(client, this.sceneMessage());
    if (this.metrics.points.length > 0) this.send(client, this.metrics.snapshot());
    if (this.sweeps.status) this.send(client, this.sweeps.status);
    this.broadcastState();
    this.sendFrame(client);
  }

  /** Validates one raw message and acts on it; every failure is answered with an error, never thrown. */
  private receive(client: Client, data: Buffer, isBinary: boolean): void {
    if (isBinary) return this.send(client, { type: 'error', message: 'binary messages are not accepted; send JSON text' });
    if (data.length > MAX_CLIENT_MESSAGE) return this.send(client, { type: 'error', message: `message of ${data.length} bytes exceeds the ${MAX_CLIENT_MESSAGE}-byte limit` });
    const parsed = parseClientMessage(data.toString('utf8'));
    if (!parsed.ok) return this.send(client, { type: 'error', message: parsed.error });
    const msg = parsed.msg;
    const bucket = msg.type === 'drag' || msg.type === 'kick' || msg.type === 'select' ? client.limits[msg.type] : null;
    if (!client.limits.any.take() || (bucket && !bucket.take())) return this.send(client, { type: 'error', message: `rate limit: too many '${msg.type}' messages`, ref: msg.type });
    try {
      const done = this.handle(msg, client);
      if (done) done.catch((err: Error) => this.send(client, { type: 'error', message: err.message, ref: msg.type }));
    } catch (err) {
      this.send(client, { type: 'error', message: (err as Error).message, ref: msg.type });
    }
  }

  private handle(msg: ClientMessage, client: Client): Promise<void> | void {
    switch (msg.type) {
      case 'select': return this.select(msg.task, msg.policy);
      case 'mode': return this.setMode(msg.mode);
      case 'pause': this.paused = msg.paused; this.acc = 0; return this.broadcastState();
      case 'speed': this.speed = msg.speed; return this.broadcastState();
      case 'step': this.advance(this.need(this.source, 'nothing to step')); return this.broadcastFrame();
      case 'reset': return this.resetSource();
      case 'seek': this.need(this.track, 'seek works in replay and live modes').seek(msg.step); this.endAt = null; return this.broadcastFrame();
      case 'drag': return this.needPlay().drag(msg.body, msg.local, msg.target);
      case 'release': return this.needPlay().release();
      case 'kick': return this.needPlay().kick(msg.body, msg.impulse);
      case 'goal': this.needPlay().setGoal(msg.goal); return this.broadcastFrame();
      case 'skill': this.needPlay().skill = msg.skill; this.broadcastState(); return this.broadcastPosterior();
      case 'recording': return this.send(client, { type: 'recording', recording: this.needPlay().recording() });
      case 'sweep-start': return this.startSweep(msg);
      case 'sweep-stop': return this.sweeps.stop();
      case 'sweep-replay': return this.loadReplay(this.sweeps.failure(msg.index));
      case 'skill-survey': return this.needPlay().startSurvey(msg.steps);
      case 'skill-survey-stop': return this.needPlay().survey?.stop();
    }
  }

  /** A push sweep of the play mode's task and policy (viewer/sweep.ts); its progress is broadcast. */
  private startSweep(req: SweepRequest): Promise<void> {
    const play = this.need(this.play, 'no simulation is running');
    const entry = this.policiesFor(play.task).find((p) => p.name === play.policyName);
    if (!entry) throw new Error(`policy '${play.policyName}' is not in the list`);
    return this.sweeps.start(play.task, entry, req);
  }

  /** Play mode on `task` with the named policy; replaces the current play session. */
  select(task: string, policy: string): Promise<void> {
    const run = async () => {
      const entry = this.policiesFor(task).find((p) => p.name === policy);
      if (!entry) {
        const names = this.policiesFor(task).map((p) => p.name).join(', ') || 'none';
        throw new Error(`no policy '${policy}' for task '${task}' (available: ${names})`);
      }
      const session = await PlaySession.create(task, entry, this.seed);
      this.play?.close();
      this.play = session;
      this.mode = 'play';
      this.status = '';
      this.announce();
    };
    const next = this.queue.then(run, run);
    this.queue = next.catch(() => undefined);
    return next;
  }

  private setMode(mode: Mode): void {
    if (mode === 'replay' && !this.replay) throw new Error('no recording loaded: start with `paddock view --replay <file>`');
    if (mode === 'live' && !this.liveEnabled) throw new Error('no training run is streaming: start the viewer with --run <dir> (or from a training process)');
    this.mode = mode;
    this.endAt = null;
    this.announce();
  }

  /** Shows a recorded episode in replay mode (validated and re-simulated first). */
  async loadReplay(recording: unknown): Promise<void> {
    this.replay = await TrackSession.create(recording);
    this.mode = 'replay';
    this.announce();
  }

  /** Queues an evaluation rollout of a training run for live mode; it starts when the current one ends. */
  async publishRollout(recording: unknown): Promise<void> {
    const track = await TrackSession.create(recording);
    this.liveEnabled = true;
    if (this.live && !this.live.atEnd) { this.nextLive = track; return; }
    this.live = track;
    if (this.mode === 'live') { this.status = ''; this.announce(); }
  }

  /** Adds a metrics.jsonl row (validated; bad rows are refused with an error). */
  publishMetrics(row: unknown): void {
    const p = metricsPoint(row);
    if (!p) throw new Error('metrics row needs integer env_steps ≥ 0 and time_s ≥ 0');
    this.addMetrics([p], false, this.metrics.source || 'training run');
  }

  /** Appends (or, with `reset`, replaces) learning-curve points and sends them to every page. */
  addMetrics(points: MetricsPoint[], reset: boolean, source: string): void {
    this.broadcast(this.metrics.add(points, reset, source));
  }

  close(): void {
    clearInterval(this.timer);
    this.sweeps.stop();
    this.clients.closeAll(1001, 'viewer closing');
    this.play?.close();
    this.play = null;
  }

  private get track(): TrackSession | null {
    return this.mode === 'play' ? null : this.source as TrackSession | null;
  }

  private modes(): Mode[] {
    return ['play', ...(this.liveEnabled ? ['live' as const] : []), ...(this.replay ? ['replay' as const] : [])];
  }

  /** Real-time loop: steps the active source by wall time × speed (idle when nobody watches). */
  private tick(): void {
    const now = performance.now();
    const wall = Math.min(0.25, (now - this.last) / 1000);
    this.last = now;
    const src = this.source;
    if (!src || this.clients.size === 0) return;
    if (this.play?.galleryDirty && now - this.galleryAt >= GALLERY_MS) this.broadcastGallery(now);
    try {
      if (this.restartIfHeld(src, now)) return;
      if (this.paused) return;
      this.acc += wall * this.speed;
      let n = 0;
      while (this.acc >= src.scene.dt && n < 8) { this.acc -= src.scene.dt; n++; this.advance(src); }
      if (n === 8) this.acc = 0;
      if (n > 0) this.broadcastFrame();
    } catch (err) {
      this.paused = true;
      this.status = `stopped: ${(err as Error).message}`;
      this.broadcast({ type: 'error', message: this.status });
      this.broadcastState();
    }
  }

  private advance(src: Source): void {
    if (src instanceof PlaySession) return src.step();
    src.advance();
    if (src.atEnd && this.endAt === null) this.endAt = performance.now();
  }

  /** After an ended episode has been shown for a moment (not while paused): reset (play), loop (replay) or take the next rollout (live). */
  private restartIfHeld(src: Source, now: number): boolean {
    if (this.paused) return false;
    if (src instanceof PlaySession) {
      if (src.doneAt === null || Date.now() - src.doneAt < HOLD_MS) return false;
      src.reset();
    } else {
      if (this.endAt === null || now - this.endAt < HOLD_MS) return false;
      this.endAt = null;
      if (this.mode === 'live' && this.nextLive) { this.live = this.nextLive; this.nextLive = null; this.announce(); return true; }
      src.seek(0);
    }
    this.broadcastFrame();
    return true;
  }

  private resetSource(): void {
    const src = this.need(this.source, 'nothing to reset');
    if (src instanceof PlaySession) src.reset();
    else src.seek(0);
    this.endAt = null;
    this.broadcastFrame();
  }

  private needPlay(): PlaySession {
    if (this.mode !== 'play') throw new Error('pushes, goals and skills work in play mode');
    return this.need(this.play, 'no simulation is running');
  }

  private need<T>(value: T | null, message: string): T {
    if (value === null) throw new Error(message);
    return value;
  }

  /** A new scene for everyone (mode, task or rollout changed), then the state and a frame. */
  private announce(): void {
    this.sceneId++;
    this.acc = 0;
    this.broadcast(this.sceneMessage());
    this.broadcastState();
    this.broadcastFrame();
    if (this.mode === 'play') this.broadcastGallery(performance.now());
  }

  /** The skill gallery's scores, to every page (play mode, skill policies with a posterior). */
  private broadcastGallery(now: number): void {
    const msg = this.mode === 'play' ? this.play?.gallery(this.sceneId) : null;
    if (!msg) return;
    this.play!.galleryDirty = false;
    this.galleryAt = now;
    this.broadcast(msg);
  }

  private sceneMessage(): ServerMessage {
    const src = this.source;
    const base = { type: 'scene' as const, id: this.sceneId, mode: this.mode };
    if (!src) return { ...base, task: '', policy: '', bodies: [], follow: null, terms: [], dt: 0.05, goal: null, skills: null, posterior: null, steps: null };
    const play = src instanceof PlaySession;
    return {
      ...base, task: src.task, policy: src.policyName, ...src.scene,
      skills: play ? src.driver.skills : null, posterior: play ? src.posteriorInfo : null, steps: play ? null : src.steps,
    };
  }

  private broadcastState(): void {
    const skill = this.play?.skill ?? 0;
    this.broadcast({ type: 'state', mode: this.mode, paused: this.paused, speed: this.speed, skill, status: this.status, viewers: this.clients.size });
  }

  private frame(): Float32Array | null {
    const src = this.source;
    return src ? src.writeFrame(this.sceneId, this.paused ? FLAG_PAUSED : 0, this.speed) : null;
  }

  /** The pose frame to every page, and in play mode with a skill posterior the posterior of the same step. */
  private broadcastFrame(): void {
    const f = this.frame();
    if (!f) return;
    this.clients.broadcastFrame(f.slice(), (this.mode === 'play' && this.play?.posterior?.message(this.sceneId, true)) || null);
  }

  /** The current frame (and posterior and gallery) to a page that just connected. */
  private sendFrame(client: Client): void {
    const f = this.frame();
    if (f) client.ws.send(f.slice());
    const extra = this.mode === 'play' ? [this.play?.posterior?.message(this.sceneId, false), this.play?.gallery(this.sceneId)] : [];
    for (const m of extra) if (m) this.send(client, m);
  }

  /** The posterior alone (a new skill was picked, perhaps while paused). */
  private broadcastPosterior(): void {
    const m = this.mode === 'play' ? this.play?.posterior?.message(this.sceneId, true) : undefined;
    if (m) this.broadcast(m);
  }

  private broadcast(msg: ServerMessage): void {
    this.clients.broadcast(msg);
  }

  private send(client: Client, msg: ServerMessage): void {
    this.clients.send(client, msg);
  }
}
