// Checkpoints: atomic replacement, recovery of an interrupted save, validation; policies in tfjs layers-model format.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../agents/backend.ts';
import { loadCheckpoint, resolveCheckpoint, saveCheckpoint } from '../../agents/checkpoint.ts';
import { Mlp } from '../../agents/nn.ts';
import { loadPolicy, savePolicy, type PolicyMeta } from '../../agents/policy-io.ts';
import { Rng } from '../../sim/rng.ts';

const dir = mkdtempSync(join(tmpdir(), 'paddock-ckpt-'));
beforeAll(async () => {
  await initBackend('wasm', () => {});
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('checkpoint files', () => {
  it('round-trip state and arrays exactly', async () => {
    const arrays = { a: Float32Array.from([1, 2, 3]), b: Float32Array.from([Math.PI]) };
    await saveCheckpoint(join(dir, 'c1'), { state: { step: 7 }, arrays });
    const back = loadCheckpoint(join(dir, 'c1'));
    expect(back.state).toEqual({ step: 7 });
    expect(back.arrays).toEqual(arrays);
  });

  it('leave the previous checkpoint intact when a save fails part-way', async () => {
    const target = join(dir, 'c2');
    await saveCheckpoint(target, { state: { version: 'first' }, arrays: { w: Float32Array.from([1]) } });
    await expect(saveCheckpoint(target, { state: { version: 'second' }, arrays: { w: Float32Array.from([2]) } }, () => {
      throw new Error('disk full');
    })).rejects.toThrow(/disk full/);
    expect(loadCheckpoint(target).state).toEqual({ version: 'first' });
    expect(readdirSync(dir).filter((n) => n.startsWith('c2'))).toEqual(['c2']);
  });

  it('fall back to the previous version when a crash left only it', async () => {
    const target = join(dir, 'c3');
    await saveCheckpoint(target, { state: { n: 1 }, arrays: {} });
    renameSync(target, `${target}.old`);
    expect(resolveCheckpoint(target)).toBe(`${target}.old`);
    expect(loadCheckpoint(target).state).toEqual({ n: 1 });
    await saveCheckpoint(target, { state: { n: 2 }, arrays: {} });
    expect(existsSync(`${target}.old`)).toBe(false);
    expect(loadCheckpoint(target).state).toEqual({ n: 2 });
  });

  it('name the file and field of a damaged checkpoint', async () => {
    const target = join(dir, 'c4');
    await saveCheckpoint(target, { state: {}, arrays: { w: new Float32Array(4) } });
    const file = join(target, 'checkpoint.json');
    writeFileSync(file, JSON.stringify({ ...JSON.parse(readFileSync(file, 'utf8')), arrays: [{ name: 'w', offset: 0, length: -1 }] }));
    expect(() => loadCheckpoint(target)).toThrow(/checkpoint\.json: arrays\.0\.length/);
    expect(() => loadCheckpoint(join(dir, 'missing'))).toThrow(/no checkpoint/);
  });
});

describe('saved policies', () => {
  it('load in TensorFlow.js as a layers model that computes the same outputs as Paddock\'s policy', async () => {
    const actor = new Mlp({ inputDim: 5, hidden: [16, 8], outputDim: 4, ensemble: 1 }, new Rng(3), 'actor');
    const meta: PolicyMeta = { kind: 'tanh-gaussian', task: 'test', obsDim: 5, actDim: 2, hidden: [16, 8], actionLow: [-1, -2], actionHigh: [1, 2], logStdMin: -20, logStdMax: 2, provenance: {} };
    await savePolicy(join(dir, 'policy'), actor, meta);
    const json = JSON.parse(readFileSync(join(dir, 'policy', 'model.json'), 'utf8'));
    const weights = readFileSync(join(dir, 'policy', 'weights.bin'));
    const model = await tf.loadLayersModel(tf.io.fromMemory({ modelTopology: json.modelTopology, weightSpecs: json.weightsManifest[0].weights, weightData: weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength) }));
    const obs = Float32Array.from({ length: 3 * 5 }, (_, i) => Math.sin(i));
    const out = (model.predict(tf.tensor2d(obs, [3, 5])) as tf.Tensor).dataSync();
    const policy = loadPolicy(join(dir, 'policy'));
    const act = new Float32Array(3 * 2);
    policy.act(obs, act, 3, true);
    for (let i = 0; i < 3; i++) {
      expect(act[2 * i]).toBeCloseTo(-1 + (Math.tanh(out[4 * i]!) + 1), 5);
      expect(act[2 * i + 1]).toBeCloseTo(-2 + (Math.tanh(out[4 * i + 1]!) + 1) * 2, 5);
    }
    model.dispose();
    policy.dispose();
    actor.dispose();
  });
});
