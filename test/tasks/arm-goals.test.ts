// Goal tasks' pure batched goal functions (used without an env for relabelling), their agreement with the envs, and setGoal.
import { describe, expect, it } from 'vitest';
import { makeEnv } from '../../tasks/index.ts';
import type { Env, GoalFunctions } from '../../tasks/env.ts';
import { isGoalSettable } from '../../tasks/goal.ts';
import type { GoalObservation } from '../../tasks/arm/common.ts';
import { reachGoalFunctions } from '../../tasks/arm-reach.ts';
import { pushGoalFunctions } from '../../tasks/arm-push.ts';
import { doorGoalFunctions } from '../../tasks/door.ts';
import { Rng } from '../../sim/rng.ts';

describe('goal functions without an env', () => {
  const achieved = Float32Array.from([0, 0, 0, 0.3, 0, 0, 0.049, 0, 0, 0, 0.051, 0]);
  const desired = new Float32Array(12);

  it('reach and push: sparse −1/0 and dense −distance over rows of 3, success within the threshold', () => {
    for (const fns of [reachGoalFunctions(), pushGoalFunctions()]) {
      expect(fns.goalDim).toBe(3);
      expect(Array.from(fns.computeReward(achieved, desired, new Float32Array(4)))).toEqual([0, -1, 0, -1]);
      expect(Array.from(fns.isSuccess(achieved, desired, new Uint8Array(4)))).toEqual([1, 0, 1, 0]);
    }
    const dense = reachGoalFunctions({ reward: 'dense' }).computeReward(achieved, desired, new Float32Array(4));
    [0, 0.3, 0.049, 0.051].forEach((d, i) => expect(dense[i]).toBeCloseTo(-d, 6));
    const wide = reachGoalFunctions({ distanceThreshold: 0.5 }).computeReward(achieved, desired, new Float32Array(4));
    expect(Array.from(wide)).toEqual([0, 0, 0, 0]);
  });

  it('door: rows of 1 angle, dense −|Δ| by default, sparse on request', () => {
    const a = Float32Array.from([0.5, 1.0, 1.2]), d = Float32Array.from([0.5, 1.04, 1.0]);
    const dense = doorGoalFunctions().computeReward(a, d, new Float32Array(3));
    [0, -0.04, -0.2].forEach((v, i) => expect(dense[i]).toBeCloseTo(v, 6));
    expect(Array.from(doorGoalFunctions({ reward: 'sparse' }).computeReward(a, d, new Float32Array(3)))).toEqual([0, 0, -1]);
    expect(Array.from(doorGoalFunctions().isSuccess(a, d, new Uint8Array(3)))).toEqual([1, 1, 0]);
  });

  it('the output length decides the rows; too few inputs are a clear error', () => {
    const fns = reachGoalFunctions();
    expect(Array.from(fns.computeReward(achieved, desired, new Float32Array(2)))).toEqual([0, -1]);
    expect(() => fns.computeReward(achieved.subarray(0, 5), desired, new Float32Array(2))).toThrow(/2 rows need 6 values/);
  });
});

/** A mostly goal-directed policy with noise, so episodes contain both successes and failures. */
function noisyGreedy(obs: GoalObservation, rng: Rng, out: Float32Array): Float32Array {
  for (let k = 0; k < out.length; k++) out[k] = rng.range(-1, 1);
  if (obs.desired_goal.length === 3) for (let k = 0; k < 3; k++) out[k] = Math.max(-1, Math.min(1, (obs.desired_goal[k]! - obs.achieved_goal[k]!) / 0.05 + rng.range(-0.5, 0.5)));
  return out;
}

/** Runs an episode, recording achieved/desired rows and the env's rewards and successes. */
function record(env: Env, seed: number, steps: number) {
  const g = env.spec.goal!.goalDim;
  const achieved = new Float32Array(steps * g), desired = new Float32Array(steps * g);
  const rewards = new Float32Array(steps), successes = new Uint8Array(steps);
  const rng = new Rng(seed);
  const action = new Float32Array(env.spec.actionSpace.shape[0]!);
  let obs = env.reset({ seed }).obs as GoalObservation;
  for (let i = 0; i < steps; i++) {
    const r = env.step(noisyGreedy(obs, rng, action));
    obs = r.obs as GoalObservation;
    achieved.set(obs.achieved_goal, i * g);
    desired.set(obs.desired_goal, i * g);
    rewards[i] = r.reward;
    successes[i] = r.info.isSuccess ? 1 : 0;
  }
  return { achieved, desired, rewards, successes };
}

