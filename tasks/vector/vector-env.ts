// Vector environments: makeVectorEnv(id, {numEnvs, workers, seed, config}), in-process or over worker threads.
import { z } from 'zod';
import type { EnvSpec, PushRecord } from '../env.ts';
import { makeEnv, parseTaskConfig } from '../index.ts';
import { allocateBatch, obsShapes, resetOne, stepOne, type Batch } from './batch.ts';
import { push, type Pushable } from '../push.ts';
import { isGoalSettable } from '../goal.ts';
import type { Env } from '../env.ts';

export const VectorEnvOptionsSchema = z.object({
  numEnvs: z.number().int().min(1).max(4096),
  /** 0 = step every env in this thread; n ≥ 1 = spread the envs over n worker threads. */
  workers: z.number().int().min(0).max(64).default(0),
  seed: z.number().int().min(0).default(0),
  config: z.unknown().optional(),
  /** Worker mode: modules each worker imports first (to register user-written envs). */
  modules: z.array(z.string()).default([]),
  /**
   * Worker mode: how long (ms) a worker thread polls for the next step before sleeping. Polling
   * saves a futex wake-up (tens of µs on a virtual machine) when steps follow each other
   * closely; 0 sleeps at once, leaving the core to other processes.
   */
  spinMs: z.number().min(0).max(100).default(1),
}).strict();
export type VectorEnvOptions = z.input<typeof VectorEnvOptionsSchema>;

/**
 * A batch of `numEnvs` copies of one task. `step` copies `actions` (row-major [numEnvs, actDim])
 * into `batch.actions` (or uses what is already there) and fills the batch. An env whose episode
 * ends is reset in the same step: `batch.obs` then holds the new episode's first observation and
 * `batch.finalObs` (rows where `batch.hasFinal`) the true last one, for bootstrapping on truncation.
 */
export interface VectorEnv {
  readonly numEnvs: number;
  /** The spec of one env. */
  readonly spec: EnvSpec;
  readonly batch: Batch;
  reset(seed?: number): Promise<Batch>;
  step(actions?: ArrayLike<number>): Promise<Batch>;
  /** Pushes env `index` now (see tasks/push.ts); recorded in that env's next step info. */
  push(index: number, spec: unknown): Promise<PushRecord>;
  /** Goal tasks, in-process envs only: sets env `index`'s desired goal now and in its `batch.obs` row (self-proposed goals). */
  setGoal?(index: number, goal: ArrayLike<number>): void;
  close(): Promise<void>;
}

/** Creates a vector env; validates options and the task config (errors name the field). */
export async function makeVectorEnv(id: string, options: VectorEnvOptions): Promise<VectorEnv> {
  const parsed = VectorEnvOptionsSchema.safeParse(options);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`vector env options.${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  const o = parsed.data;
  parseTaskConfig(id, o.config);
  if (o.workers === 0) return InProcessVectorEnv.create(id, o.numEnvs, o.seed, o.config);
  const { WorkerVectorEnv } = await import('./worker-env.ts');
  return WorkerVectorEnv.create(id, { ...o, workers: Math.min(o.workers, o.numEnvs) });
}

/** Every env stepped in turn on this thread. */
export class InProcessVectorEnv implements VectorEnv {
  private constructor(private readonly envs: Env[], readonly batch: Batch, private seed: number) {}

  static async create(id: string, numEnvs: number, seed: number, config: unknown): Promise<InProcessVectorEnv> {
    const envs: Env[] = [];
    for (let i = 0; i < numEnvs; i++) envs.push(await makeEnv(id, config));
    return InProcessVectorEnv.fromEnvs(envs, seed);
  }

  /** A vector env over env objects the caller made (e.g. a user's own env class); it owns them from now on. */
  static fromEnvs(envs: Env[], seed: number): InProcessVectorEnv {
    const first = envs[0];
    if (!first) throw new Error('vector env: need at least one env');
    const batch = allocateBatch(envs.length, first.spec.actionSpace.shape[0]!, obsShapes(first), false);
    return new InProcessVectorEnv(envs, batch, seed);
  }

  get numEnvs(): number {
    return this.envs.length;
  }

  get spec(): EnvSpec {
    return this.envs[0]!.spec;
  }

  async reset(seed = this.seed): Promise<Batch> {
    this.seed = seed;
    this.envs.forEach((env, i) => resetOne(env, this.batch, i, seed));
    return this.batch;
  }

  async step(actions?: ArrayLike<number>): Promise<Batch> {
    if (actions) copyActions(this.batch, actions);
    for (let i = 0; i < this.envs.length; i++) {
      try {
        stepOne(this.envs[i]!, this.batch, i);
      } catch (err) {
        throw new Error(`env ${i}: ${(err as Error).message}`);
      }
    }
    return this.batch;
  }

  async push(index: number, spec: unknown): Promise<PushRecord> {
    const env = this.envs[index];
    if (!env) throw new Error(`no env ${index} (numEnvs ${this.envs.length})`);
    return push(env as unknown as Pushable, spec);
  }

  setGoal(index: number, goal: ArrayLike<number>): void {
    const env = this.envs[index];
    if (!env) throw new Error(`no env ${index} (numEnvs ${this.envs.length})`);
    if (!isGoalSettable(env)) throw new Error(`${env.spec.id}: this task has no goal to set`);
    env.setGoal(goal);
    const dg = this.batch.obs.desired_goal!, d = this.batch.shapes.desired_goal!;
    for (let k = 0; k < d; k++) dg[index * d + k] = goal[k]!;
  }

  async close(): Promise<void> {
    for (const env of this.envs) env.close();
  }
}

/** Copies user actions into the batch, checking the size. */
export function copyActions(batch: Batch, actions: ArrayLike<number>): void {
  const n = batch.numEnvs * batch.actionDim;
  if (actions.length !== n) throw new Error(`vector env: actions must have numEnvs × actionDim = ${n} values, got ${actions.length}`);
  batch.actions.set(actions);
}
