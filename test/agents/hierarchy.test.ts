// The skill-selecting env of the hierarchical controller: argmax skill choice, K base steps per choice, summed rewards.
import { describe, expect, it } from 'vitest';
import { SkillSelectorEnv } from '../../agents/hierarchy.ts';
import type { Policy } from '../../agents/policy.ts';
import { makeEnv } from '../../tasks/index.ts';
import '../support/point-2d.ts';

/** Skill z moves the point along +x (z = 0) or +y (z = 1), recording the inputs it saw. */
function axisSkills(seen: number[][]): Policy {
  return {
    obsDim: 4, actDim: 2, task: 'point-2d', skills: 2,
    act(obs, out) {
      seen.push([...obs.subarray(0, 4)]);
      out[0] = obs[2] === 1 ? 1 : 0;
      out[1] = obs[3] === 1 ? 1 : 0;
    },
    dispose() {},
  };
}

describe('skill selector env', () => {
  it('runs the argmax skill for K base steps and ends with the base episode', async () => {
    const seen: number[][] = [];
    const env = new SkillSelectorEnv(await makeEnv('point-2d', { maxEpisodeSteps: 10 }), axisSkills(seen), 4);
    expect(env.spec.actionSpace.shape).toEqual([2]);
    expect(env.spec.maxEpisodeSteps).toBe(3);
    expect(env.spec.baseStepsPerStep).toBe(4);
    const start = Float32Array.from(env.reset({ seed: 1 }).obs);
    let r = env.step([0.2, -0.5]);
    expect(r.obs[0]! - start[0]!).toBeCloseTo(0.4, 5);
    expect(r.obs[1]).toBeCloseTo(start[1]!, 6);
    expect(r.info.skill).toBe(0);
    expect(seen.length).toBe(4);
    expect(seen.every((x) => x[2] === 1 && x[3] === 0)).toBe(true);
    r = env.step([-1, 0.9]);
    expect(r.info.skill).toBe(1);
    r = env.step([0, 1]);
    expect(env.baseSteps).toBe(10);
    expect(r.truncated).toBe(true);
  });

  it('feeds relative entries as offsets from their value at each choice', async () => {
    const seen: number[][] = [];
    const env = new SkillSelectorEnv(await makeEnv('point-2d', { maxEpisodeSteps: 12 }), axisSkills(seen), 3, [0, 1]);
    env.reset({ seed: 2 });
    env.step([1, 0]);
    env.step([0, 1]);
    expect(seen[0]!.slice(0, 2)).toEqual([0, 0]);
    expect(seen[3]!.slice(0, 2)).toEqual([0, 0]);
    expect(seen[1]![0]).toBeCloseTo(0.1, 5);
    expect(seen[5]![1]).toBeCloseTo(0.2, 5);
    expect(seen[5]![0]).toBe(0);
    expect(() => new SkillSelectorEnv(env.base, axisSkills([]), 3, [2])).toThrow(/relative index 2/);
  });
});
