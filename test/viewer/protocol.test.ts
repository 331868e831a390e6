// Viewer protocol: every message type round-trips through its zod schema, bad messages are refused naming the field, frames check their shape.
import { describe, expect, it } from 'vitest';
import {
  ClientMessageSchema, ServerMessageSchema, checkFrame, parseClientMessage, parseServerMessage, frameLength, FRAME_MAGIC, F,
  MAX_CLIENT_MESSAGE, type ClientMessage, type ServerMessage,
} from '../../viewer/protocol.ts';
import { PlaySession } from '../../viewer/play.ts';
import { scriptedPolicies } from '../../viewer/policies.ts';
import { makeEnv } from '../../tasks/index.ts';
import { describeScene } from '../../viewer/scene.ts';

const CLIENT_EXAMPLES: ClientMessage[] = [
  { type: 'select', task: 'quadruped', policy: 'random' },
  { type: 'mode', mode: 'replay' },
  { type: 'pause', paused: true },
  { type: 'step' },
  { type: 'reset' },
  { type: 'speed', speed: 0.25 },
  { type: 'drag', body: 1, local: [0.1, 0, -0.02], target: [1, 2, 0.5] },
  { type: 'release' },
  { type: 'kick', body: 3, impulse: [10, 0, 5] },
  { type: 'goal', goal: [0.4, 0.1, 0.6] },
  { type: 'skill', skill: 3 },
  { type: 'seek', step: 120 },
  { type: 'recording' },
  { type: 'sweep-start', impulses: [0, 20, 40], directions: 8, trials: 10, seed: 1, action: 'mean', perKg: false },
  { type: 'sweep-stop' },
  { type: 'sweep-replay', index: 2 },
  { type: 'skill-survey', steps: 200 },
  { type: 'skill-survey-stop' },
];

function typesOf(schema: { options: readonly { shape: { type: { value: string } } }[] }): string[] {
  return schema.options.map((o) => o.shape.type.value).sort();
}

async function serverExamples(): Promise<ServerMessage[]> {
  const env = await makeEnv('half-cheetah', {});
  const scene = describeScene(env);
  env.close();
  return [
    { type: 'hello', version: 1, tasks: [{ id: 'half-cheetah', summary: 'runs' }], policies: [{ name: 'zero', task: 'half-cheetah', description: 'd' }], modes: ['play', 'live'] },
    { type: 'scene', id: 4, mode: 'play', task: 'half-cheetah', policy: 'zero', ...scene, skills: 3, posterior: { available: true, note: 'q(z|s) over 3 skills' }, steps: null },
    { type: 'state', mode: 'play', paused: false, speed: 2, skill: 0, status: '', viewers: 2 },
    { type: 'metrics', reset: true, source: 'runs/x', points: [{ env_steps: 1000, time_s: 3.5, values: { 'eval/return_mean': 12.5 } }] },
    { type: 'recording', recording: { format: 'paddock-recording' } },
    { type: 'error', message: 'nope', ref: 'kick' },
    {
      type: 'sweep', state: 'running', task: 'half-cheetah', policy: 'zero', unit: 'N·s', done: 3, total: 12,
      points: [{ impulse: 20, trials: 1, failures: 0, survival: 1, low: 0.2, high: 1 }], failures: [{ impulse: 40, trial: 0, direction: 90 }], message: 'upside down',
    },
    {
      type: 'posterior', scene: 4, step: 31, skill: 1, q: [0.2, 0.7, 0.1], trace: [0.65, 0.7],
      push: { step: 20, before: 0.8, min: 0.3, minStep: 24, recovered: 30, dipped: true },
    },
    {
      type: 'gallery', scene: 4, skills: 3,
      live: [{ steps: 0, agreement: null, meanPosterior: null }, { steps: 31, agreement: 0.9, meanPosterior: 0.71 }, { steps: 0, agreement: null, meanPosterior: null }],
      survey: { state: 'running', steps: 100, done: 1, scores: [{ steps: 100, agreement: 0.5, meanPosterior: 0.4 }, { steps: 0, agreement: null, meanPosterior: null }, { steps: 0, agreement: null, meanPosterior: null }], message: 'seed 0' },
    },
  ];
}

