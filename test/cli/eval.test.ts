// paddock eval on scripted baselines: `scripted:<name>` with --task, reset every episode, and usage errors naming the flag.
import { describe, expect, it } from 'vitest';
import { cli } from '../support/cli.ts';

interface Report { episodes: number; infoFinal: Record<string, number>; perEpisode: { seed: number; infoFinal: Record<string, number> }[] }

async function successOf(policy: string, task: string, episodes: number): Promise<Report> {
  const r = await cli(['eval', '--checkpoint', `scripted:${policy}`, '--task', task, '--episodes', String(episodes), '--seed', '0', '--json']);
  expect(r.code, r.err).toBe(0);
  return JSON.parse(r.out) as Report;
}

describe('paddock eval --checkpoint scripted:<name>', () => {
  it('runs the cube pusher episode after episode (reset each time) far above zero actions on arm-push', async () => {
    const pusher = await successOf('cube-pusher', 'arm-push', 10);
    const idle = await successOf('zero', 'arm-push', 10);
    expect(pusher.perEpisode.map((e) => e.seed)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(pusher.infoFinal.isSuccess).toBeGreaterThanOrEqual(0.6);
    expect(pusher.infoFinal.isSuccess!).toBeGreaterThan(idle.infoFinal.isSuccess! + 0.3);
  }, 120_000);

  it('opens the door to its goal angle with the door opener', async () => {
    expect((await successOf('door-opener', 'door', 3)).infoFinal.isSuccess).toBe(1);
  }, 120_000);

  it('needs --task, and names the scripted policies a task has', async () => {
    const noTask = await cli(['eval', '--checkpoint', 'scripted:zero']);
    expect(noTask.code).toBe(2);
    expect(noTask.err).toMatch(/--task is needed/);
    const unknown = await cli(['eval', '--checkpoint', 'scripted:dance', '--task', 'door']);
    expect(unknown.code).toBe(2);
    expect(unknown.err).toMatch(/no scripted policy 'dance' for door \(have: door-opener, zero, random\)/);
  });
});
