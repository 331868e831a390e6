// The DIAYN discriminator's inputs: which observation entries it reads, the warm-up stages over them (with optional input noise), and zeroing the weights of newly read inputs.
import * as tf from '@tensorflow/tfjs';
import { z } from 'zod';
import type { Mlp } from './nn.ts';
import type { Rng } from '../sim/rng.ts';
import type { EnvSpec } from '../tasks/env.ts';
import { entryIndices } from '../tasks/layout.ts';
import { keySizes } from './obs.ts';

/** One warm-up stage: until `steps` env steps the discriminator reads only the entries `features`. */
export const WarmupStageSchema = z.object({
  features: z.array(z.string()).min(1),
  steps: z.number().int().min(0),
  /**
   * Paddock addition: standard deviation of Gaussian noise added to each input the discriminator
   * trains on during this stage, in the entries' own units (rad, m/s, …). The pseudo-reward and the
   * held-out accuracy read the clean inputs, so q(z|s) is the posterior smoothed over that width and
   * skills closer than a few standard deviations share it: they are paid for moving further apart.
   */
  noise: z.number().min(0).default(0)
    .describe('std of Gaussian noise on the discriminator\'s training inputs in this stage (entry units); reward and accuracy read clean inputs'),
}).strict();
export type WarmupStage = z.output<typeof WarmupStageSchema>;

/** Observation indices the discriminator reads. */
export function featureIndices(spec: EnvSpec, features: 'observation' | readonly string[]): number[] {
  const layout = spec.obsLayout.observation;
  if (!layout) throw new Error(`${spec.id}: DIAYN needs flat observations`);
  const total = keySizes(spec).observation!;
  if (features === 'observation') return Array.from({ length: total }, (_, i) => i);
  return entryIndices(layout, features);
}

/**
 * The discriminator's inputs during a warm-up: `features` with every index outside the warm-up's
 * entries replaced by −1 (read as 0). Throws, naming the field, when a warm-up entry is not among `features`.
 */
export function warmupFeatures(spec: EnvSpec, features: readonly number[], warmup: WarmupStage): number[] {
  const warm = new Set(featureIndices(spec, warmup.features));
  for (const i of warm) if (!features.includes(i)) throw new Error(`diayn config.warmup.features: observation index ${i} is not among the discriminator's features`);
  return features.map((i) => (warm.has(i) ? i : -1));
}

/**
 * A schedule of stages over the discriminator's inputs. Stage k < `stages.length` reads the inputs
 * whose entry in `stages[k].idx` is ≥ 0 (observation indices; −1 = held at 0) until
 * `stages[k].steps` env steps; the stage numbered `stages.length` (after the warm-up) reads `features`.
 */
export class WarmupSchedule {
  constructor(readonly features: readonly number[], readonly stages: readonly { steps: number; idx: number[]; noise?: number }[]) {}

  /** Index of the stage at `envSteps`; `stages.length` once the warm-up is over. */
  stageAt(envSteps: number): number {
    let k = 0;
    while (k < this.stages.length && envSteps >= this.stages[k]!.steps) k++;
    return k;
  }

  /** The inputs read at `envSteps`: observation indices, −1 for an entry masked by the warm-up. */
  active(envSteps: number): readonly number[] {
    for (const st of this.stages) if (envSteps < st.steps) return st.idx;
    return this.features;
  }

  /** Standard deviation of the noise on the discriminator's training inputs at `envSteps` (0 after the warm-up). */
  noiseAt(envSteps: number): number {
    return this.stages[this.stageAt(envSteps)]?.noise ?? 0;
  }

  /** Whether stage `k` reads input `i` (an index into `features`). */
  reads(k: number, i: number): boolean {
    return k >= this.stages.length || this.stages[k]!.idx[i]! >= 0;
  }

  /** Inputs (indices into `features`) that stage `to` reads and no stage up to `from` read. */
  freshInputs(from: number, to: number): number[] {
    const fresh: number[] = [];
    for (let i = 0; i < this.features.length; i++) {
      let seen = false;
      for (let k = 0; k <= from && !seen; k++) seen = this.reads(k, i);
      if (!seen && this.reads(to, i)) fresh.push(i);
    }
    return fresh;
  }
}

/** Zeroes the first-layer weight rows of `net` for the inputs `rows` (indices into its input). */
export function zeroInputRows(net: Mlp, rows: readonly number[]): void {
  const W = net.params[0]!, w = Float32Array.from(W.dataSync() as Float32Array), m = W.shape[1]!;
  for (const k of rows) w.fill(0, k * m, (k + 1) * m);
  const t = tf.tensor2d(w, W.shape as [number, number]);
  W.assign(t);
  t.dispose();
}

/**
 * Feature rows `feats` ([n, F], F = `active.length`) plus N(0, sd²) noise on each input read now
 * (`active[k]` ≥ 0), into `out`; masked inputs stay 0.
 */
export function addInputNoise(feats: Float32Array, active: readonly number[], sd: number, rng: Rng, out: Float32Array): Float32Array {
  const F = active.length;
  for (let i = 0; i < feats.length; i++) out[i] = active[i % F]! < 0 ? 0 : feats[i]! + sd * rng.normal();
  return out;
}
