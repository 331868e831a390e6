// Viewer page entry: connects to the server's WebSocket, validates what arrives, and wires the 3-D view, gestures, panel, charts and skill gallery.
import { checkFrame, parseServerMessage, type ClientMessage, type ServerMessage } from '../protocol.ts';
import { SceneView } from './render.ts';
import { Gestures } from './input.ts';
import { Panel } from './ui.ts';
import { Chart } from './chart.ts';
import { SweepPanel } from './sweep.ts';
import { SkillGallery } from './skills.ts';

/** What the page exposes for browser tests and debugging (read-only use). */
export interface PageHooks {
  connected: boolean;
  view: SceneView;
  panel: Panel;
  chart: Chart;
  sweep: SweepPanel;
  skills: SkillGallery;
  gestures: Gestures;
  errors: string[];
  send(msg: ClientMessage): void;
  project(body: number | 'goal' | 'ghost'): { x: number; y: number } | null;
}

const view = new SceneView(document.getElementById('view') as HTMLCanvasElement);
let socket: WebSocket | null = null;
const errors: string[] = [];

function send(msg: ClientMessage): void {
  if (socket?.readyState === WebSocket.OPEN) socket.send(JSON.stringify(msg));
}

const panel = new Panel(send);
const chart = new Chart(document.getElementById('chart') as HTMLCanvasElement, document.getElementById('metric') as HTMLSelectElement, document.getElementById('curve-about')!);
const sweep = new SweepPanel(send);
const skills = new SkillGallery(send);
const gestures = new Gestures(view, send, (b) => panel.selectBody(b));
const hooks: PageHooks = { connected: false, view, panel, chart, sweep, skills, gestures, errors, send, project: (b) => view.project(b) };
(window as unknown as { paddock: PageHooks }).paddock = hooks;

document.getElementById('follow')!.addEventListener('change', (e) => { view.follow = (e.target as HTMLInputElement).checked; });

function onServerMessage(msg: ServerMessage): void {
  switch (msg.type) {
    case 'hello': return panel.setHello(msg);
    case 'scene': view.build(msg); sweep.setTask(msg.task, msg.mode === 'play'); skills.setScene(msg); return panel.setScene(msg);
    case 'state': skills.setChosen(msg.skill); return panel.setState(msg);
    case 'metrics': return chart.add(msg.points, msg.reset, msg.source);
    case 'error': errors.push(msg.message); return panel.showStatus(msg.message, true);
    case 'recording': return download(msg.recording);
    case 'sweep': return sweep.update(msg);
    case 'posterior': return skills.update(msg);
    case 'gallery': return skills.setGallery(msg);
  }
}

function download(recording: unknown): void {
  const blob = new Blob([JSON.stringify(recording)], { type: 'application/json' });
  const a = Object.assign(document.createElement('a'), { href: URL.createObjectURL(blob), download: `paddock-${panel.scene?.task ?? 'episode'}-${Date.now()}.json` });
  a.click();
  setTimeout(() => URL.revokeObjectURL(a.href), 1000);
}

function onData(data: unknown): void {
  if (typeof data === 'string') {
    const parsed = parseServerMessage(data);
    if (parsed.ok) onServerMessage(parsed.msg);
    else errors.push(`bad server message: ${parsed.error}`);
    return;
  }
  const f = new Float32Array(data as ArrayBuffer);
  const problem = checkFrame(f);
  if (problem) { errors.push(`bad frame: ${problem}`); return; }
  view.pushFrame(f);
  panel.frame(f, fps);
}

/** Connects (and reconnects with a growing delay when the server goes away). */
function connect(delay = 500): void {
  const ws = new WebSocket(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`);
  ws.binaryType = 'arraybuffer';
  ws.onopen = () => { hooks.connected = true; delay = 500; panel.showStatus('connected', false, 1500); };
  ws.onmessage = (e) => onData(e.data);
  ws.onclose = () => {
    hooks.connected = false;
    panel.showStatus('disconnected from the viewer server; retrying…', true, 0);
    setTimeout(() => connect(Math.min(8000, delay * 2)), delay);
  };
  socket = ws;
}

let fps = 0;
let last = performance.now();
function loop(): void {
  const now = performance.now();
  fps = fps * 0.95 + (1000 / Math.max(1, now - last)) * 0.05;
  last = now;
  view.draw();
  requestAnimationFrame(loop);
}

connect();
requestAnimationFrame(loop);
