// Worker thread of a WorkerVectorEnv: runs a contiguous slice of the envs, driven through shared memory.
import { workerData, parentPort } from 'node:worker_threads';
import type { Env } from '../env.ts';
import type { Batch } from './batch.ts';
import { resetOne, stepOne } from './batch.ts';
import { COMMAND, SLOT, awaitChange, writeText, readText, type WorkerSetup } from './protocol.ts';
import { push, type Pushable } from '../push.ts';

const setup = workerData as WorkerSetup;

function batchView(): Batch {
  const a = setup.arrays;
  const keyed = (prefix: string) => Object.fromEntries(setup.obsKeys.map((k) => [k, a[`${prefix}.${k}`] as Float32Array]));
  return {
    numEnvs: setup.numEnvs, actionDim: setup.actionDim, shapes: setup.shapes,
    actions: a.actions as Float32Array, obs: keyed('obs'), finalObs: keyed('finalObs'),
    rewards: a.rewards as Float32Array, terminated: a.terminated as Uint8Array, truncated: a.truncated as Uint8Array,
    hasFinal: a.hasFinal as Uint8Array, episodeSteps: a.episodeSteps as Int32Array, episodeReturn: a.episodeReturn as Float32Array,
    finalSteps: a.finalSteps as Int32Array, finalReturn: a.finalReturn as Float32Array,
    episodeStart: a.episodeStart as Float32Array, finalDisplacement: a.finalDisplacement as Float32Array,
  };
}

/** Runs one command over this worker's envs; `current` tracks the env being worked on for error reports. */
function execute(envs: Env[], batch: Batch, command: number, current: { index: number }): void {
  const { control, text, first } = setup;
  if (command === COMMAND.push) {
    current.index = Atomics.load(control, SLOT.arg);
    const record = push(envs[current.index - first] as unknown as Pushable, readText(control, text));
    writeText(control, text, record);
    return;
  }
  const seed = Atomics.load(control, SLOT.arg);
  for (let k = 0; k < envs.length; k++) {
    current.index = first + k;
    if (command === COMMAND.reset) resetOne(envs[k]!, batch, first + k, seed);
    else stepOne(envs[k]!, batch, first + k);
  }
}

async function main(): Promise<void> {
  for (const m of setup.modules) await import(m);
  const { makeEnv } = await import('../index.ts');
  const envs: Env[] = [];
  for (let k = 0; k < setup.count; k++) envs.push(await makeEnv(setup.id, setup.config));
  const batch = batchView();
  const { control, text } = setup;
  parentPort!.postMessage('ready');
  let seen = 0;
  const current = { index: setup.first };
  for (;;) {
    awaitChange(control, SLOT.request, seen, setup.spinMs);
    seen = Atomics.load(control, SLOT.request);
    const command = Atomics.load(control, SLOT.command);
    current.index = setup.first;
    try {
      if (command === COMMAND.close) envs.forEach((e) => e.close());
      else execute(envs, batch, command, current);
      Atomics.store(control, SLOT.status, 0);
    } catch (err) {
      Atomics.store(control, SLOT.failedEnv, current.index);
      writeText(control, text, (err as Error).message);
      Atomics.store(control, SLOT.status, 1);
    }
    Atomics.store(control, SLOT.done, seen);
    Atomics.notify(control, SLOT.done);
    if (command === COMMAND.close) return;
  }
}

main().catch((err: unknown) => {
  parentPort!.postMessage({ fatal: (err as Error).stack ?? String(err) });
});
