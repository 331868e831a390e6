// The explicit-transpose matMul gradients give the same values as tfjs's own gradients on the cpu backend.
import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { registerTransposeGradients, transposeGradientsEnabled } from '../../agents/grad-fix.ts';
import { Rng } from '../../sim/rng.ts';

/** Gradients of sum(op(A)·op(B) ⊙ W) with respect to A and B, for every transpose combination. */
function grads(seed: number): Float32Array[] {
  const rng = new Rng(seed);
  const fill = (shape: number[]) => tf.tensor(Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => rng.range(-1, 1)), shape);
  const out: Float32Array[] = [];
  for (const [ta, tb] of [[false, false], [false, true], [true, false], [true, true]] as const) {
    tf.tidy(() => {
      const a = fill(ta ? [5, 3] : [3, 5]), b = fill(tb ? [4, 5] : [5, 4]), w = fill([3, 4]);
      const g = tf.grads((x: tf.Tensor, y: tf.Tensor) => tf.sum(tf.mul(tf.matMul(x, y, ta, tb), w)))([a, b]);
      out.push(...g.map((t) => t.dataSync() as Float32Array));
      const a3 = fill([2, 3, 5]), b3 = fill([2, 5, 4]), w3 = fill([2, 3, 4]);
      const g3 = tf.grads((x: tf.Tensor, y: tf.Tensor) => tf.sum(tf.mul(tf.matMul(x, y), w3)))([a3, b3]);
      out.push(...g3.map((t) => t.dataSync() as Float32Array));
    });
  }
  return out;
}

describe('explicit-transpose matMul gradients', () => {
  it('match the cpu backend\'s own gradients (all transpose flags, rank 2 and 3)', async () => {
    await tf.setBackend('cpu');
    registerTransposeGradients(false);
    const reference = grads(1);
    await tf.setBackend('wasm');
    registerTransposeGradients(true);
    expect(transposeGradientsEnabled()).toBe(true);
    const fixed = grads(1);
    expect(fixed.length).toBe(reference.length);
    let worst = 0;
    fixed.forEach((g, i) => g.forEach((v, j) => { worst = Math.max(worst, Math.abs(v - reference[i]![j]!)); }));
    expect(worst).toBeLessThan(1e-5);
  });
});