const CASES: [string, Record<string, unknown>][] = [
  ['arm-reach', {}], ['arm-reach', { reward: 'dense' }], ['arm-push', {}], ['arm-push', { reward: 'dense' }],
  ['door', {}], ['door', { reward: 'sparse' }],
];

describe('goal functions agree with the envs', () => {
  for (const [id, config] of CASES) {
    it(`${id} ${JSON.stringify(config)}: spec.goal reproduces every step's reward and success, and relabels in a batch`, async () => {
      const env = await makeEnv(id, config);
      const fns: GoalFunctions = env.spec.goal!;
      const steps = 30;
      const rec = record(env, 3, steps);
      expect(Array.from(fns.computeReward(rec.achieved, rec.desired, new Float32Array(steps)))).toEqual(Array.from(rec.rewards));
      expect(Array.from(fns.isSuccess(rec.achieved, rec.desired, new Uint8Array(steps)))).toEqual(Array.from(rec.successes));
      if (id === 'arm-reach' && config.reward === undefined) expect(new Set(rec.rewards).size).toBe(2);
      const relabelled = fns.computeReward(rec.achieved, rec.achieved, new Float32Array(steps));
      expect(relabelled.every((r) => r === 0)).toBe(true);
      env.close();
    });
  }
});

describe('setGoal', () => {
  it('is offered by every goal task and not by the locomotion tasks', async () => {
    for (const id of ['arm-reach', 'arm-push', 'door']) expect(isGoalSettable(await makeEnv(id))).toBe(true);
    expect(isGoalSettable(await makeEnv('half-cheetah'))).toBe(false);
  });

  for (const id of ['arm-reach', 'arm-push', 'door']) {
    it(`${id}: the goal set onto the achieved goal gives success and reward 0 (dense: within 1e-6) at the next step`, async () => {
      const env = await makeEnv(id);
      if (!isGoalSettable(env)) throw new Error('expected a goal-settable env');
      const { obs } = env.reset({ seed: 2 });
      const o = obs as GoalObservation;
      const zero = new Float32Array(env.spec.actionSpace.shape[0]!);
      if (id !== 'door') zero[3] = -1;
      expect(env.step(zero).info.isSuccess).toBe(false);
      env.setGoal(o.achieved_goal);
      o.desired_goal.forEach((v, k) => expect(v).toBeCloseTo(o.achieved_goal[k]!, 4));
      const r = env.step(zero);
      expect(r.info.isSuccess).toBe(true);
      if (id === 'door') expect(Math.abs(r.reward)).toBeLessThan(1e-6);
      else expect(r.reward).toBe(0);
      env.close();
    });
  }

  it('clamps into the goal bounds and rejects malformed goals, naming the task', async () => {
    const reach = await makeEnv('arm-reach');
    if (!isGoalSettable(reach)) throw new Error('expected a goal-settable env');
    const o = reach.reset({ seed: 0 }).obs as GoalObservation;
    reach.setGoal([10, -10, 10]);
    expect(Array.from(o.desired_goal)).toEqual([reach.goalBounds.high[0], reach.goalBounds.low[1], reach.goalBounds.high[2]]);
    expect(() => reach.setGoal([0, 0])).toThrow(/arm-reach: a goal needs 3 values, got 2/);
    expect(() => reach.setGoal([0, Number.NaN, 0])).toThrow(/goal\[1\]/);
    const door = await makeEnv('door', { goalRange: [0, Math.PI / 3] });
    if (!isGoalSettable(door)) throw new Error('expected a goal-settable env');
    const d = door.reset({ seed: 0, options: { goal: [2] } }).obs as GoalObservation;
    expect(d.desired_goal[0]).toBeCloseTo(Math.PI / 3, 6);
    door.setGoal([-1]);
    expect(d.desired_goal[0]).toBe(0);
    expect(() => door.reset({ options: { goal: 'open' } })).toThrow(/options\.goal/);
    reach.close();
    door.close();
  });
});
