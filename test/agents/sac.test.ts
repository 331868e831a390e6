// SAC's losses and agent: the soft target, the tanh log-likelihood, the temperature's direction, validation and memory.
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../agents/backend.ts';
import { Sac, actionPenalty, actorLoss, alphaLoss, criticLoss, criticTarget, parseSacConfig, squashedGaussian, type TransitionBatch } from '../../agents/sac.ts';
import { Rng } from '../../sim/rng.ts';

beforeAll(async () => {
  await initBackend('wasm', () => {});
});

function randomBatch(size: number, obsDim: number, actDim: number, seed: number): TransitionBatch {
  const rng = new Rng(seed);
  const fill = (n: number) => Float32Array.from({ length: n }, () => rng.range(-1, 1));
  return { size, obs: fill(size * obsDim), action: fill(size * actDim), reward: fill(size), nextObs: fill(size * obsDim), terminated: new Float32Array(size) };
}

describe('SAC losses', () => {
  it('critic target is r + γ(1 − d)(min(Q1, Q2) − α log π)', () => {
    const y = tf.tidy(() => criticTarget(
      tf.tensor2d([[1], [2]]), tf.tensor2d([[0], [1]]),
      tf.tensor3d([[[5], [7]], [[3], [9]]]), tf.tensor2d([[-1], [0.5]]), 0.2, 0.9,
    ).dataSync());
    expect(y[0]).toBeCloseTo(1 + 0.9 * (3 - 0.2 * -1), 5);
    expect(y[1]).toBeCloseTo(2, 5);
  });

  it('critic loss sums the twins\' half mean squared errors; actor loss uses the twin minimum', () => {
    const [c, a] = tf.tidy(() => {
      const q = tf.tensor3d([[[1], [2]], [[3], [0]]]);
      return [criticLoss(q, tf.tensor2d([[1], [1]])).dataSync()[0]!, actorLoss(tf.tensor2d([[0.5], [-0.5]]), q, 2).dataSync()[0]!];
    });
    expect(c).toBeCloseTo(0.5 * ((0 + 1) / 2 + (4 + 1) / 2), 5);
    expect(a).toBeCloseTo(((2 * 0.5 - 1) + (2 * -0.5 - 0)) / 2, 5);
  });

  it('action penalty is λ times the mean squared action entry', () => {
    const p = tf.tidy(() => actionPenalty(tf.tensor2d([[0.5, -1], [0, 0.5]]), 2).dataSync()[0]!);
    expect(p).toBeCloseTo(2 * (0.25 + 1 + 0 + 0.25) / 4, 6);
  });

  it('temperature loss pushes log α down when entropy exceeds the target and up when below', () => {
    const grad = (logp: number, target: number) => tf.tidy(() => {
      const la = tf.scalar(0);
      return tf.grad((x: tf.Tensor) => alphaLoss(x, tf.tensor2d([[logp]]), target))(la).dataSync()[0]!;
    });
    expect(grad(1, -6)).toBeGreaterThan(0); // entropy −log π = −1 above the target −6: α falls
    expect(grad(10, -6)).toBeLessThan(0); // entropy −10 below the target: α rises
  });

  it('tanh-Gaussian log-likelihood matches the density of squashed samples, estimated numerically', () => {
    const mean = 0.3, logStd = -0.4, n = 400_000, width = 0.02;
    const rng = new Rng(3);
    const samples = Float64Array.from({ length: n }, () => Math.tanh(mean + Math.exp(logStd) * rng.normal()));
    for (const a of [-0.5, 0, 0.4, 0.8]) {
      const u = Math.atanh(a);
      const eps = (u - mean) / Math.exp(logStd);
      const logp = tf.tidy(() => squashedGaussian(tf.tensor2d([[mean]]), tf.tensor2d([[logStd]]), tf.tensor2d([[eps]])).logp.dataSync()[0]!);
      const inBin = samples.reduce((k, s) => k + (Math.abs(s - a) < width / 2 ? 1 : 0), 0);
      expect(Math.exp(logp)).toBeCloseTo(inBin / n / width, 1);
      expect(Math.abs(Math.exp(logp) / (inBin / n / width) - 1)).toBeLessThan(0.05);
    }
  });
});

