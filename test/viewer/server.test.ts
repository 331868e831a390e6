// Viewer server: streaming to several pages, 10k fuzzed messages, origin and size checks, push rate limits, drag through the wire.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from 'node:http';
import { startViewer, type ViewerHandle } from '../../viewer/server.ts';
import { F, FLAG_DRAGGING, MAX_WS_PAYLOAD, frameSections } from '../../viewer/protocol.ts';
import { Rng } from '../../sim/rng.ts';
import { TestClient } from './client.ts';

let viewer: ViewerHandle;

beforeAll(async () => {
  viewer = await startViewer({ port: 0, build: false, task: 'half-cheetah', policy: 'zero' });
});
afterAll(async () => {
  await viewer?.close();
});

function httpStatus(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    request(url, (res) => { res.resume(); resolve(res.statusCode ?? 0); }).on('error', reject).end();
  });
}

/** World position (m) of the torso (model body 1) in a pose frame. */
function torso(f: Float32Array): [number, number, number] {
  const at = frameSections(f[F.nbodies]!, f[F.nterms]!, f[F.ngoal]!).bodies + 7;
  return [f[at]!, f[at + 1]!, f[at + 2]!];
}

/** A random message of one of several bad kinds (garbage text, binary, wrong types, huge, nested, unknown). */
function fuzzMessage(rng: Rng, i: number): string | Buffer {
  const kinds = [
    () => Buffer.from(Array.from({ length: 1 + (rng.nextU32() % 64) }, () => rng.nextU32() & 255)),
    () => String.fromCharCode(...Array.from({ length: 1 + (rng.nextU32() % 40) }, () => rng.nextU32() % 0xd7ff)),
    () => JSON.stringify({ type: ['drag', 'kick', 'speed', 'goal', 'select', 'seek', 'skill', 'skill-survey', 'skill-survey-stop'][i % 9], body: 'torso', speed: 'fast', goal: {}, target: [1, 2], step: -1, skill: -1, steps: 'many' }),
    () => JSON.stringify({ type: `t${rng.nextU32()}`, x: rng.uniform() }),
    () => JSON.stringify({ type: 'select', task: 'x'.repeat(70_000), policy: 'zero' }),
    () => '['.repeat(5000) + ']'.repeat(5000),
    () => JSON.stringify([null, 1, 'pause']),
    () => JSON.stringify({ type: 'kick', body: 1, impulse: [NaN, 1, 1] }).replace('null', '"NaN"'),
  ];
  return kinds[rng.nextU32() % kinds.length]!();
}

