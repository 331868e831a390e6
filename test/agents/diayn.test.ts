// DIAYN: the pseudo-reward on a hand-built discriminator, skills held for whole episodes, recent held-out states, warm-up (with input noise) and freezing, separable skills on a point env.
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../agents/backend.ts';
import { DiaynLearner, parseDiaynConfig, pseudoReward } from '../../agents/diayn.ts';
import { parseSacConfig } from '../../agents/sac.ts';
import { train } from '../../agents/train.ts';
import { makeVectorEnv } from '../../tasks/vector/vector-env.ts';
import { layoutSize, sliceOf } from '../../tasks/layout.ts';
import '../support/point-2d.ts';

beforeAll(async () => {
  await initBackend('wasm', () => {});
});

describe('DIAYN', () => {
  it('pseudo-reward is log q(z|s) − log p(z)', () => {
    const r = tf.tidy(() => pseudoReward(tf.tensor2d([[2, 0, -1, 0.5], [0, 0, 0, 0]]), tf.tensor1d([0, 3], 'int32'), 4).dataSync());
    const logq0 = 2 - Math.log(Math.exp(2) + 1 + Math.exp(-1) + Math.exp(0.5));
    expect(r[0]).toBeCloseTo(logq0 + Math.log(4), 5);
    expect(r[1]).toBeCloseTo(0, 6);
  });

  it('rewards transitions through a hand-built discriminator q(z|s) = softmax(b)', async () => {
    const vec = await makeVectorEnv('point-2d', { numEnvs: 2, seed: 1 });
    await vec.reset();
    const learner = new DiaynLearner(vec.spec, 2, parseSacConfig({ hidden: [8], batchSize: 64, learningStarts: 10_000 }), parseDiaynConfig({ skills: 3, hidden: [4], lr: 1e-12 }), 1);
    learner.start(vec);
    for (let s = 0; s < 60; s++) await learner.collect(vec, 2 * s);
    const b = [0.5, -1, 2];
    learner.disc.setWeights(learner.disc.params.map((p, i) => (i === learner.disc.params.length - 1 ? Float32Array.from(b) : new Float32Array(p.size))));
    const batch = learner.sampleBatch();
    const logZ = Math.log(b.reduce((a, v) => a + Math.exp(v), 0));
    for (let i = 0; i < 64; i++) {
      const z = batch.obs.subarray(i * 5 + 2, i * 5 + 5).indexOf(1);
      expect(batch.nextObs[i * 5 + 2 + z]).toBe(1);
      expect(batch.reward[i]).toBeCloseTo(b[z]! - logZ + Math.log(3), 4);
    }
    await vec.close();
  });

  it('holds each skill for a whole episode and draws a new one at the next', async () => {
    const vec = await makeVectorEnv('point-2d', { numEnvs: 3, seed: 2, config: { maxEpisodeSteps: 7 } });
    await vec.reset();
    const learner = new DiaynLearner(vec.spec, 3, parseSacConfig({ hidden: [8], batchSize: 16, learningStarts: 10_000 }), parseDiaynConfig({ skills: 50, hidden: [4] }), 2);
    learner.start(vec);
    let changes = 0;
    for (let s = 0; s < 70; s++) {
      const before = Int32Array.from(learner.skill);
      await learner.collect(vec, 3 * s);
      for (let i = 0; i < 3; i++) {
        if (!vec.batch.hasFinal[i]) expect(learner.skill[i]).toBe(before[i]);
        else if (learner.skill[i] !== before[i]) changes++;
      }
    }
    expect(changes).toBeGreaterThan(20);
    await vec.close();
  });

  it('logs each skill\'s mean displacement and speed over the training episodes since the last row', async () => {
    const vec = await makeVectorEnv('point-2d', { numEnvs: 3, seed: 4, config: { maxEpisodeSteps: 6 } });
    await vec.reset();
    const learner = new DiaynLearner(vec.spec, 3, parseSacConfig({ hidden: [8], batchSize: 16, learningStarts: 10_000 }), parseDiaynConfig({ skills: 3, hidden: [4] }), 3);
    learner.start(vec);
    const sums = new Map<number, number[]>();
    for (let s = 0; s < 60; s++) {
      const skills = Int32Array.from(learner.skill);
      await learner.collect(vec, 3 * s);
      for (let i = 0; i < 3; i++) {
        if (!vec.batch.hasFinal[i]) continue;
        const acc = sums.get(skills[i]!) ?? [0, 0, 0];
        sums.set(skills[i]!, [acc[0]! + vec.batch.finalDisplacement[2 * i]!, acc[1]! + vec.batch.finalDisplacement[2 * i + 1]!, acc[2]! + 1]);
      }
    }
    const m = learner.motionMetrics();
    expect(sums.size).toBeGreaterThan(1);
    for (const [z, [dx, dy, n]] of sums) {
      expect(m[`skill/${z}/displacement_x`]).toBeCloseTo(dx! / n!, 5);
      expect(m[`skill/${z}/displacement_y`]).toBeCloseTo(dy! / n!, 5);
      expect(m[`skill/${z}/x_velocity`]).toBeCloseTo(dx! / (n! * 6 * vec.spec.dt), 5);
    }
    expect(m['skills/octants']).toBeGreaterThanOrEqual(1);
    expect(Object.keys(m).filter((k) => k.includes('pitch'))).toEqual([]);
    expect(learner.motionMetrics()).toEqual({});
    await vec.close();
  });

  it('logs each skill\'s net pitch rotation per episode and the largest one, from the unwrapped torso pitch', async () => {
    const vec = await makeVectorEnv('half-cheetah', { numEnvs: 2, seed: 7, config: { maxEpisodeSteps: 4 } });
    await vec.reset();
    const learner = new DiaynLearner(vec.spec, 2, parseSacConfig({ hidden: [8], batchSize: 16, learningStarts: 10_000 }), parseDiaynConfig({ skills: 2, hidden: [4] }), 7);
    const at = sliceOf(vec.spec.obsLayout.observation!, 'rooty').start, od = layoutSize(vec.spec.obsLayout.observation!);
    learner.start(vec);
    const start = [0, 1].map((i) => vec.batch.obs.observation![i * od + at]!), sums = new Map<number, number[]>();
    let largest = 0;
    for (let s = 0; s < 12; s++) {
      const skills = Int32Array.from(learner.skill);
      await learner.collect(vec, 2 * s);
      for (let i = 0; i < 2; i++) {
        if (!vec.batch.hasFinal[i]) continue;
        const rot = vec.batch.finalObs.observation![i * od + at]! - start[i]!, acc = sums.get(skills[i]!) ?? [0, 0];
        sums.set(skills[i]!, [acc[0]! + rot, acc[1]! + 1]);
        largest = Math.max(largest, Math.abs(rot));
        start[i] = vec.batch.obs.observation![i * od + at]!;
      }
    }
    const m = learner.motionMetrics();
    expect(largest).toBeGreaterThan(0);
    for (const [z, [sum, n]] of sums) expect(m[`skill/${z}/pitch_rotation`]).toBeCloseTo(sum! / n!, 5);
    expect(m['skills/max_abs_pitch_rotation']).toBeCloseTo(largest, 5);
    await vec.close();
  });

  it('measures accuracy on the most recent held-out states, not on all of training', async () => {
    const vec = await makeVectorEnv('point-2d', { numEnvs: 1, seed: 5, config: { maxEpisodeSteps: 5 } });
    await vec.reset();
    const learner = new DiaynLearner(vec.spec, 1, parseSacConfig({ hidden: [8], batchSize: 16, learningStarts: 10_000 }), parseDiaynConfig({ skills: 3, hidden: [4], heldOutEvery: 2, heldOutSize: 10 }), 5);
    learner.start(vec);
    const heldOut: string[] = [];
    for (let s = 0, episode = 0; s < 60; s++) {
      await learner.collect(vec, s);
      const b = vec.batch, next = b.hasFinal[0] ? b.finalObs.observation! : b.obs.observation!;
      if (episode % 2 === 0) heldOut.push(Array.from(next.subarray(0, 2), (v) => v.toFixed(5)).join());
      if (b.hasFinal[0]) episode++;
    }
    const x = learner.getState().arrays['heldout/x']!;
    const kept = Array.from({ length: x.length / 2 }, (_, i) => Array.from(x.subarray(2 * i, 2 * i + 2), (v) => v.toFixed(5)).join());
    expect(heldOut.length).toBeGreaterThan(20);
    expect(kept.sort()).toEqual(heldOut.slice(-10).sort());
    expect(learner.heldOutMetrics()['disc/heldout_states']).toBe(10);
    await vec.close();
  });

  it('reads only the warm-up features before the warm-up ends, then all of them', async () => {
    const vec = await makeVectorEnv('half-cheetah', { numEnvs: 1, seed: 6, config: { maxEpisodeSteps: 5 } });
    await vec.reset();
    const diayn = parseDiaynConfig({ skills: 3, hidden: [8], heldOutEvery: 2, warmup: { features: ['root_velocity'], steps: 30 } });
    const learner = new DiaynLearner(vec.spec, 1, parseSacConfig({ hidden: [8], batchSize: 16, learningStarts: 10_000 }), diayn, 6);
    const joint = 2; // joint_angles[0], outside the warm-up
    learner.start(vec);
    const obs = Float32Array.from(vec.batch.obs.observation!), moved = Float32Array.from(obs);
    moved[joint] = obs[joint]! + 1;
    const rows: Record<string, number>[] = [];
    for (const steps of [0, 29, 30]) {
      await learner.collect(vec, steps);
      const [a, b] = [learner.posterior(obs, 1), learner.posterior(moved, 1)];
      rows.push({ same: Number(a.every((v, k) => v === b[k])), warm: learner.heldOutMetrics()['disc/warmup'] ?? -1 });
    }
    expect(rows).toEqual([{ same: 1, warm: 1 }, { same: 1, warm: 1 }, { same: 0, warm: 0 }]);
    expect(learner.activeFeatures()).toEqual(learner.features);
    expect(() => new DiaynLearner(vec.spec, 1, parseSacConfig({}), parseDiaynConfig({ features: ['root_velocity'], warmup: { features: ['rooty'], steps: 1 } }), 1)).toThrow(/warmup\.features/);
    await vec.close();
  });

  it('reads each warm-up stage\'s features in turn, then all of them, and rejects stages out of order', async () => {
    const vec = await makeVectorEnv('half-cheetah', { numEnvs: 1, seed: 6, config: { maxEpisodeSteps: 5 } });
    await vec.reset();
    const layout = vec.spec.obsLayout.observation!, pitch = sliceOf(layout, 'rooty').start, rate = sliceOf(layout, 'root_velocity').start + 2;
    const diayn = parseDiaynConfig({ skills: 3, hidden: [8], warmup: [{ features: ['rooty'], steps: 10 }, { features: ['rooty', 'root_velocity[2]'], steps: 20 }] });
    const learner = new DiaynLearner(vec.spec, 1, parseSacConfig({ hidden: [8], batchSize: 16, learningStarts: 10_000 }), diayn, 6);
    learner.start(vec);
    const read: number[][] = [], stage: number[] = [];
    for (const steps of [0, 9, 10, 19, 20]) {
      await learner.collect(vec, steps);
      read.push(learner.activeFeatures().filter((i) => i >= 0));
      stage.push(learner.heldOutMetrics()['disc/warmup']!);
    }
    expect(read.slice(0, 4)).toEqual([[pitch], [pitch], [pitch, rate], [pitch, rate]]);
    expect(read[4]).toEqual(learner.features);
    expect(stage).toEqual([1, 1, 2, 2, 0]);
    expect(() => parseDiaynConfig({ warmup: [{ features: ['rooty'], steps: 20 }, { features: ['rooty'], steps: 10 }] })).toThrow(/config\.warmup: stages must have ascending steps/);
    await vec.close();
  });

  it('with warm-up noise, trains the discriminator on noisy inputs but pays the pseudo-reward on the clean ones', async () => {
    const weightsAfter = async (noise: number) => {
      const vec = await makeVectorEnv('point-2d', { numEnvs: 2, seed: 4, config: { maxEpisodeSteps: 10 } });
      await vec.reset();
      const diayn = parseDiaynConfig({ skills: 3, hidden: [4], warmup: { features: ['pos'], steps: 1000, noise } });
      const learner = new DiaynLearner(vec.spec, 2, parseSacConfig({ hidden: [8], batchSize: 32, learningStarts: 16 }), diayn, 4);
      learner.start(vec);
      for (let s = 0; s < 40; s += 2) {
        await learner.collect(vec, s);
        learner.learn(s + 2);
      }
      await vec.close();
      return { learner, w: learner.disc.getWeights().map((w) => Float32Array.from(w)) };
    };
    const clean = await weightsAfter(0), noisy = await weightsAfter(50);
    expect(noisy.w.some((w, i) => w.some((v, k) => v !== clean.w[i]![k]))).toBe(true);
    const { learner } = noisy;
    const batch = learner.sampleBatch(), next = new Float32Array(64);
    for (let i = 0; i < 32; i++) next.set(batch.nextObs.subarray(i * 5, i * 5 + 2), i * 2);
    const q = learner.posterior(next, 32);
    for (let i = 0; i < 32; i++) {
      const z = batch.obs.subarray(i * 5 + 2, i * 5 + 5).indexOf(1);
      expect(batch.reward[i]).toBeCloseTo(Math.log(q[i * 3 + z]!) + Math.log(3), 4);
    }
    expect(() => parseDiaynConfig({ warmup: { features: ['pos'], steps: 5, noise: -1 } })).toThrow(/config\.warmup\.noise/);
  });

  it('with zeroNewInputs, zeroes the weights of inputs a stage reads first, so q(z|s) does not jump at the switch', async () => {
    const same: Record<string, boolean> = {}, zeroRows: Record<string, number> = {};
    let fresh = 0;
    for (const zeroNewInputs of [true, false, 1000]) {
      const vec = await makeVectorEnv('half-cheetah', { numEnvs: 2, seed: 8, config: { maxEpisodeSteps: 10 } });
      await vec.reset();
      const diayn = parseDiaynConfig({ skills: 3, hidden: [8], warmup: { features: ['rooty'], steps: 60 }, zeroNewInputs });
      const learner = new DiaynLearner(vec.spec, 2, parseSacConfig({ hidden: [8], batchSize: 8, learningStarts: 16 }), diayn, 8);
      learner.start(vec);
      const W0 = learner.disc.params[0]!.arraySync() as number[][];
      for (let s = 0; s < 58; s += 2) {
        await learner.collect(vec, s);
        learner.learn(s + 2);
      }
      const at = learner.features.indexOf(sliceOf(vec.spec.obsLayout.observation!, 'rooty').start);
      expect((learner.disc.params[0]!.arraySync() as number[][])[at]!.some((v, j) => v !== W0[at]![j])).toBe(true);
      const obs = Float32Array.from(vec.batch.obs.observation!.subarray(0, layoutSize(vec.spec.obsLayout.observation!)));
      const before = learner.posterior(obs, 1);
      await learner.collect(vec, 60);
      same[String(zeroNewInputs)] = learner.posterior(obs, 1).every((v, k) => Math.abs(v - before[k]!) < 1e-6);
      const W = learner.disc.params[0]!.arraySync() as number[][];
      zeroRows[String(zeroNewInputs)] = W.filter((row) => row.every((v) => v === 0)).length;
      fresh = learner.features.length - 1;
      await vec.close();
    }
    expect(same).toEqual({ true: true, false: false, 1000: false });
    expect(fresh).toBe(16);
    expect(zeroRows).toEqual({ true: fresh, false: 0, 1000: 0 });
  });

  it('with freezePolicyAt, stops SAC and the normaliser at that step while the discriminator keeps training', async () => {
    const vec = await makeVectorEnv('point-2d', { numEnvs: 2, seed: 9, config: { maxEpisodeSteps: 10 } });
    await vec.reset();
    const sac = parseSacConfig({ hidden: [8], batchSize: 8, learningStarts: 16, normalizeObs: true });
    const learner = new DiaynLearner(vec.spec, 2, sac, parseDiaynConfig({ skills: 3, hidden: [4], freezePolicyAt: 60 }), 9);
    learner.start(vec);
    const run = async (from: number, to: number) => {
      for (let s = from; s < to; s += 2) {
        await learner.collect(vec, s);
        learner.learn(s + 2);
      }
    };
    const snap = () => ({ ...learner.getState(), disc: learner.disc.getWeights().map((w) => Float32Array.from(w)) });
    await run(0, 30);
    const early = snap();
    await run(30, 60);
    const atFreeze = snap();
    expect(learner.frozen).toBe(true);
    await run(60, 120);
    const late = snap();
    const changed = (a: Float32Array[], b: Float32Array[]) => a.some((w, i) => w.some((v, k) => v !== b[i]![k]));
    const sacKeys = Object.keys(early.arrays).filter((k) => !k.includes('discriminator') && !k.startsWith('heldout'));
    expect(sacKeys.length).toBeGreaterThan(0);
    expect(changed(sacKeys.map((k) => early.arrays[k]!), sacKeys.map((k) => atFreeze.arrays[k]!))).toBe(true);
    expect(changed(sacKeys.map((k) => atFreeze.arrays[k]!), sacKeys.map((k) => late.arrays[k]!))).toBe(false);
    expect(late.state.normalizer).toEqual(atFreeze.state.normalizer);
    expect(late.state.normalizer).not.toEqual(early.state.normalizer);
    expect(changed(atFreeze.disc, late.disc)).toBe(true);
    expect(learner.drain()['policy/frozen']).toBe(1);
    expect(() => parseDiaynConfig({ freezePolicyAt: -5 })).toThrow(/config\.freezePolicyAt/);
    await vec.close();
  });

  it('with fitFrozenOnly, trains the frozen discriminator on the rows collected since the freeze only', async () => {
    const vec = await makeVectorEnv('point-2d', { numEnvs: 2, seed: 4, config: { maxEpisodeSteps: 10 } });
    await vec.reset();
    const sac = parseSacConfig({ hidden: [8], batchSize: 64, learningStarts: 16 });
    const learner = new DiaynLearner(vec.spec, 2, sac, parseDiaynConfig({ skills: 3, hidden: [4], freezePolicyAt: 60, fitFrozenOnly: true }), 4);
    learner.start(vec);
    const sampled = (learner as unknown as { sampled: Record<string, Float32Array> }).sampled;
    const obsKey = (a: Float32Array, i: number) => `${a[2 * i]},${a[2 * i + 1]}`;
    const rowsFrom = (first: number) => {
      const b = learner.buffer, keys = new Set<string>();
      for (let r = first; r < b.size; r++) keys.add(obsKey(b.data.subarray(r * b.rowSize + b.offsets.obs!), 0));
      return keys;
    };
    for (let s = 0; s < 100; s += 2) {
      await learner.collect(vec, s);
      learner.learn(s + 2);
    }
    const before = rowsFrom(0), after = rowsFrom(60);
    const drawn = Array.from({ length: 64 }, (_, i) => obsKey(sampled.obs!, i));
    expect(drawn.every((k) => after.has(k))).toBe(true);
    expect(before.size).toBeGreaterThan(after.size + 20);
    expect(() => parseDiaynConfig({ fitFrozenOnly: true })).toThrow(/config\.fitFrozenOnly: needs freezePolicyAt/);
    await vec.close();
  });

  it('learns skills a held-out discriminator tells apart far above chance on a point mass', async () => {
    const rows: Record<string, number>[] = [];
    await train({
      env: 'point-2d', agent: 'diayn', diayn: { skills: 4, hidden: [32, 32], lr: 1e-3 }, steps: 2500, seed: 1, evalEvery: 0, logEvery: 500, progress: false,
      sac: { hidden: [64, 64], learningStarts: 300, batchSize: 128, lr: 1e-3 },
    }, { onMetrics: (m) => rows.push(m) });
    const last = rows.at(-1)!;
    expect(last['disc/chance']).toBeCloseTo(0.25, 6);
    expect(last['disc/heldout_accuracy']).toBeGreaterThan(0.6);
    expect(last['disc/mi_lower_bound']).toBeGreaterThan(rows[0]!['disc/mi_lower_bound']! + 0.5);
  }, 300_000);
});
