// Live and replay modes with a fake training producer: metrics rows, rollouts, run directories, the replay scrubber, and the CLI flags.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { appendFile, mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startViewer, type ViewerHandle } from '../../viewer/server.ts';
import { MetricsTail, parseMetricsText } from '../../viewer/metrics.ts';
import { F, frameSections, type MetricsPoint } from '../../viewer/protocol.ts';
import { makeEnv } from '../../tasks/index.ts';
import { recordEpisode, replayRecording, type Recording } from '../../tasks/recording.ts';
import { Rng } from '../../sim/rng.ts';
import { main } from '../../cli/main.ts';
import { TestClient } from './client.ts';

const open: ViewerHandle[] = [];
afterEach(async () => {
  for (const v of open.splice(0)) await v.close();
});

async function viewer(opts: Parameters<typeof startViewer>[0]): Promise<ViewerHandle> {
  const v = await startViewer({ port: 0, build: false, ...opts });
  open.push(v);
  return v;
}

async function rollout(steps: number, seed = 3): Promise<Recording> {
  const env = await makeEnv('half-cheetah', {});
  const rng = new Rng(seed);
  const rec = recordEpisode(env, (_o, _t, out) => { for (let i = 0; i < out.length; i++) out[i] = rng.range(-1, 1); }, seed, { maxSteps: steps, meta: { policy: 'fake-sac' } });
  env.close();
  return rec;
}

describe('live mode (paddock train --view)', () => {
  it('streams published metrics and rollouts to the page', async () => {
    const v = await viewer({ live: true });
    const c = await TestClient.connect(v.url);
    await c.until(() => c.of('state').length > 0);
    expect(c.of('hello')[0]!.modes).toContain('live');
    expect(c.of('state')[0]).toMatchObject({ mode: 'live', status: 'waiting for the first evaluation rollout' });
    for (let k = 1; k <= 3; k++) v.publishMetrics({ env_steps: k * 1000, time_s: k * 2.5, 'eval/return_mean': -10 + k * 5, note: 'text is ignored' });
    expect(() => v.publishMetrics({ env_steps: -1, time_s: 0 })).toThrow(/env_steps/);
    await c.until(() => c.of('metrics').length >= 3, 3000, 'metrics messages');
    const points = c.of('metrics').flatMap((m) => m.points);
    expect(points.map((p) => [p.env_steps, p.values['eval/return_mean']])).toEqual([[1000, -5], [2000, 0], [3000, 5]]);
    expect(points[0]!.values).not.toHaveProperty('note');
    await v.publishRollout(await rollout(30));
    await c.until(() => c.of('scene').some((s) => s.steps === 30), 5000, 'the rollout scene');
    const scene = c.of('scene').at(-1)!;
    expect(scene).toMatchObject({ mode: 'live', task: 'half-cheetah', policy: 'fake-sac', steps: 30 });
    await c.until(() => c.frames.filter((f) => f[F.scene] === scene.id && f[F.step]! >= 5).length > 0, 5000, 'rollout frames');
    expect(c.frames.at(-1)![F.steps]).toBe(30);
    await expect(v.publishRollout({ format: 'paddock-recording', version: 9 })).rejects.toThrow(/recording\.version/);
    c.close();
  });

  it('follows a run directory: metrics.jsonl lines and the newest rollout file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'paddock-run-'));
    await writeFile(join(dir, 'metrics.jsonl'), '{"env_steps": 500, "time_s": 1, "eval/return_mean": 3}\nnot json\n{"time_s": 2}\n');
    await mkdir(join(dir, 'rollouts'));
    await writeFile(join(dir, 'rollouts', 'eval-500.json'), JSON.stringify(await rollout(12)));
    const v = await viewer({ run: dir });
    const c = await TestClient.connect(v.url);
    await c.until(() => c.of('metrics').length > 0, 3000, 'metrics from the run');
    expect(c.of('metrics')[0]!.points.map((p) => p.env_steps)).toEqual([500]);
    expect(c.of('hello')[0]!.modes).toContain('live');
    c.send({ type: 'mode', mode: 'live' });
    await c.until(() => c.of('scene').some((s) => s.mode === 'live' && s.steps === 12), 3000, 'live scene');
    c.close();
  });
});

describe('replay mode', () => {
  it('scrubs to any step and shows exactly the re-simulated poses', async () => {
    const rec = await rollout(40, 8);
    const replay = await replayRecording(rec);
    const v = await viewer({ replay: rec });
    const c = await TestClient.connect(v.url);
    await c.until(() => c.of('state').length > 0);
    expect(c.of('state')[0]!.mode).toBe('replay');
    c.send({ type: 'pause', paused: true });
    c.send({ type: 'seek', step: 17 });
    await c.until(() => c.frames.some((f) => f[F.step] === 17), 3000, 'frame 17');
    const f = c.frames.find((x) => x[F.step] === 17)!;
    const nb = replay.bodies.length;
    const at = frameSections(nb, 2, 0).bodies;
    expect(Array.from(f.subarray(at, at + nb * 7))).toEqual(Array.from(replay.poses.subarray(17 * nb * 7, 18 * nb * 7)));
    let ret = 0;
    for (let t = 0; t < 17; t++) ret += rec.rewards[t]!;
    expect(f[F.ret]).toBeCloseTo(ret, 4);
    c.send({ type: 'step' });
    await c.until(() => c.frames.some((x) => x[F.step] === 18), 3000, 'frame 18 after a single step');
    c.send({ type: 'kick', body: 1, impulse: [1, 0, 0] });
    await c.until(() => c.of('error').some((e) => /play mode/.test(e.message)), 3000, 'kicks refused outside play');
    c.close();
  });
});

describe('metrics files', () => {
  it('skip bad lines and follow appends, including a line split across writes', async () => {
    expect(parseMetricsText('{"env_steps":1,"time_s":0,"loss/critic":0.5}\n{"env_steps":1.5,"time_s":0}\n[]\n\n{bad').skipped).toBe(3);
    const file = join(await mkdtemp(join(tmpdir(), 'paddock-metrics-')), 'metrics.jsonl');
    const got: MetricsPoint[] = [];
    const tail = new MetricsTail(file, (p) => got.push(...p), 60_000);
    await tail.poll();
    await writeFile(file, '{"env_steps": 1, "time_s": 0.1, "alpha": 0.2}\n{"env_steps": 2, "ti');
    await tail.poll();
    expect(got.map((p) => p.env_steps)).toEqual([1]);
    await appendFile(file, 'me_s": 0.2, "alpha": 0.1}\n');
    await tail.poll();
    expect(got.map((p) => [p.env_steps, p.values.alpha])).toEqual([[1, 0.2], [2, 0.1]]);
  });
});

describe('paddock view (CLI)', () => {
  it('--help lists every flag, bad values are usage errors', async () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    const err = vi.spyOn(console, 'error').mockImplementation(() => {});
    expect(await main(['view', '--help'])).toBe(0);
    const help = log.mock.calls.map((c) => String(c[0])).join('\n');
    for (const flag of ['host', 'port', 'task', 'policy', 'replay', 'run', 'seed', 'open', 'rebuild']) expect(help).toContain(`--${flag}`);
    expect(await main(['view', '--port', 'eighty'])).toBe(2);
    expect(await main(['view', '--replay', '/nonexistent/rec.json'])).toBe(2);
    expect(err.mock.calls.map((c) => String(c[0])).join('\n')).toMatch(/--port: expected a number[\s\S]*--replay: cannot read/);
    log.mockRestore();
    err.mockRestore();
  });
});
