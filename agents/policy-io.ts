// Trained policies on disk in TensorFlow.js layers-model format (model.json + weights.bin), and loading them as a Policy.
import * as tf from '@tensorflow/tfjs';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import { Rng } from '../sim/rng.ts';
import { Mlp } from './nn.ts';
import type { Policy } from './policy.ts';

/** Paddock's description of a saved policy, stored as the model's `userDefinedMetadata.paddock`. */
export const PolicyMetaSchema = z.object({
  kind: z.literal('tanh-gaussian'),
  task: z.string().min(1),
  /** Observation size the network reads (after concatenating goal or skill inputs). */
  obsDim: z.number().int().positive(),
  actDim: z.number().int().positive(),
  hidden: z.array(z.number().int().positive()),
  /** Env action bounds; network actions in [−1, 1] are mapped affinely onto them. */
  actionLow: z.array(z.number()),
  actionHigh: z.array(z.number()),
  logStdMin: z.number(),
  logStdMax: z.number(),
  /** Observation normalisation applied before the network (absent = none). */
  normalizer: z.object({ mean: z.array(z.number()), var: z.array(z.number()), clip: z.number(), eps: z.number() }).optional(),
  /** Goal-conditioned policies: size of `desired_goal` appended to the observation. */
  goalDim: z.number().int().positive().optional(),
  /** Skill-conditioned policies: number of skills (one-hot appended to the observation). */
  skills: z.number().int().positive().optional(),
  /** How the policy was made (command, steps, seed), for the record. */
  provenance: z.record(z.string(), z.unknown()).default({}),
}).strict();
export type PolicyMeta = z.output<typeof PolicyMetaSchema>;

/** The task config a policy was trained with (`provenance.taskConfig`), when it was recorded. */
export function trainedTaskConfig(meta: PolicyMeta): Record<string, unknown> | undefined {
  const c = meta.provenance.taskConfig;
  return typeof c === 'object' && c !== null && !Array.isArray(c) ? (c as Record<string, unknown>) : undefined;
}

const LayersModelSchema = z.object({
  format: z.literal('layers-model'),
  modelTopology: z.unknown(),
  weightsManifest: z.array(z.object({ paths: z.array(z.string()).min(1), weights: z.array(z.object({ name: z.string(), shape: z.array(z.number()), dtype: z.literal('float32') }).passthrough()) })).min(1),
  userDefinedMetadata: z.unknown(),
}).passthrough();

/**
 * Writes an MLP as a tfjs layers model (Dense/ReLU stack, linear output) into `dir`: model.json
 * (with `userDefinedMetadata`) and weights.bin, loadable by `tf.loadLayersModel` in a browser.
 */
export async function saveLayersModel(dir: string, net: Mlp, metadata: Record<string, unknown>): Promise<void> {
  const model = tf.sequential();
  const sizes = [...net.spec.hidden, net.spec.outputDim];
  sizes.forEach((units, l) => {
    const last = l === sizes.length - 1;
    model.add(tf.layers.dense({ units, activation: last ? 'linear' : 'relu', name: last ? 'output' : `hidden_${l}`, ...(l === 0 ? { inputShape: [net.spec.inputDim] } : {}) }));
  });
  model.setWeights(net.params);
  let artifacts!: tf.io.ModelArtifacts;
  await model.save(tf.io.withSaveHandler(async (a) => {
    artifacts = a;
    return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
  }));
  model.dispose();
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'weights.bin'), new Uint8Array(artifacts.weightData as ArrayBuffer));
  const json = {
    format: 'layers-model', generatedBy: `TensorFlow.js tfjs-layers v${tf.version.tfjs}`, convertedBy: null,
    modelTopology: artifacts.modelTopology, weightsManifest: [{ paths: ['weights.bin'], weights: artifacts.weightSpecs }],
    userDefinedMetadata: metadata,
  };
  writeFileSync(join(dir, 'model.json'), JSON.stringify(json));
}

/** Writes the actor (output [mean ‖ log std]) as a tfjs layers model with Paddock's policy metadata. */
export async function savePolicy(dir: string, actor: Mlp, meta: PolicyMeta): Promise<void> {
  await saveLayersModel(dir, actor, { paddock: meta });
}

