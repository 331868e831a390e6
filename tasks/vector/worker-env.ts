// WorkerVectorEnv: envs spread over worker threads sharing one batch in SharedArrayBuffers; failures name the env.
import { Worker } from 'node:worker_threads';
import type { EnvSpec, PushRecord } from '../env.ts';
import { makeEnv } from '../index.ts';
import { allocateBatch, obsShapes, resetOne, stepOne, type Batch } from './batch.ts';
import type { Env } from '../env.ts';
import { push, type Pushable } from '../push.ts';
import { copyActions, type VectorEnv } from './vector-env.ts';
import { COMMAND, CONTROL_INTS, SLOT, TEXT_BYTES, awaitValue, readText, writeText, type WorkerSetup } from './protocol.ts';

interface Handle {
  worker: Worker;
  control: Int32Array;
  text: Uint8Array;
  first: number;
  count: number;
  /** Rejects pending commands when the thread dies. */
  dead: Promise<never>;
}

/** Options a WorkerVectorEnv is created with (already validated). */
interface WorkerOptions {
  numEnvs: number;
  workers: number;
  seed: number;
  config?: unknown;
  modules: string[];
  spinMs: number;
}

/**
 * `workers: n` steps the envs on n threads: n − 1 worker threads take the first shares and this
 * thread steps the last share itself while they run (n busy threads for n cores, and the main
 * thread rarely has to be woken). Results depend on the seed only, never on n.
 */
export class WorkerVectorEnv implements VectorEnv {
  private closed = false;

  private constructor(readonly spec: EnvSpec, readonly batch: Batch, private readonly handles: Handle[], private readonly local: Env[], private readonly localFirst: number, private seed: number) {}

  static async create(id: string, o: WorkerOptions): Promise<WorkerVectorEnv> {
    const probe = await makeEnv(id, o.config);
    const spec = probe.spec;
    const shapes = obsShapes(probe);
    const batch = allocateBatch(o.numEnvs, spec.actionSpace.shape[0]!, shapes, true);
    const handles: Handle[] = [];
    const share = (w: number) => Math.floor(o.numEnvs / o.workers) + (w < o.numEnvs % o.workers ? 1 : 0);
    let first = 0;
    for (let w = 0; w < o.workers - 1; w++) {
      handles.push(spawn(id, o, batch, first, share(w)));
      first += share(w);
    }
    const local: Env[] = [probe];
    for (let k = 1; k < share(o.workers - 1); k++) local.push(await makeEnv(id, o.config));
    try {
      await Promise.all(handles.map(ready));
    } catch (err) {
      await Promise.all(handles.map((h) => h.worker.terminate()));
      throw err;
    }
    return new WorkerVectorEnv(spec, batch, handles, local, first, o.seed);
  }

  get numEnvs(): number {
    return this.batch.numEnvs;
  }

  async reset(seed = this.seed): Promise<Batch> {
    this.seed = seed;
    await this.broadcast(COMMAND.reset, seed);
    return this.batch;
  }

  async step(actions?: ArrayLike<number>): Promise<Batch> {
    if (actions) copyActions(this.batch, actions);
    await this.broadcast(COMMAND.step, 0);
    return this.batch;
  }

  /** Posts a command to every worker, then waits for all; the first failure (lowest env index) is thrown. */
  private async broadcast(command: number, arg: number): Promise<void> {
    const requests = this.handles.map((h) => this.post(h, command, arg));
    const errors: Error[] = [];
    const localError = this.runLocal(command, arg);
    for (let i = 0; i < this.handles.length; i++) {
      try {
        await this.finish(this.handles[i]!, requests[i]!);
      } catch (err) {
        errors.push(err as Error);
      }
    }
    if (localError) errors.push(localError);
    if (errors.length) throw errors[0];
  }

  /** Runs a command on this thread's share of the envs; returns the error (naming the env) if one failed. */
  private runLocal(command: number, seed: number): Error | null {
    for (let k = 0; k < this.local.length; k++) {
      const i = this.localFirst + k;
      try {
        if (command === COMMAND.reset) resetOne(this.local[k]!, this.batch, i, seed);
        else if (command === COMMAND.step) stepOne(this.local[k]!, this.batch, i);
      } catch (err) {
        return new Error(`env ${i}: ${(err as Error).message}`);
      }
    }
    return null;
  }

