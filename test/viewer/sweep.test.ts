// Push sweeps from the viewer: started over the wire on the play policy, progress broadcast until done, a kept failure opens in replay mode.
import { afterAll, describe, expect, it } from 'vitest';
import { startViewer, type ViewerHandle } from '../../viewer/server.ts';
import { parseClientMessage, type ClientMessage } from '../../viewer/protocol.ts';
import { TestClient } from './client.ts';

let viewer: ViewerHandle | null = null;
afterAll(async () => {
  await viewer?.close();
});

describe('viewer push sweeps', () => {
  it('run on the play policy, fill in survival per impulse, and replay a failure', async () => {
    viewer = await startViewer({ port: 0, build: false, task: 'half-cheetah', policy: 'zero' });
    const c = await TestClient.connect(viewer.url);
    await c.until(() => c.frames.length > 0, 5000, 'frames');
    c.send({ type: 'sweep-start', impulses: [0, 150], directions: 2, trials: 2, seed: 3, action: 'mean', perKg: false });
    await c.until(() => c.of('sweep').some((s) => s.state !== 'running'), 60_000, 'the sweep to end');
    const running = c.of('sweep').filter((s) => s.state === 'running');
    const last = c.of('sweep').at(-1)!;
    expect(last).toMatchObject({ state: 'done', task: 'half-cheetah', policy: 'zero', unit: 'N·s' });
    expect(last.done).toBe(last.total);
    expect(last.total).toBe(2 * 3);
    expect(running.length, 'progress messages while running').toBeGreaterThanOrEqual(3);
    expect(running.at(-1)!.points.map((p) => p.trials)).toEqual([2, 2]);
    expect(last.points.map((p) => p.impulse)).toEqual([0, 150]);
    expect(last.points[0]!.survival).toBe(1);
    for (const p of last.points) expect(p.survival).toBe(1 - p.failures / p.trials);
    expect(last.failures.length, 'a 150 N·s push rolls the limp cheetah over').toBeGreaterThan(0);
    c.send({ type: 'sweep-replay', index: 0 });
    await c.until(() => c.of('scene').at(-1)!.mode === 'replay', 10_000, 'replay mode');
    expect(c.of('scene').at(-1)!.steps).toBeGreaterThan(10);
    c.send({ type: 'sweep-replay', index: 99 });
    await c.until(() => c.of('error').some((e) => /no sweep failure #99/.test(e.message)), 3000, 'an unknown failure refused');
    c.close();
  }, 90_000);

  it('refuses a second sweep while one runs, and stops when asked', async () => {
    const c = await TestClient.connect(viewer!.url);
    c.send({ type: 'mode', mode: 'play' });
    const start: ClientMessage = { type: 'sweep-start', impulses: [0, 10, 20], directions: 4, trials: 50, seed: 0, action: 'mean', perKg: false };
    c.send(start);
    c.send(start);
    await c.until(() => c.of('error').some((e) => /a sweep is running/.test(e.message)), 10_000, 'the second sweep refused');
    c.send({ type: 'sweep-stop' });
    await c.until(() => c.of('sweep').some((s) => s.state === 'stopped'), 30_000, 'the sweep to stop');
    const stopped = c.of('sweep').find((s) => s.state === 'stopped')!;
    expect(stopped.done).toBeLessThan(stopped.total);
    c.close();
  }, 60_000);

  it('checks sweep settings on the wire', () => {
    expect(parseClientMessage(JSON.stringify({ type: 'sweep-start', impulses: [], directions: 8, trials: 10, seed: 0, action: 'mean', perKg: false }))).toMatchObject({ ok: false, error: expect.stringMatching(/^impulses:/) });
    expect(parseClientMessage(JSON.stringify({ type: 'sweep-start', impulses: [1], directions: 8, trials: 5000, seed: 0, action: 'mean', perKg: false }))).toMatchObject({ ok: false, error: expect.stringMatching(/^trials:/) });
  });
});
