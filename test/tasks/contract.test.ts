// The Gymnasium-style contract, run over every registered task (built-in and user-registered alike).
import { describe, expect, it } from 'vitest';
import { listEnvs, makeEnv } from '../../tasks/index.ts';
import type { Env, Observation } from '../../tasks/env.ts';
import { boxContains, type BoxSpace } from '../../tasks/spaces.ts';
import { layoutSize } from '../../tasks/layout.ts';
import { Rng } from '../../sim/rng.ts';
import '../support/tasks.ts';

/** Observation arrays by key (flat observations under 'observation'). */
function parts(obs: Observation): Record<string, Float32Array> {
  return obs instanceof Float32Array ? { observation: obs } : obs;
}

function spaceOf(env: Env, key: string): BoxSpace {
  const s = env.spec.observationSpace;
  return s.type === 'dict' ? s.spaces[key]! : s;
}

function randomAction(env: Env, rng: Rng): Float32Array {
  const { low, high } = env.spec.actionSpace;
  return Float32Array.from(low, (lo, i) => rng.range(lo, high[i]!));
}

/** Copies an episode's observations and rewards for comparison. */
function rollout(env: Env, seed: number, steps: number): number[] {
  const rng = new Rng(seed + 100);
  const out = [...Object.values(parts(env.reset({ seed }).obs)).flatMap((a) => [...a])];
  for (let i = 0; i < steps; i++) {
    const r = env.step(randomAction(env, rng));
    out.push(r.reward, ...Object.values(parts(r.obs)).flatMap((a) => [...a]));
  }
  return out;
}

for (const entry of listEnvs({ reference: true })) {
  describe(`task contract: ${entry.id}`, () => {
    it('declares spaces and layouts that match its observations, in float32, within bounds', async () => {
      const env = await makeEnv(entry.id);
      const { obs, info } = env.reset({ seed: 1 });
      expect(info.rewardTerms).toBeTypeOf('object');
      for (const [key, arr] of Object.entries(parts(obs))) {
        expect(arr).toBeInstanceOf(Float32Array);
        expect(arr.length).toBe(layoutSize(env.spec.obsLayout[key]!));
        expect(boxContains(spaceOf(env, key), arr)).toBe(true);
        expect(arr.every(Number.isFinite)).toBe(true);
      }
      expect(env.spec.actionSpace.dtype).toBe('float32');
      const rng = new Rng(2);
      for (let i = 0; i < 20; i++) {
        const r = env.step(randomAction(env, rng));
        for (const [key, arr] of Object.entries(parts(r.obs))) expect(boxContains(spaceOf(env, key), arr)).toBe(true);
        const sum = Object.values(r.info.rewardTerms).reduce((a, b) => a + b, 0);
        expect(r.reward).toBeCloseTo(sum, 10);
        expect(Object.keys(r.info.rewardTerms)).toEqual(env.spec.rewardTerms.map((t) => t.name));
        if (r.terminated || r.truncated) env.reset();
      }
      env.close();
    });

    it('gives the same episode for the same seed, and a different one for another seed', async () => {
      const a = await makeEnv(entry.id);
      const b = await makeEnv(entry.id);
      const first = rollout(a, 5, 15);
      expect(rollout(b, 5, 15)).toEqual(first);
      expect(rollout(a, 5, 15)).toEqual(first);
      expect(rollout(a, 6, 15)).not.toEqual(first);
      a.close();
      b.close();
    });

    it('truncates at the step limit, never terminated and truncated together, and resets after', async () => {
      const env = await makeEnv(entry.id, { maxEpisodeSteps: 4 });
      env.reset({ seed: 3 });
      const rng = new Rng(3);
      const flags: [boolean, boolean][] = [];
      for (let i = 0; i < 4; i++) {
        const r = env.step(randomAction(env, rng));
        flags.push([r.terminated, r.truncated]);
        if (r.terminated) break;
      }
      const last = flags.at(-1)!;
      expect(last[0] || last[1]).toBe(true);
      expect(flags.slice(0, -1).every(([t, u]) => !t && !u)).toBe(true);
      expect(flags.every(([t, u]) => !(t && u))).toBe(true);
      const again = env.reset();
      expect(Object.values(parts(again.obs)).every((a) => a.every(Number.isFinite))).toBe(true);
      env.close();
    });

    it('rejects bad actions clearly by default and clips when configured', async () => {
      const env = await makeEnv(entry.id);
      env.reset({ seed: 0 });
      const n = env.spec.actionSpace.shape[0]!;
      expect(() => env.step(new Float32Array(n + 1))).toThrow(/must have \d+ values/);
      expect(() => env.step(new Float32Array(n).fill(Number.NaN))).toThrow(/finite/);
      const tooBig = Float32Array.from(env.spec.actionSpace.high, (h) => h + 1);
      expect(() => env.step(tooBig)).toThrow(/outside/);
      const clipping = await makeEnv(entry.id, { actions: 'clip' });
      clipping.reset({ seed: 0 });
      expect(() => clipping.step(tooBig)).not.toThrow();
      env.close();
      clipping.close();
    });

    it('names the offending config field', async () => {
      await expect(makeEnv(entry.id, { maxEpisodeSteps: -1 })).rejects.toThrow(/config\.maxEpisodeSteps/);
      await expect(makeEnv(entry.id, { randomize: { mass: [2, 1] } })).rejects.toThrow(/config\.randomize\.mass/);
      await expect(makeEnv(entry.id, { noSuchOption: 1 })).rejects.toThrow(/config/);
    });
  });
}