describe('viewer protocol', () => {
  it('every client message type round-trips', () => {
    expect(CLIENT_EXAMPLES.map((m) => m.type).sort()).toEqual(typesOf(ClientMessageSchema as never));
    for (const msg of CLIENT_EXAMPLES) {
      const parsed = parseClientMessage(JSON.stringify(msg));
      expect(parsed).toEqual({ ok: true, msg });
    }
  });

  it('every server message type round-trips', async () => {
    const examples = await serverExamples();
    expect(examples.map((m) => m.type).sort()).toEqual(typesOf(ServerMessageSchema as never));
    for (const msg of examples) expect(parseServerMessage(JSON.stringify(msg))).toEqual({ ok: true, msg: JSON.parse(JSON.stringify(msg)) });
  });

  it('refuses malformed client messages, naming the field', () => {
    const bad: [string, RegExp][] = [
      ['not json', /not valid JSON/],
      ['[]', /expected object|Invalid input/i],
      [JSON.stringify({ type: 'fly' }), /type/],
      [JSON.stringify({ type: 'speed', speed: 10 }), /^speed:/],
      [JSON.stringify({ type: 'speed', speed: '2' }), /^speed:/],
      [JSON.stringify({ type: 'drag', body: 1, target: [0, 0] }), /^target/],
      [JSON.stringify({ type: 'drag', body: 0, target: [0, 0, 1] }), /^body:/],
      [JSON.stringify({ type: 'kick', body: 1, impulse: [1e6, 0, 0] }), /^impulse: impulse must be at most 500/],
      [JSON.stringify({ type: 'pause', paused: true, extra: 1 }), /extra|Unrecognized/i],
      [JSON.stringify({ type: 'goal', goal: [] }), /^goal:/],
      ['{"type":"goal","goal":[1e999,0,0]}', /^goal\.0:/],
      [' '.repeat(MAX_CLIENT_MESSAGE + 1), /exceeds the 65536 limit/],
      [JSON.stringify({ type: 'skill-survey', steps: 5 }), /^steps:/],
      [JSON.stringify({ type: 'skill-survey', steps: 100.5 }), /^steps:/],
      [JSON.stringify({ type: 'skill-survey' }), /^steps:/],
      [JSON.stringify({ type: 'skill-survey-stop', now: true }), /now|Unrecognized/i],
    ];
    for (const [text, error] of bad) {
      const parsed = parseClientMessage(text);
      expect(parsed.ok, text.slice(0, 60)).toBe(false);
      if (!parsed.ok) expect(parsed.error, text.slice(0, 60)).toMatch(error);
    }
  });

  it('refuses malformed posterior, gallery and hinge-goal messages from the server, naming the field', async () => {
    const [, scene, , , , , , posterior, gallery] = await serverExamples();
    const bad: [unknown, RegExp][] = [
      [{ ...posterior, q: [0.5, 1.5] }, /^q\.1:/],
      [{ ...posterior, skill: 3 }, /^skill: skill must index q/],
      [{ ...posterior, q: [1] }, /^q:/],
      [{ ...posterior, trace: Array(65).fill(0.5) }, /^trace:/],
      [{ ...posterior, push: { step: 1 } }, /^push\./],
      [{ ...gallery, live: [] }, /^live: one score per skill/],
      [{ ...gallery, survey: { ...(gallery as { survey: object }).survey, state: 'paused' } }, /^survey\.state:/],
      [{ ...gallery, live: [{ steps: 1, agreement: 2, meanPosterior: 0 }, ...(gallery as { live: unknown[] }).live.slice(1)] }, /^live\.0\.agreement:/],
      [{ ...scene, posterior: { available: 'yes', note: '' } }, /^posterior\.available:/],
      [{ ...scene, goal: { dim: 1, kind: 'value', unit: 'rad', label: 'door', low: [0], high: [1], hinge: { body: 0, anchor: [0, 0, 0], axis: [0, 0, 1], pos: [0, 0, 0], quat: [1, 0, 0, 0], ref: 0 } } }, /^goal\.hinge\.body:/],
    ];
    for (const [msg, error] of bad) {
      const parsed = parseServerMessage(JSON.stringify(msg));
      expect(parsed.ok, JSON.stringify(msg).slice(0, 80)).toBe(false);
      if (!parsed.ok) expect(parsed.error, JSON.stringify(msg).slice(0, 80)).toMatch(error);
    }
  });

  it('pose frames carry their shape; wrong ones are detected', async () => {
    const entry = scriptedPolicies().find((p) => p.task === 'quadruped' && p.name === 'random')!;
    const play = await PlaySession.create('quadruped', entry, 1);
    play.step();
    const f = play.writeFrame(7, 0, 1);
    const nb = play.scene.bodies.length;
    expect(f.length).toBe(frameLength(nb, 4, 0));
    expect(checkFrame(f)).toBeNull();
    expect([f[F.magic], f[F.scene], f[F.step], f[F.nbodies], f[F.nterms]]).toEqual([FRAME_MAGIC, 7, 1, nb, 4]);
    expect(checkFrame(f.subarray(0, f.length - 1))).toMatch(/does not match/);
    const wrong = f.slice();
    wrong[F.magic] = 1;
    expect(checkFrame(wrong)).toMatch(/magic/);
    expect(checkFrame(new Float32Array(3))).toMatch(/shorter/);
    play.close();
  });
});