  async push(index: number, spec: unknown): Promise<PushRecord> {
    if (index >= this.localFirst && index < this.numEnvs) return push(this.local[index - this.localFirst] as unknown as Pushable, spec);
    const h = this.handles.find((x) => index >= x.first && index < x.first + x.count);
    if (!h) throw new Error(`no env ${index} (numEnvs ${this.numEnvs})`);
    writeText(h.control, h.text, spec);
    await this.command(h, COMMAND.push, index);
    return readText(h.control, h.text) as PushRecord;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.broadcast(COMMAND.close, 0).catch(() => undefined);
    for (const env of this.local) env.close();
    await Promise.all(this.handles.map((h) => h.worker.terminate()));
  }

  /** Posts a command to one worker and waits until it is done. */
  private async command(h: Handle, command: number, arg: number): Promise<void> {
    await this.finish(h, this.post(h, command, arg));
  }

  /** Writes a command into a worker's control block and wakes it; returns the request number. */
  private post(h: Handle, command: number, arg: number): number {
    if (this.closed && command !== COMMAND.close) throw new Error('vector env is closed');
    const c = h.control;
    Atomics.store(c, SLOT.command, command);
    Atomics.store(c, SLOT.arg, arg);
    const request = Atomics.add(c, SLOT.request, 1) + 1;
    Atomics.notify(c, SLOT.request);
    return request;
  }

  /** Waits for a worker to finish `request` (see `awaitValue`), then throws its error if it reported one. */
  private async finish(h: Handle, request: number): Promise<void> {
    const c = h.control;
    await awaitValue(c, SLOT.done, request, 20, h.dead);
    if (Atomics.load(c, SLOT.status) !== 0) {
      const index = Atomics.load(c, SLOT.failedEnv);
      throw new Error(`env ${index}: ${String(readText(c, h.text))}`);
    }
  }
}

function spawn(id: string, o: WorkerOptions, batch: Batch, first: number, count: number): Handle {
  const control = new Int32Array(new SharedArrayBuffer(CONTROL_INTS * 4));
  const text = new Uint8Array(new SharedArrayBuffer(TEXT_BYTES));
  const arrays: WorkerSetup['arrays'] = {
    actions: batch.actions, rewards: batch.rewards, terminated: batch.terminated, truncated: batch.truncated,
    hasFinal: batch.hasFinal, episodeSteps: batch.episodeSteps, episodeReturn: batch.episodeReturn,
    finalSteps: batch.finalSteps, finalReturn: batch.finalReturn, episodeStart: batch.episodeStart, finalDisplacement: batch.finalDisplacement,
  };
  for (const k of Object.keys(batch.shapes)) {
    arrays[`obs.${k}`] = batch.obs[k]!;
    arrays[`finalObs.${k}`] = batch.finalObs[k]!;
  }
  const setup: WorkerSetup = {
    id, config: o.config, modules: o.modules, spinMs: o.spinMs, first, count, numEnvs: o.numEnvs, control, text, arrays,
    obsKeys: Object.keys(batch.shapes), actionDim: batch.actionDim, shapes: batch.shapes,
  };
  const worker = new Worker(new URL('./worker-boot.mjs', import.meta.url), { workerData: setup });
  const dead = new Promise<never>((_, reject) => {
    const fail = (why: string) => reject(new Error(`envs ${first}–${first + count - 1} (worker thread): ${why}`));
    worker.on('error', (err) => fail(err.message));
    worker.on('exit', (code) => fail(`exited with code ${code}`));
    worker.on('message', (m: unknown) => {
      if (typeof m === 'object' && m !== null && 'fatal' in m) fail(String((m as { fatal: string }).fatal));
    });
  });
  dead.catch(() => undefined);
  return { worker, control, text, first, count, dead };
}

function ready(h: Handle): Promise<void> {
  return Promise.race([
    new Promise<void>((resolve) => h.worker.on('message', (m) => { if (m === 'ready') resolve(); })),
    h.dead,
  ]);
}
