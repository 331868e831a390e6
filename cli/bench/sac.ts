// `paddock bench sac`: SAC gradient steps per second on the active backend, with and without the transpose fix, interleaved.
import * as tf from '@tensorflow/tfjs';
import { z } from 'zod';
import { intList, num, type Command } from '../args.ts';
import { BackendChoiceSchema, initBackend } from '../../agents/backend.ts';
import { registerTransposeGradients } from '../../agents/grad-fix.ts';
import { Sac, parseSacConfig, type TransitionBatch } from '../../agents/sac.ts';
import { Rng } from '../../sim/rng.ts';
import { machineDescription, median } from './stats.ts';

const schema = z.object({
  hidden: intList.default([256, 256]),
  batch: num(z.number().int().min(1).max(8192)).default(256),
  obs: num(z.number().int().min(1)).default(17),
  act: num(z.number().int().min(1)).default(6),
  updates: num(z.number().int().min(1)).default(30),
  repeats: num(z.number().int().min(1).max(50)).default(5),
  backend: BackendChoiceSchema.default('auto'),
  json: z.boolean().default(false),
}).strict();
type Options = z.output<typeof schema>;

function randomBatch(o: Options, rng: Rng): TransitionBatch {
  const fill = (n: number) => Float32Array.from({ length: n }, () => rng.range(-1, 1));
  return { size: o.batch, obs: fill(o.batch * o.obs), action: fill(o.batch * o.act), reward: fill(o.batch), nextObs: fill(o.batch * o.obs), terminated: new Float32Array(o.batch) };
}

/** Updates per second of `o.updates` consecutive gradient steps. */
function timeUpdates(sac: Sac, batch: TransitionBatch, updates: number): number {
  const t0 = performance.now();
  for (let i = 0; i < updates; i++) sac.update(batch);
  return updates / ((performance.now() - t0) / 1000);
}

/**
 * GFLOP/s of plain (untransposed) 256 × 256 × 256 matMuls in this window: the product the update
 * spends most of its time in, measured beside it so a window's machine speed is on record.
 */
function matMulGflops(reps = 40): number {
  const [a, b] = [tf.randomUniform([256, 256]), tf.randomUniform([256, 256])];
  tf.matMul(a, b).dispose();
  const t0 = performance.now();
  for (let i = 0; i < reps; i++) {
    const c = tf.matMul(a, b);
    c.dataSync();
    c.dispose();
  }
  const seconds = (performance.now() - t0) / 1000;
  tf.dispose([a, b]);
  return (reps * 2 * 256 ** 3) / seconds / 1e9;
}

async function run(o: Options): Promise<number> {
  const backend = await initBackend(o.backend, o.json ? () => {} : undefined);
  const sac = new Sac(o.obs, o.act, parseSacConfig({ hidden: o.hidden, batchSize: o.batch }), 1);
  const batch = randomBatch(o, new Rng(2));
  const modes = backend.transposeGradients ? ['transpose-fix', 'tfjs-default'] : ['tfjs-default'];
  const rates: Record<string, number[]> = Object.fromEntries(modes.map((m) => [m, []]));
  const gflops: number[] = [];
  for (const m of modes) {
    registerTransposeGradients(m === 'transpose-fix');
    timeUpdates(sac, batch, 3);
  }
  for (let r = 0; r < o.repeats; r++) {
    for (const m of modes) {
      if (backend.transposeGradients) registerTransposeGradients(m === 'transpose-fix');
      rates[m]!.push(timeUpdates(sac, batch, m === 'tfjs-default' ? Math.max(3, Math.ceil(o.updates / 4)) : o.updates));
    }
    gflops.push(matMulGflops());
    if (!o.json) process.stderr.write(`\rrepeat ${r + 1}/${o.repeats}`);
  }
  registerTransposeGradients(backend.transposeGradients);
  sac.dispose();
  const medians = Object.fromEntries(modes.map((m) => [m, median(rates[m]!)]));
  const report = {
    date: new Date().toISOString(), machine: await machineDescription(), backend: backend.name,
    network: { hidden: o.hidden, obs: o.obs, act: o.act, batch: o.batch }, repeats: o.repeats,
    updatesPerSecond: medians, samples: rates,
    speedupFromTransposeFix: medians['tfjs-default'] ? medians['transpose-fix']! / medians['tfjs-default'] : null,
    matMulGflops: median(gflops), matMulGflopsSamples: gflops,
  };
  if (o.json) console.log(JSON.stringify(report, null, 2));
  else {
    process.stderr.write('\n');
    console.log(`machine: ${report.machine}\nbackend: ${backend.name}; SAC update, hidden ${o.hidden.join('×')}, batch ${o.batch}, obs ${o.obs}, action ${o.act}`);
    for (const m of modes) console.log(`${m.padEnd(14)} ${medians[m]!.toFixed(2)} updates/s (median of ${o.repeats})`);
    if (report.speedupFromTransposeFix) console.log(`transpose fix: ${report.speedupFromTransposeFix.toFixed(2)}× faster`);
    console.log(`plain 256×256×256 matMul in the same window: ${report.matMulGflops.toFixed(1)} GFLOP/s (median)`);
  }
  return 0;
}

export const benchSacCommand: Command<typeof schema> = {
  name: 'bench sac',
  summary: 'SAC gradient steps per second on the active TensorFlow.js backend (transpose fix vs tfjs default)',
  flags: {
    hidden: { type: 'string', help: 'hidden layer sizes (default 256,256)' },
    batch: { type: 'string', help: 'minibatch size (default 256)' },
    obs: { type: 'string', help: 'observation size (default 17, the half-cheetah)' },
    act: { type: 'string', help: 'action size (default 6)' },
    updates: { type: 'string', help: 'updates per timed trial (default 30)' },
    repeats: { type: 'string', help: 'interleaved trials per mode; medians reported (default 5)' },
    backend: { type: 'string', help: 'auto (default), tensorflow-gpu, tensorflow, wasm, cpu' },
    json: { type: 'boolean', help: 'print the report as JSON' },
  },
  schema,
  run,
};
