// A trained DIAYN discriminator q(z|s) on disk: its metadata, feature gathering, posterior rows (and their argmax) and loading.
import * as tf from '@tensorflow/tfjs';
import { z } from 'zod';
import { Rng } from '../sim/rng.ts';
import { Mlp } from './nn.ts';
import { readLayersModel } from './policy-io.ts';

/** Writes the `features` of `n` observations (row-major [n, obsDim]) into `out` as rows [n, features.length]; a feature −1 writes 0. */
export function gatherFeatures(obs: Float32Array, n: number, obsDim: number, features: readonly number[], out: Float32Array): Float32Array {
  const F = features.length;
  for (let i = 0; i < n; i++) for (let k = 0; k < F; k++) out[i * F + k] = features[k]! < 0 ? 0 : obs[i * obsDim + features[k]!]!;
  return out;
}

/** q(z|s) rows [n, skills] from a discriminator network over feature rows `x` [n, F]. */
export function softmaxRows(net: Mlp, x: Float32Array, n: number, F: number): Float32Array {
  return tf.tidy(() => tf.softmax(net.apply(tf.tensor2d(x, [n, F])) as tf.Tensor2D).dataSync() as Float32Array);
}

/** Index of the largest of the `n` values of `q` starting at `at` (the first one on ties). */
export function argmax(q: ArrayLike<number>, at: number, n: number): number {
  let best = 0;
  for (let k = 1; k < n; k++) if (q[at + k]! > q[at + best]!) best = k;
  return best;
}

export const DiscriminatorMetaSchema = z.object({
  kind: z.literal('diayn-discriminator'),
  task: z.string(),
  skills: z.number().int().min(2),
  /** Observation indices it reads; −1 is an input held at 0 (masked by a DIAYN warm-up). */
  features: z.array(z.number().int().min(-1)),
  hidden: z.array(z.number().int().positive()),
}).strict();
export type DiscriminatorMeta = z.output<typeof DiscriminatorMetaSchema>;

/** A saved DIAYN discriminator: q(z|s) for observations. */
export class Discriminator {
  private readonly net: Mlp;
  constructor(readonly meta: DiscriminatorMeta, weights: Float32Array[]) {
    this.net = new Mlp({ inputDim: meta.features.length, hidden: meta.hidden, outputDim: meta.skills, ensemble: 1 }, new Rng(0), 'discriminator', false);
    this.net.setWeights(weights);
  }

  private x = new Float32Array(0);

  /** Posterior rows [n, skills] for `n` observations (row-major [n, obsDim]); reuses its input buffer across calls. */
  posterior(obs: Float32Array, n: number, obsDim: number): Float32Array {
    const F = this.meta.features.length;
    if (this.x.length !== n * F) this.x = new Float32Array(n * F);
    return softmaxRows(this.net, gatherFeatures(obs, n, obsDim, this.meta.features, this.x), n, F);
  }

  dispose(): void {
    this.net.dispose();
  }
}

/** Loads the discriminator saved in `dir` (a checkpoint's discriminator/ folder). */
export function loadDiscriminator(dir: string): Discriminator {
  const { metadata, weights, file } = readLayersModel(dir);
  const parsed = z.object({ paddockDiscriminator: DiscriminatorMetaSchema }).safeParse(metadata);
  if (!parsed.success) throw new Error(`${file}: userDefinedMetadata.${parsed.error.issues[0]!.path.join('.')}: ${parsed.error.issues[0]!.message}`);
  return new Discriminator(parsed.data.paddockDiscriminator, weights);
}