describe('viewer server', () => {
  it('greets a page with hello, scene and state, then streams pose frames to every viewer', async () => {
    const a = await TestClient.connect(viewer.url);
    const b = await TestClient.connect(viewer.url);
    await a.until(() => a.frames.length > 5, 5000, 'frames on a');
    await b.until(() => b.frames.length > 5, 5000, 'frames on b');
    expect(a.messages.slice(0, 3).map((m) => m.type)).toEqual(['hello', 'scene', 'state']);
    const scene = a.of('scene')[0]!;
    expect(scene).toMatchObject({ task: 'half-cheetah', policy: 'zero', follow: 1, terms: ['forward', 'ctrl_cost'] });
    expect(scene.bodies[1]).toMatchObject({ name: 'torso', movable: true });
    expect(a.of('hello')[0]!.policies.some((p) => p.task === 'half-cheetah' && p.name === 'sine-gait')).toBe(true);
    const steps = a.frames.map((f) => f[F.step]!);
    expect(steps.at(-1)!).toBeGreaterThan(steps[0]!);
    b.send({ type: 'pause', paused: true });
    await a.until(() => a.of('state').some((s) => s.paused), 3000, 'pause seen by the other viewer');
    b.send({ type: 'pause', paused: false });
    await a.until(() => a.of('state').at(-1)!.paused === false);
    expect(a.invalid).toEqual([]);
    a.close();
    b.close();
  });

  it('answers 10k fuzzed messages with errors and keeps serving', async () => {
    const c = await TestClient.connect(viewer.url);
    await c.until(() => c.of('state').length > 0);
    const before = c.of('error').length;
    const rng = new Rng(5);
    const n = 10_000;
    for (let i = 0; i < n; i++) c.send(fuzzMessage(rng, i));
    await c.until(() => c.of('error').length - before >= n, 20_000, `${n} error replies`);
    expect(c.closed).toBeNull();
    const errors = c.of('error').slice(before).map((e) => e.message);
    expect(errors.some((m) => /binary messages are not accepted/.test(m))).toBe(true);
    expect(errors.some((m) => /exceeds the 65536-byte limit/.test(m))).toBe(true);
    expect(errors.some((m) => /not valid JSON/.test(m))).toBe(true);
    c.send({ type: 'speed', speed: 2 });
    await c.until(() => c.of('state').at(-1)!.speed === 2, 3000, 'a valid message still works');
    c.send({ type: 'speed', speed: 1 });
    expect(await httpStatus(viewer.url)).toBeOneOf([200, 503]);
    c.close();
  });

  it('refuses foreign origins and non-loopback hosts, and drops frames above the hard size cap', async () => {
    const port = viewer.port;
    await expect(TestClient.connect(viewer.url, { origin: 'http://evil.example' })).rejects.toThrow(/403/);
    await expect(TestClient.connect(viewer.url, { host: `attacker.example:${port}` })).rejects.toThrow(/403/);
    const same = await TestClient.connect(viewer.url, { origin: `http://127.0.0.1:${port}` });
    const big = await TestClient.connect(viewer.url);
    big.send(Buffer.alloc(MAX_WS_PAYLOAD + 1));
    await big.until(() => big.closed !== null, 5000, 'close on an oversized frame');
    expect(big.closed!.code).toBe(1009);
    same.send({ type: 'speed', speed: 0.5 });
    await same.until(() => same.of('state').at(-1)?.speed === 0.5, 3000, 'the other connection still works');
    same.send({ type: 'speed', speed: 1 });
    same.close();
  });

  it('rate-limits kicks and applies drags through the perturbation API', async () => {
    const c = await TestClient.connect(viewer.url);
    await c.until(() => c.frames.length > 2);
    const play = viewer.hub.playSession!;
    play.reset();
    for (let i = 0; i < 20; i++) c.send({ type: 'kick', body: 1, impulse: [0, 0, 1] });
    await c.until(() => c.of('error').filter((e) => /rate limit/.test(e.message)).length >= 10, 3000, 'rate-limit errors');
    const kicks = play.recording().pushes.filter((p) => p.impulse);
    expect(kicks.length).toBeGreaterThanOrEqual(1);
    expect(kicks.length).toBeLessThanOrEqual(6);
    await c.until(() => c.frames.length > 25, 5000, 'the robot settles');
    const p0 = torso(c.frames.at(-1)!);
    c.send({ type: 'drag', body: 1, local: [0, 0, 0], target: [p0[0], p0[1], p0[2] + 1] });
    await c.until(() => (c.frames.at(-1)![F.flags]! & FLAG_DRAGGING) !== 0, 3000, 'dragging flag');
    const start = c.frames.length;
    await c.until(() => c.frames.length > start + 10, 5000, 'frames while dragging');
    const f = c.frames.at(-1)!;
    expect(Math.hypot(f[F.force]!, f[F.force + 1]!, f[F.force + 2]!)).toBeGreaterThan(0);
    expect(torso(f)[2] - p0[2]).toBeGreaterThan(0.2);
    c.send({ type: 'release' });
    await c.until(() => (c.frames.at(-1)![F.flags]! & FLAG_DRAGGING) === 0, 3000, 'release');
    const drags = play.recording().pushes.filter((p) => p.drag);
    expect(drags[0]).toMatchObject({ body: 'torso', drag: { hz: 3 } });
    expect(drags.at(-1)!.drag!.target).toBeNull();
    c.close();
  });
});
