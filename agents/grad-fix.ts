// matMul gradients that transpose explicitly: on tfjs-wasm a matMul with a transpose flag is ~10× slower than a plain one.
import * as tf from '@tensorflow/tfjs';

/** Swaps the last two axes of a rank ≥ 2 tensor (an explicit, materialised transpose). */
function swapLast(x: tf.Tensor): tf.Tensor {
  const perm = x.shape.map((_, i) => i);
  const r = perm.length;
  perm[r - 2] = r - 1;
  perm[r - 1] = r - 2;
  return tf.transpose(x, perm);
}

/**
 * Gradient of C = op(A)·op(B) with only plain (untransposed) matMuls:
 * dA = dC·Bᵀ and dB = Aᵀ·dC, with each transpose materialised first.
 * Same values as tfjs's own BatchMatMul gradient (compared in test/agents/grad-fix.test.ts).
 */
const batchMatMulGrad: tf.GradConfig = {
  kernelName: 'BatchMatMul',
  inputsToSave: ['a', 'b'],
  gradFunc: (dy, saved, attrs) => {
    const [a, b] = saved as [tf.Tensor, tf.Tensor];
    const dC = dy as tf.Tensor;
    const { transposeA, transposeB } = attrs as unknown as { transposeA: boolean; transposeB: boolean };
    if (!transposeA && !transposeB) return { a: () => tf.matMul(dC, swapLast(b)), b: () => tf.matMul(swapLast(a), dC) };
    if (!transposeA) return { a: () => tf.matMul(dC, b), b: () => tf.matMul(swapLast(dC), a) };
    if (!transposeB) return { a: () => tf.matMul(b, swapLast(dC)), b: () => tf.matMul(a, dC) };
    return { a: () => tf.matMul(swapLast(b), swapLast(dC)), b: () => tf.matMul(swapLast(dC), swapLast(a)) };
  },
};

let original: tf.GradConfig | undefined;
let enabled = false;

/**
 * Replaces tfjs's BatchMatMul gradient (which uses transpose flags) with `batchMatMulGrad`, or
 * restores tfjs's own (`on = false`, for side-by-side benchmarks and tests). tfjs 4.22's fused
 * matMul (`_FusedMatMul`) defines its gradient with `customGrad` inside the op rather than in the
 * gradient registry, so it cannot be overridden this way; Paddock's networks therefore do not use
 * `tf.fused.matMul` (agents/nn.ts). Global; idempotent.
 */
export function registerTransposeGradients(on = true): void {
  if (original === undefined) original = tf.getGradient('BatchMatMul');
  if (on === enabled) return;
  tf.registerGradient(on ? batchMatMulGrad : original!);
  enabled = on;
}

/** Whether the explicit-transpose gradient is the one in use. */
export function transposeGradientsEnabled(): boolean {
  return enabled;
}
