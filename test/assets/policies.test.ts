// Every policy shipped in assets/policies/ loads and acts on its own task, under the task config it was trained with.
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../agents/backend.ts';
import { listShippedPolicies } from '../../agents/shipped.ts';
import { readPolicyFiles } from '../../agents/policy-io.ts';
import { makeEnv } from '../../tasks/index.ts';
import { boxSize } from '../../tasks/spaces.ts';
import { evaluateSkills } from '../../agents/skills.ts';

beforeAll(async () => {
  await initBackend('wasm', () => {});
});

describe('shipped policies', () => {
  it('read exactly their task\'s observation (plus goal or skill inputs) and act within bounds for a few steps', async () => {
    const warnings: string[] = [];
    const shipped = await listShippedPolicies((l) => warnings.push(l));
    expect(warnings).toEqual([]);
    expect(shipped.length).toBeGreaterThanOrEqual(9);
    for (const p of shipped) {
      const env = await makeEnv(p.task, p.taskConfig ?? {});
      const { meta } = readPolicyFiles(p.dir);
      const space = env.spec.observationSpace;
      const obsDim = space.type === 'box' ? boxSize(space) : boxSize(space.spaces.observation!) + boxSize(space.spaces.desired_goal!);
      expect(meta.obsDim, p.name).toBe(obsDim + (meta.skills ?? 0));
      const policy = await p.load();
      const input = new Float32Array(meta.obsDim);
      const action = new Float32Array(meta.actDim);
      let r = env.reset({ seed: 1 });
      for (let t = 0; t < 5; t++) {
        const o = r.obs;
        input.fill(0);
        if (o instanceof Float32Array) input.set(o);
        else input.set([...o.observation!, ...o.desired_goal!]);
        if (meta.skills) input[obsDim + (t % meta.skills)] = 1;
        policy.act(input, action, 1, true);
        expect(action.every((a, i) => a >= meta.actionLow[i]! && a <= meta.actionHigh[i]!), p.name).toBe(true);
        r = env.step(action);
      }
      policy.dispose();
      env.close();
    }
  }, 120_000);

  it('include a half-cheetah skill set in which several skills turn over (|pitch rotation| > 2π) in one episode', async () => {
    const p = (await listShippedPolicies(() => {})).find((e) => e.name === 'half-cheetah-diayn-somersault');
    if (!p) throw new Error('assets/policies/half-cheetah-diayn-somersault is not shipped');
    const env = await makeEnv(p.task, p.taskConfig ?? {});
    const policy = await p.load();
    const skills = evaluateSkills(env, policy, 1, 7);
    const flipping = skills.filter((s) => Math.abs(s.pitchRotation!) > 2 * Math.PI);
    expect(flipping.length).toBeGreaterThanOrEqual(3);
    expect(skills.filter((s) => s.turnedOver === 1).map((s) => s.skill)).toEqual(flipping.map((s) => s.skill));
    policy.dispose();
    env.close();
  }, 120_000);
});