/** Reads `dir/model.json` and its weights (in layer order) without interpreting the metadata. */
export function readLayersModel(dir: string): { metadata: unknown; weights: Float32Array[]; file: string } {
  const file = join(dir, 'model.json');
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new Error(`${file}: cannot read a model (${(err as Error).message})`);
  }
  const parsed = LayersModelSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`${file}: ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  const group = parsed.data.weightsManifest[0]!;
  const buf = readFileSync(join(dir, group.paths[0]!));
  const all = new Float32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
  const weights: Float32Array[] = [];
  let offset = 0;
  for (const w of group.weights) {
    const n = w.shape.reduce((a, b) => a * b, 1);
    if (offset + n > all.length) throw new Error(`${file}: weight ${w.name} runs past the end of ${group.paths[0]}`);
    weights.push(all.slice(offset, offset + n));
    offset += n;
  }
  return { metadata: parsed.data.userDefinedMetadata, weights, file };
}

/** Reads and validates a saved policy; errors name the file and the field. */
export function readPolicyFiles(dir: string): { meta: PolicyMeta; weights: Float32Array[] } {
  const { metadata, weights, file } = readLayersModel(dir);
  const parsed = z.object({ paddock: PolicyMetaSchema }).safeParse(metadata);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`${file}: userDefinedMetadata.${issue.path.join('.')}: ${issue.message}`);
  }
  return { meta: parsed.data.paddock, weights };
}

/** A saved tanh-Gaussian policy, evaluated with Paddock's own MLP (same weights as model.json). */
export class MlpPolicy implements Policy {
  readonly obsDim: number;
  readonly actDim: number;
  readonly task: string;
  readonly skills?: number;
  private readonly net: Mlp;
  private readonly rng: Rng;
  private scratch = new Float32Array(0);

  constructor(readonly meta: PolicyMeta, weights: Float32Array[], seed = 0) {
    this.obsDim = meta.obsDim;
    this.actDim = meta.actDim;
    this.task = meta.task;
    if (meta.skills !== undefined) this.skills = meta.skills;
    this.net = new Mlp({ inputDim: meta.obsDim, hidden: meta.hidden, outputDim: 2 * meta.actDim, ensemble: 1 }, new Rng(0), 'policy', false);
    this.net.setWeights(weights);
    this.rng = new Rng(seed);
  }

  act(obs: Float32Array, out: Float32Array, n: number, deterministic: boolean): void {
    const x = this.normalized(obs, n);
    const raw = tf.tidy(() => this.net.apply(tf.tensor2d(x, [n, this.obsDim])).dataSync() as Float32Array);
    const m = this.meta, A = this.actDim;
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < A; j++) {
        const mean = raw[i * 2 * A + j]!;
        const logStd = Math.min(m.logStdMax, Math.max(m.logStdMin, raw[i * 2 * A + A + j]!));
        const u = deterministic ? mean : mean + Math.exp(logStd) * this.rng.normal();
        const a = Math.tanh(u);
        out[i * A + j] = m.actionLow[j]! + ((a + 1) / 2) * (m.actionHigh[j]! - m.actionLow[j]!);
      }
    }
  }

  private normalized(obs: Float32Array, n: number): Float32Array {
    const size = n * this.obsDim;
    const norm = this.meta.normalizer;
    if (!norm) return obs.subarray(0, size);
    if (this.scratch.length < size) this.scratch = new Float32Array(size);
    for (let i = 0; i < size; i++) {
      const j = i % this.obsDim;
      const z = (obs[i]! - norm.mean[j]!) / Math.sqrt(norm.var[j]! + norm.eps);
      this.scratch[i] = Math.max(-norm.clip, Math.min(norm.clip, z));
    }
    return this.scratch.subarray(0, size);
  }

  dispose(): void {
    this.net.dispose();
  }
}

/** Loads the policy saved in `dir` (a checkpoint's `policy/` folder or a shipped one). */
export function loadPolicy(dir: string, seed = 0): MlpPolicy {
  const { meta, weights } = readPolicyFiles(dir);
  return new MlpPolicy(meta, weights, seed);
}

/** A DIAYN policy folder's discriminator folder: inside it (shipped policies) or beside it (checkpoints); undefined when neither holds one. */
export function findDiscriminatorDir(policyDir: string): string | undefined {
  return [join(policyDir, 'discriminator'), join(dirname(policyDir), 'discriminator')].find((d) => existsSync(join(d, 'model.json')));
}

/** The policy folder for a path given by a user: a policy folder, a checkpoint, or a run directory. */
export function resolvePolicyDir(path: string): string {
  for (const candidate of [path, join(path, 'policy'), join(path, 'checkpoint', 'policy'), join(path, 'checkpoint.old', 'policy')]) {
    if (existsSync(join(candidate, 'model.json'))) return candidate;
  }
  throw new Error(`no policy at ${path} (expected model.json in it, in policy/, or in checkpoint/policy/)`);
}
