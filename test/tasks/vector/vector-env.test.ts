// Vector envs: same-step autoreset, determinism across worker counts, failures, memory, dict observations.
import { describe, expect, it } from 'vitest';
import v8 from 'node:v8';
import vm from 'node:vm';
import { makeVectorEnv } from '../../../tasks/vector/vector-env.ts';
import { envSeed } from '../../../tasks/vector/batch.ts';
import { makeEnv } from '../../../tasks/index.ts';
import { Rng } from '../../../sim/rng.ts';
import '../../support/point-2d.ts';

function randomActions(rng: Rng, n: number): Float32Array {
  return Float32Array.from({ length: n }, () => rng.range(-1, 1));
}

describe('vector env', () => {
  it('resets an ended env in the same step and keeps its final observation in its own rows', async () => {
    const config = { maxEpisodeSteps: 3 };
    const vec = await makeVectorEnv('half-cheetah', { numEnvs: 2, seed: 9, config });
    const single = await makeEnv('half-cheetah', config);
    await vec.reset();
    const first = (single.reset({ seed: envSeed(9, 1) }).obs as Float32Array).slice();
    expect(Array.from(vec.batch.obs.observation!.subarray(17, 34))).toEqual(Array.from(first));
    const rng = new Rng(1);
    let last: Float32Array = first;
    for (let t = 1; t <= 3; t++) {
      const actions = randomActions(rng, 12);
      const b = await vec.step(actions);
      const r = single.step(actions.subarray(6, 12));
      last = (r.obs as Float32Array).slice();
      expect(b.rewards[1]).toBeCloseTo(r.reward, 5);
      expect(b.hasFinal[1]).toBe(t === 3 ? 1 : 0);
      expect(b.truncated[1]).toBe(t === 3 ? 1 : 0);
    }
    const b = vec.batch;
    expect(Array.from(b.finalObs.observation!.subarray(17, 34))).toEqual(Array.from(last));
    expect(b.finalSteps[1]).toBe(3);
    expect(b.episodeSteps[1]).toBe(0);
    const next = single.reset().obs as Float32Array;
    expect(Array.from(b.obs.observation!.subarray(17, 34))).toEqual(Array.from(next));
    await vec.close();
    single.close();
  });

  it('gives bit-identical results in-process and with 1, 2 or 3 stepping threads', async () => {
    const runs: number[][] = [];
    for (const workers of [0, 1, 2, 3]) {
      const vec = await makeVectorEnv('quadruped', { numEnvs: 3, workers, seed: 4, config: { maxEpisodeSteps: 7 } });
      await vec.reset();
      const rng = new Rng(5);
      const trace: number[] = [];
      for (let t = 0; t < 12; t++) {
        const b = await vec.step(randomActions(rng, 3 * 8));
        trace.push(...b.obs.observation!, ...b.rewards, ...b.terminated, ...b.truncated, ...b.finalObs.observation!, ...b.episodeStart, ...b.finalDisplacement);
      }
      runs.push(trace);
      await vec.close();
    }
    expect(runs[1]).toEqual(runs[0]);
    expect(runs[2]).toEqual(runs[0]);
    expect(runs[3]).toEqual(runs[0]);
  });

  it('records where each episode started and, when it ends, how far the robot moved (world x, y)', async () => {
    const vec = await makeVectorEnv('point-2d', { numEnvs: 2, seed: 3, config: { maxEpisodeSteps: 5 } });
    await vec.reset();
    const start = Float32Array.from(vec.batch.episodeStart);
    expect(Array.from(start.subarray(0, 2))).toEqual(Array.from(vec.batch.obs.observation!.subarray(0, 2)));
    const action = Float32Array.of(1, -0.5, -1, 0.5);
    for (let t = 0; t < 5; t++) await vec.step(action);
    expect(Array.from(vec.batch.hasFinal)).toEqual([1, 1]);
    const d = vec.batch.finalDisplacement;
    [[0.5, -0.25], [-0.5, 0.25]].forEach(([dx, dy], i) => {
      expect(d[2 * i]).toBeCloseTo(dx!, 5);
      expect(d[2 * i + 1]).toBeCloseTo(dy!, 5);
    });
    expect(Array.from(vec.batch.episodeStart.subarray(0, 2))).toEqual(Array.from(vec.batch.obs.observation!.subarray(0, 2)));
    expect(Array.from(vec.batch.episodeStart)).not.toEqual(Array.from(start));
    await vec.close();
  });

  it('reports a failing env by index instead of hanging, in both modes', async () => {
    for (const workers of [0, 2, 3]) {
      const vec = await makeVectorEnv('half-cheetah', { numEnvs: 4, workers, seed: 0 });
      await vec.reset();
      const actions = new Float32Array(24);
      actions[3 * 6] = Number.NaN;
      await expect(vec.step(actions)).rejects.toThrow(/env 3: .*NaN/);
      await vec.close();
    }
  });

  it('rejects bad options naming the field', async () => {
    await expect(makeVectorEnv('half-cheetah', { numEnvs: 0 })).rejects.toThrow(/options\.numEnvs/);
    await expect(makeVectorEnv('half-cheetah', { numEnvs: 2, config: { actions: 'wrap' } })).rejects.toThrow(/config\.actions/);
  });

  it('pushes reach each env by index', async () => {
    const vec = await makeVectorEnv('quadruped', { numEnvs: 2, workers: 2, seed: 0 });
    await vec.reset();
    const record = await vec.push(1, { body: 'torso', impulse: [0, 2, 0] });
    expect(record).toMatchObject({ body: 'torso', step: 0 });
    const b = await vec.step(new Float32Array(16));
    expect(Array.from(b.hasFinal)).toEqual([0, 0]);
    const vy = (i: number) => b.obs.observation![i * 27 + 14]!;
    expect(vy(1)).toBeGreaterThan(vy(0) + 1);
    await expect(vec.push(2, { body: 'torso', impulse: [0, 0, 1] })).rejects.toThrow(/no env 2/);
    await vec.close();
  });

  it('does not grow the heap over 10k batched steps', async () => {
    v8.setFlagsFromString('--expose-gc');
    const gc = vm.runInNewContext('gc') as () => void;
    const vec = await makeVectorEnv('half-cheetah', { numEnvs: 2, seed: 0, config: { maxEpisodeSteps: 200 } });
    await vec.reset();
    const actions = new Float32Array(12).fill(0.2);
    for (let t = 0; t < 500; t++) await vec.step(actions);
    gc();
    const before = process.memoryUsage().heapUsed;
    for (let t = 0; t < 10_000; t++) await vec.step(actions);
    gc();
    const growth = process.memoryUsage().heapUsed - before;
    expect(growth).toBeLessThan(2 * 1024 * 1024);
    await vec.close();
  });
});
