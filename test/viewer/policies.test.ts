// Viewer policies: scripted baselines, how goal and skill policies are fed, and skill choice through the wire.
import { afterAll, describe, expect, it } from 'vitest';
import { makeEnv, listEnvs } from '../../tasks/index.ts';
import type { Policy } from '../../agents/policy.ts';
import { PolicyDriver, scriptedPolicies, type PolicyEntry } from '../../viewer/policies.ts';
import { startViewer, type ViewerHandle } from '../../viewer/server.ts';
import { PlaySession } from '../../viewer/play.ts';
import { TestClient } from './client.ts';

/** A policy that remembers its last input and outputs zeros. */
function spyPolicy(task: string, obsDim: number, actDim: number, skills?: number): Policy & { last: Float32Array } {
  const p = {
    obsDim, actDim, task, skills, last: new Float32Array(obsDim),
    act(obs: Float32Array, out: Float32Array) { p.last = obs.slice(); out.fill(0); },
    dispose() {},
  };
  return p;
}

let viewer: ViewerHandle | null = null;
afterAll(async () => {
  await viewer?.close();
});

describe('viewer policies', () => {
  it('play a policy on the task config it was trained with', async () => {
    const trained: PolicyEntry = {
      name: 'door-from-handle', task: 'door', description: '', taskConfig: { start: 'handle', goalRange: [0.2, 0.3] },
      load: async () => spyPolicy('door', 19, 4),
    };
    const play = await PlaySession.create('door', trained, 0);
    expect((play.env as unknown as { config: { start: string } }).config.start).toBe('handle');
    const goal = (play.env.reset({ seed: 3 }).obs as Record<string, Float32Array>).desired_goal![0]!;
    expect(goal).toBeGreaterThanOrEqual(0.2);
    expect(goal).toBeLessThanOrEqual(0.3);
    play.close();
    const plain = await PlaySession.create('door', { ...trained, taskConfig: undefined }, 0);
    expect((plain.env as unknown as { config: { start: string } }).config.start).toBe('ready');
    plain.close();
  });

  it('offer the sine gait, and zero and random actions for every registered task', () => {
    const list = scriptedPolicies();
    expect(list.filter((p) => p.name === 'sine-gait').map((p) => p.task)).toEqual(['half-cheetah']);
    for (const e of listEnvs()) expect(list.filter((p) => p.task === e.id).map((p) => p.name)).toEqual(expect.arrayContaining(['zero', 'random']));
  });

  it('feed goal policies observation ‖ desired_goal', async () => {
    const env = await makeEnv('arm-reach', {});
    const obs = env.reset({ seed: 2 }).obs as Record<string, Float32Array>;
    const n = obs.observation!.length;
    const policy = spyPolicy('arm-reach', n + 3, env.spec.actionSpace.shape[0]!);
    const driver = new PolicyDriver(policy, env);
    driver.act(obs, new Float32Array(env.spec.actionSpace.shape[0]!));
    expect(Array.from(policy.last)).toEqual([...obs.observation!, ...obs.desired_goal!]);
    expect(() => new PolicyDriver(spyPolicy('arm-reach', n, 4), env)).toThrow(`policy expects ${n} inputs but arm-reach gives ${n + 3}`);
    expect(() => new PolicyDriver(spyPolicy('door', n + 3, 4), env)).toThrow(/trained on 'door', not 'arm-reach'/);
    env.close();
  });

  it('feed skill policies observation ‖ one-hot(skill), chosen from the page', async () => {
    const policy = spyPolicy('half-cheetah', 17 + 4, 6, 4);
    const entry: PolicyEntry = { name: 'fake-diayn', task: 'half-cheetah', description: 'test skills', load: async () => policy };
    viewer = await startViewer({ port: 0, build: false, policies: [entry] });
    const c = await TestClient.connect(viewer.url);
    await c.until(() => c.frames.length > 2, 5000, 'frames');
    expect(c.of('scene')[0]).toMatchObject({ policy: 'fake-diayn', skills: 4 });
    expect(Array.from(policy.last.subarray(17))).toEqual([1, 0, 0, 0]);
    c.send({ type: 'skill', skill: 2 });
    await c.until(() => c.of('state').at(-1)!.skill === 2, 3000, 'skill 2');
    const n = c.frames.length;
    await c.until(() => c.frames.length > n + 2, 3000, 'more steps');
    expect(Array.from(policy.last.subarray(17))).toEqual([0, 0, 1, 0]);
    c.send({ type: 'skill', skill: 4 });
    await c.until(() => c.of('error').some((e) => /skill must be below 4/.test(e.message)), 3000, 'an out-of-range skill refused');
    c.send({ type: 'select', task: 'half-cheetah', policy: 'zero' });
    await c.until(() => c.of('scene').at(-1)!.policy === 'zero', 5000, 'switch to zero');
    c.send({ type: 'skill', skill: 1 });
    await c.until(() => c.of('error').some((e) => /has no skills/.test(e.message)), 3000, 'no skills on a plain policy');
    c.close();
  });
});