describe('SAC agent', () => {
  it('rejects bad hyperparameters with an error naming the field', () => {
    expect(() => parseSacConfig({ gamma: 1.5 })).toThrow(/config\.gamma/);
    expect(() => parseSacConfig({ hidden: [0] })).toThrow(/config\.hidden\.0/);
    expect(() => parseSacConfig({ batchsize: 3 })).toThrow(/batchsize|unrecognized/i);
    expect(() => parseSacConfig({ alpha: 'sometimes' })).toThrow(/config\.alpha/);
  });

  it('moves α down when the policy is more random than the target entropy, up when less', () => {
    const batch = randomBatch(64, 5, 2, 1);
    const down = new Sac(5, 2, parseSacConfig({ hidden: [16], batchSize: 64, lr: 1e-2 }), 1);
    const up = new Sac(5, 2, parseSacConfig({ hidden: [16], batchSize: 64, lr: 1e-2, targetEntropy: 5 }), 1);
    for (let i = 0; i < 20; i++) {
      down.update(batch);
      up.update(batch);
    }
    expect(down.alpha).toBeLessThan(0.9);
    expect(up.alpha).toBeGreaterThan(1.1);
    down.dispose();
    up.dispose();
  });

  it('steps the critics at criticLr and the actor at lr (Adam\'s first step moves each weight by about its rate)', () => {
    const sac = new Sac(5, 2, parseSacConfig({ hidden: [16], batchSize: 64, lr: 1e-4, criticLr: 1e-2 }), 7);
    const snapshot = (vars: tf.Variable[]) => vars.map((v) => Float32Array.from(v.dataSync()));
    const maxStep = (vars: tf.Variable[], before: Float32Array[]) =>
      Math.max(...vars.map((v, i) => Math.max(...Array.from(v.dataSync(), (x, j) => Math.abs(x - before[i]![j]!)))));
    const actor0 = snapshot(sac.actor.params), critic0 = snapshot(sac.critic.params);
    sac.update(randomBatch(64, 5, 2, 8));
    expect(maxStep(sac.critic.params, critic0)).toBeCloseTo(1e-2, 3);
    expect(maxStep(sac.actor.params, actor0)).toBeCloseTo(1e-4, 5);
    expect(() => parseSacConfig({ criticLr: -1 })).toThrow(/config\.criticLr/);
    sac.dispose();
  });

  it('pulls the mean action toward zero with the action penalty, and leaves it alone without', () => {
    const batch = randomBatch(64, 5, 2, 3);
    batch.reward.fill(0);
    const meanAbs = (sac: Sac) => {
      const out = new Float32Array(64 * 2);
      sac.act(batch.obs, out, 64, true);
      return out.reduce((s, a) => s + Math.abs(a), 0) / out.length;
    };
    const cfg = { hidden: [16], batchSize: 64, lr: 1e-2, alpha: 0 };
    const plain = new Sac(5, 2, parseSacConfig(cfg), 5), penalised = new Sac(5, 2, parseSacConfig({ ...cfg, actionL2: 10 }), 5);
    const start = meanAbs(plain);
    for (let i = 0; i < 40; i++) {
      plain.update(batch);
      penalised.update(batch);
    }
    expect(meanAbs(penalised)).toBeLessThan(0.5 * Math.min(start, meanAbs(plain)));
    plain.dispose();
    penalised.dispose();
  });

  it('keeps the tensor count flat across updates and action selection', () => {
    const sac = new Sac(7, 3, parseSacConfig({ hidden: [32, 32], batchSize: 32 }), 2);
    const batch = randomBatch(32, 7, 3, 4);
    const out = new Float32Array(4 * 3);
    sac.update(batch);
    sac.act(batch.obs, out, 4, false);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 25; i++) {
      sac.update(batch);
      sac.act(batch.obs, out, 4, i % 2 === 0);
    }
    expect(tf.memory().numTensors).toBe(before);
    expect([...out].every((a) => a >= -1 && a <= 1)).toBe(true);
    sac.dispose();
  });

  it('leaves no tensor behind once disposed, including after its state was restored', () => {
    const before = tf.memory().numTensors;
    const a = new Sac(7, 3, parseSacConfig({ hidden: [16], batchSize: 8 }), 2);
    a.update(randomBatch(8, 7, 3, 5));
    const b = new Sac(7, 3, parseSacConfig({ hidden: [16], batchSize: 8 }), 3);
    const { arrays, state } = a.getState();
    b.setState(arrays, state);
    a.dispose();
    b.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('is deterministic for a seed, and its state round-trips exactly', () => {
    const run = () => {
      const sac = new Sac(4, 2, parseSacConfig({ hidden: [8], batchSize: 16 }), 9);
      const batch = randomBatch(16, 4, 2, 9);
      for (let i = 0; i < 5; i++) sac.update(batch);
      return sac;
    };
    const a = run(), b = run();
    const sa = a.getState(), sb = b.getState();
    expect(Object.keys(sa.arrays)).toEqual(Object.keys(sb.arrays));
    for (const k of Object.keys(sa.arrays)) expect(sb.arrays[k]).toEqual(sa.arrays[k]);
    const c = new Sac(4, 2, parseSacConfig({ hidden: [8], batchSize: 16 }), 123);
    c.setState(sa.arrays, sa.state);
    const sc = c.getState();
    for (const k of Object.keys(sa.arrays)) expect(sc.arrays[k]).toEqual(sa.arrays[k]);
    expect(sc.state).toEqual(sa.state);
    for (const s of [a, b, c]) s.dispose();
  });
});
