// WorkerVectorEnv: envs spread over worker threads sharing one batch in SharedArrayBuffers; failures name the env.
import { Worker } from 'node:worker_threads';
import type { EnvSpec, PushRecord } from '../env.ts';
import { makeEnv } from '../index.ts';
import { allocateBatch, obsShapes, type Batch } from './batch.ts';
import { copyActions, type VectorEnv } from './vector-env.ts';
import { COMMAND, CONTROL_INTS, SLOT, TEXT_BYTES, readText, writeText, type WorkerSetup } from './protocol.ts';

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
}

export class WorkerVectorEnv implements VectorEnv {
  private closed = false;

  private constructor(readonly spec: EnvSpec, readonly batch: Batch, private readonly handles: Handle[], private seed: number) {}

  static async create(id: string, o: WorkerOptions): Promise<WorkerVectorEnv> {
    const probe = await makeEnv(id, o.config);
    const spec = probe.spec;
    const shapes = obsShapes(probe);
    probe.close();
    const batch = allocateBatch(o.numEnvs, spec.actionSpace.shape[0]!, shapes, true);
    const handles: Handle[] = [];
    let first = 0;
    for (let w = 0; w < o.workers; w++) {
      const count = Math.floor(o.numEnvs / o.workers) + (w < o.numEnvs % o.workers ? 1 : 0);
      handles.push(spawn(id, o, batch, first, count));
      first += count;
    }
    try {
      await Promise.all(handles.map(ready));
    } catch (err) {
      await Promise.all(handles.map((h) => h.worker.terminate()));
      throw err;
    }
    return new WorkerVectorEnv(spec, batch, handles, o.seed);
  }

  get numEnvs(): number {
    return this.batch.numEnvs;
  }

  async reset(seed = this.seed): Promise<Batch> {
    this.seed = seed;
    await Promise.all(this.handles.map((h) => this.command(h, COMMAND.reset, seed)));
    return this.batch;
  }

  async step(actions?: ArrayLike<number>): Promise<Batch> {
    if (actions) copyActions(this.batch, actions);
    await Promise.all(this.handles.map((h) => this.command(h, COMMAND.step, 0)));
    return this.batch;
  }

  async push(index: number, spec: unknown): Promise<PushRecord> {
    const h = this.handles.find((x) => index >= x.first && index < x.first + x.count);
    if (!h) throw new Error(`no env ${index} (numEnvs ${this.numEnvs})`);
    writeText(h.control, h.text, spec);
    await this.command(h, COMMAND.push, index);
    return readText(h.control, h.text) as PushRecord;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.allSettled(this.handles.map((h) => this.command(h, COMMAND.close, 0)));
    await Promise.all(this.handles.map((h) => h.worker.terminate()));
  }

  /** Posts a command to one worker and waits (without blocking this thread) until it is done. */
  private async command(h: Handle, command: number, arg: number): Promise<void> {
    if (this.closed && command !== COMMAND.close) throw new Error('vector env is closed');
    const c = h.control;
    Atomics.store(c, SLOT.command, command);
    Atomics.store(c, SLOT.arg, arg);
    const request = Atomics.add(c, SLOT.request, 1) + 1;
    Atomics.notify(c, SLOT.request);
    const wait = Atomics.waitAsync(c, SLOT.done, request - 1);
    if (wait.async) await Promise.race([wait.value, h.dead]);
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
    finalSteps: batch.finalSteps, finalReturn: batch.finalReturn,
  };
  for (const k of Object.keys(batch.shapes)) {
    arrays[`obs.${k}`] = batch.obs[k]!;
    arrays[`finalObs.${k}`] = batch.finalObs[k]!;
  }
  const setup: WorkerSetup = {
    id, config: o.config, modules: o.modules, first, count, numEnvs: o.numEnvs, control, text, arrays,
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
