// Skill evaluation: displacement, heading octants and consistency, speed and best-single-skill on scripted skills.
import { describe, expect, it } from 'vitest';
import { evaluateSkills, octantOf, overallAccuracy, skillHighlights } from '../../agents/skills.ts';
import type { Env, StepInfo } from '../../tasks/env.ts';
import { box } from '../../tasks/spaces.ts';
import type { Policy } from '../../agents/policy.ts';
import { makeEnv } from '../../tasks/index.ts';
import '../support/point-2d.ts';

/** Skill z moves the point at angle z · 2π / N (full speed). */
function compassPolicy(N: number): Policy {
  return {
    obsDim: 2 + N, actDim: 2, task: 'point-2d', skills: N,
    act(obs, out, n) {
      for (let i = 0; i < n; i++) {
        const z = obs.subarray(i * (2 + N) + 2, (i + 1) * (2 + N)).indexOf(1);
        out[2 * i] = Math.cos((2 * Math.PI * z) / N);
        out[2 * i + 1] = Math.sin((2 * Math.PI * z) / N);
      }
    },
    dispose() {},
  };
}

/**
 * A torso that only pitches: each step turns `rooty` by action[0] rad (a tenth of that on odd
 * seeds) and reports action[1] as its x-velocity (m/s); 10 steps per episode.
 */
function spinnerEnv(): Env<Float32Array> {
  const obs = new Float32Array(1), info: StepInfo = { rewardTerms: { none: 0 }, pushes: [] };
  let gain = 1, steps = 0;
  return {
    spec: {
      id: 'spinner', dt: 0.1, maxEpisodeSteps: 10, observationSpace: box(1, -100, 100), actionSpace: box(2, -10, 10),
      obsLayout: { observation: [{ name: 'rooty', size: 1, unit: 'rad', description: 'unwrapped pitch' }] },
      rewardTerms: [{ name: 'none', weight: 0, description: 'no task reward' }],
    },
    reset({ seed = 0 } = {}) { obs[0] = 0; steps = 0; gain = seed % 2 === 0 ? 1 : 0.1; info.x_velocity = 0; return { obs, info }; },
    step(action) {
      obs[0] = obs[0]! + gain * Number(action[0]);
      info.x_velocity = Number(action[1]);
      return { obs, reward: 0, terminated: false, truncated: ++steps >= 10, info };
    },
    close() {},
  };
}

/** Skill z turns by z rad per step and moves at `speeds[z]` m/s. */
function spinPolicy(speeds: number[]): Policy {
  const N = speeds.length;
  return {
    obsDim: 1 + N, actDim: 2, task: 'spinner', skills: N,
    act(obs, out) { const z = obs.subarray(1).indexOf(1); out[0] = z; out[1] = speeds[z]!; },
    dispose() {},
  };
}

describe('skill evaluation', () => {
  it('counts the episodes in which a skill turned all the way over, and lists runners and flippers', () => {
    const skills = evaluateSkills(spinnerEnv(), spinPolicy([-1.5, 0.5, 1.2]), 3, 0);
    expect(skills.map((s) => s.turnedOver)).toEqual([0, 2, 2]);
    expect(skills[1]!.pitchRotation).toBeCloseTo((10 + 1 + 10) / 3, 5);
    expect(skills[2]!.flips).toBeCloseTo((3 + 0 + 3) / 3, 5);
    expect(skillHighlights(skills, 1)).toEqual({ speed: 1, forward: [2], backward: [0], turnedOver: [1, 2] });
    expect(skillHighlights(skills, 0.4)).toMatchObject({ forward: [1, 2], backward: [0] });
  });

  it('maps headings to octants centred on the axes', () => {
    expect(octantOf(0)).toBe(0);
    expect(octantOf(Math.PI / 2)).toBe(2);
    expect(octantOf(-Math.PI / 4)).toBe(7);
    expect(octantOf(Math.PI)).toBe(4);
  });

  it('reports each skill\'s displacement, heading octant and speed', async () => {
    const env = await makeEnv('point-2d', { maxEpisodeSteps: 5 });
    const skills = evaluateSkills(env, compassPolicy(8), 1, 3);
    expect(skills.map((s) => s.octant)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(skills[0]!.displacement[0]).toBeCloseTo(0.5, 5);
    expect(skills[0]!.xVelocity).toBeCloseTo(1, 5);
    expect(skills[4]!.xVelocity).toBeCloseTo(-1, 5);
    expect(skills[2]!.pitchRotation).toBeNull();
    expect(skills.every((s) => s.length === 5)).toBe(true);
  });

  it('scores heading consistency 1 for a fixed direction and low for one set by the random start', async () => {
    const env = await makeEnv('point-2d', { maxEpisodeSteps: 5 });
    const fromStart: Policy = {
      ...compassPolicy(2),
      act(obs, out) {
        const fixed = obs[2] === 1, n = Math.hypot(obs[0]!, obs[1]!);
        out[0] = fixed ? 1 : obs[0]! / n;
        out[1] = fixed ? 0 : obs[1]! / n;
      },
    };
    const [fixed, random] = evaluateSkills(env, fromStart, 40, 7);
    expect(fixed!.headingConsistency).toBeCloseTo(1, 6);
    expect(random!.headingConsistency).toBeLessThan(0.5);
  });

  it('scores the discriminator\'s accuracy as the share of visited states it assigns to the running skill', async () => {
    const env = await makeEnv('point-2d', { maxEpisodeSteps: 5 });
    /** Says skill 0 (east) once x > 0.25 m (from step 3 on), else skill 3 (south). */
    const east = { posterior: (obs: Float32Array) => (obs[0]! > 0.25 ? Float32Array.of(0.7, 0.1, 0.1, 0.1) : Float32Array.of(0.1, 0.1, 0.1, 0.7)) };
    const skills = evaluateSkills(env, compassPolicy(4), 1, 3, { disc: east });
    expect(skills.map((s) => s.accuracy)).toEqual([3 / 5, 0, 0, 1]);
    expect(overallAccuracy(skills)).toBeCloseTo(8 / 20, 6);
    expect(skills[0]!.posterior).toBeCloseTo((3 * 0.7 + 2 * 0.1) / 5, 6);
    expect(overallAccuracy(evaluateSkills(env, compassPolicy(4), 1, 3))).toBeNull();
  });

  it('samples actions only when asked', async () => {
    const env = await makeEnv('point-2d', { maxEpisodeSteps: 2 });
    const flags: boolean[] = [];
    const spy: Policy = { ...compassPolicy(2), act(_o, out, _n, deterministic) { flags.push(deterministic); out.fill(0); } };
    evaluateSkills(env, spy, 1, 0);
    evaluateSkills(env, spy, 1, 0, { sample: true });
    expect(flags).toEqual([true, true, true, true, false, false, false, false]);
  });
});
