// Vector-env throughput for `paddock bench sim --task … --envs … --workers …`, beside MuJoCo WASM in the same run.
import { existsSync, readFileSync } from 'node:fs';
import { makeVectorEnv, type VectorEnv } from '../../tasks/vector/vector-env.ts';
import { assetPath } from '../../assets/index.ts';
import { Rng } from '../../sim/rng.ts';
import { MujocoSim, loadMujocoModule } from '../../sim/mujoco.ts';
import { median } from './stats.ts';

/** The MJCF file behind each benchmarkable task. */
export const TASK_FILES: Record<string, string> = { 'half-cheetah': 'half_cheetah.xml', quadruped: 'ant.xml' };

/** Seconds of simulated time per env step (both benchmarkable tasks act every 0.05 s). */
const CONTROL_DT = 0.05;

/** Env steps per timed chunk for the fast-tail (10th percentile) estimates. */
export const CHUNK_ENV_STEPS = 16;

/**
 * One configuration's figures. Throughput (`envStepsPerSecond` and what derives from it) is
 * total steps over total wall time, so time lost to other processes on a shared machine counts
 * against it. The `…P10` figures use the 10th percentile of wall times of chunks of
 * `CHUNK_ENV_STEPS` env steps (batch steps grouped so each chunk holds at least that many;
 * MuJoCo timed in chunks of as many control steps). Chunks last about a millisecond, under a
 * scheduler time slice, so the fast tail is made of chunks no other process interrupted: an
 * estimate of the rate on an idle machine when the measured one is not.
 */
export interface VectorRow {
  envs: number;
  workers: number;
  envStepsPerSecond: number;
  simSecondsPerWallSecond: number;
  perCoreSimSecondsPerWallSecond: number;
  perCoreRatioToMujoco: number;
  /** Wall time of a chunk of batch steps (`chunkBatchSteps` of them): median and 10th percentile, ms. */
  chunkBatchSteps: number;
  chunkMsMedian: number;
  chunkMsP10: number;
  envStepsPerSecondP10: number;
  perCoreRatioToMujocoP10: number;
  /**
   * CPU time per batch step (ms): the whole process (all threads), the main thread, and the time
   * the main thread stood runnable in the scheduler's queue (Linux schedstat; null elsewhere).
   */
  cpuMsPerBatchStep: number;
  mainThreadCpuMsPerBatchStep: number | null;
  mainThreadQueuedMsPerBatchStep: number | null;
  /**
   * Idle-machine estimate from CPU time: a batch step takes at least the busier thread's CPU time
   * (main thread, or the worker threads' share of the rest of the process, which also holds V8's
   * own helper threads and workers' polling, so it errs low).
   */
  envStepsPerSecondFromCpu: number | null;
}

/** One configuration under test: its vector env, a fixed action batch and its timings. */
interface Trial {
  envs: number;
  workers: number;
  vec: VectorEnv;
  actions: Float32Array;
  steps: number;
  rates: number[];
  /** Batch steps per timed chunk, and the chunks' wall times (ms). */
  chunk: number;
  chunkMs: number[];
  /** CPU milliseconds summed over the timed runs: process, main thread, main thread queued; and batch steps timed. */
  cpu: { process: number; main: number; queued: number; steps: number };
}

export interface VectorBench {
  /** MuJoCo WASM simulated seconds per wall second: median of per-repeat throughputs, and from the 10th-percentile chunk. */
  mujoco: number;
  mujocoP10: number;
  rows: VectorRow[];
  /** Env steps per second with 2 workers over 1 worker, per env count: from throughput, and from 10th-percentile chunk times. */
  scaling: Record<string, number>;
  scalingP10: Record<string, number>;
  scalingFromCpu: Record<string, number>;
}

/** The `q`-quantile (0–1) of `xs` by linear interpolation. */
export function quantile(xs: number[], q: number): number {
  if (xs.length === 0) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  const x = q * (s.length - 1);
  const i = Math.floor(x);
  return s[i]! + (s[Math.min(i + 1, s.length - 1)]! - s[i]!) * (x - i);
}

async function prepare(task: string, envs: number, workers: number, envSteps: number, spinMs: number): Promise<Trial> {
  const vec = await makeVectorEnv(task, { numEnvs: envs, workers, seed: 0, spinMs });
  await vec.reset();
  const rng = new Rng(1);
  const actions = Float32Array.from({ length: envs * vec.batch.actionDim }, () => rng.range(-1, 1));
  for (let i = 0; i < 20; i++) await vec.step(actions);
  const chunk = Math.ceil(CHUNK_ENV_STEPS / envs);
  const steps = chunk * Math.ceil(Math.max(50, Math.ceil(envSteps / envs)) / chunk);
  return { envs, workers, vec, actions, steps, rates: [], chunk, chunkMs: [], cpu: { process: 0, main: 0, queued: 0, steps: 0 } };
}

const SCHEDSTAT = '/proc/thread-self/schedstat';

/** This thread's time on a CPU and time queued while runnable (ms), or null without Linux schedstat. */
function threadTimes(): [number, number] | null {
  if (!existsSync(SCHEDSTAT)) return null;
  const [run, queued] = readFileSync(SCHEDSTAT, 'utf8').trim().split(/\s+/).map(Number);
  return [run! / 1e6, queued! / 1e6];
}

/** Times one run of a trial: env steps per wall second, every chunk's wall time, and CPU time. */
async function timeTrial(t: Trial): Promise<void> {
  const cpu0 = process.cpuUsage();
  const thread0 = threadTimes();
  const t0 = performance.now();
  let last = t0;
  for (let i = 0; i < t.steps; i++) {
    await t.vec.step(t.actions);
    if ((i + 1) % t.chunk !== 0) continue;
    const now = performance.now();
    t.chunkMs.push(now - last);
    last = now;
  }
  t.rates.push((t.steps * t.envs) / ((last - t0) / 1000));
  const cpu = process.cpuUsage(cpu0);
  const thread1 = threadTimes();
  t.cpu.process += (cpu.user + cpu.system) / 1000;
  t.cpu.steps += t.steps;
  if (thread0 && thread1) {
    t.cpu.main += thread1[0] - thread0[0];
    t.cpu.queued += thread1[1] - thread0[1];
  } else t.cpu.main = Number.NaN;
}

/** MuJoCo WASM on the task's file for `seconds` (random controls every 0.05 s): throughput, and the wall time (ms) of every chunk of `CHUNK_ENV_STEPS` control steps. */
function mujocoRate(sim: MujocoSim, seconds: number, chunkMs: number[]): number {
  const rng = new Rng(2);
  const ctrl = new Float64Array(sim.model.nu);
  const per = Math.round(CONTROL_DT / sim.dt);
  const t0 = performance.now();
  let last = t0;
  for (let i = 0; i < seconds / CONTROL_DT; i++) {
    for (let k = 0; k < ctrl.length; k++) ctrl[k] = rng.range(-1, 1);
    sim.setControl(ctrl);
    sim.step(per);
    if ((i + 1) % CHUNK_ENV_STEPS !== 0) continue;
    const now = performance.now();
    chunkMs.push(now - last);
    last = now;
  }
  return seconds / ((last - t0) / 1000);
}

function row(t: Trial, mujoco: number, mujocoP10: number): VectorRow {
  const rate = median(t.rates);
  const cores = Math.max(1, t.workers);
  const p10 = quantile(t.chunkMs, 0.1);
  const rateP10 = (t.chunk * t.envs) / (p10 / 1000);
  return {
    envs: t.envs, workers: t.workers, envStepsPerSecond: rate,
    simSecondsPerWallSecond: rate * CONTROL_DT,
    perCoreSimSecondsPerWallSecond: (rate * CONTROL_DT) / cores,
    perCoreRatioToMujoco: (rate * CONTROL_DT) / cores / mujoco,
    chunkBatchSteps: t.chunk, chunkMsMedian: median(t.chunkMs), chunkMsP10: p10, envStepsPerSecondP10: rateP10,
    perCoreRatioToMujocoP10: (rateP10 * CONTROL_DT) / cores / mujocoP10,
    ...cpuFigures(t),
  };
}

function cpuFigures(t: Trial): Pick<VectorRow, 'cpuMsPerBatchStep' | 'mainThreadCpuMsPerBatchStep' | 'mainThreadQueuedMsPerBatchStep' | 'envStepsPerSecondFromCpu'> {
  const per = (ms: number) => ms / t.cpu.steps;
  const main = Number.isNaN(t.cpu.main) ? null : per(t.cpu.main);
  const others = main === null ? null : per(t.cpu.process) - main;
  const busiest = main === null ? null : t.workers >= 2 ? Math.max(main, others! / (t.workers - 1)) : main;
  return {
    cpuMsPerBatchStep: per(t.cpu.process),
    mainThreadCpuMsPerBatchStep: main,
    mainThreadQueuedMsPerBatchStep: main === null ? null : per(t.cpu.queued),
    envStepsPerSecondFromCpu: busiest === null ? null : t.envs / (busiest / 1000),
  };
}

/** 2-worker over 1-worker ratio of `pick(row)` per env count. */
function scalingOf(rows: VectorRow[], envList: number[], pick: (r: VectorRow) => number): Record<string, number> {
  const out: Record<string, number> = {};
  for (const envs of envList) {
    const one = rows.find((r) => r.envs === envs && r.workers === 1);
    const two = rows.find((r) => r.envs === envs && r.workers === 2);
    if (one && two) out[String(envs)] = pick(two) / pick(one);
  }
  return out;
}

export async function benchVector(task: string, envList: number[], workerList: number[], repeats: number, spinMs = 1): Promise<VectorBench> {
  const file = TASK_FILES[task];
  if (!file) throw new Error(`no benchmark file for task '${task}' (known: ${Object.keys(TASK_FILES).join(', ')})`);
  const mj = new MujocoSim(await loadMujocoModule(), readFileSync(assetPath(file), 'utf8'));
  const trials: Trial[] = [];
  for (const envs of envList) for (const workers of workerList) trials.push(await prepare(task, envs, workers, 4000, spinMs));
  const mjRates: number[] = [];
  const mjChunkMs: number[] = [];
  for (let r = 0; r < repeats; r++) {
    mjRates.push(mujocoRate(mj, 10, mjChunkMs));
    for (const t of trials) await timeTrial(t);
  }
  for (const t of trials) await t.vec.close();
  mj.free();
  const mujoco = median(mjRates);
  const mujocoP10 = (CHUNK_ENV_STEPS * CONTROL_DT) / (quantile(mjChunkMs, 0.1) / 1000);
  const rows = trials.map((t) => row(t, mujoco, mujocoP10));
  return {
    mujoco, mujocoP10, rows,
    scaling: scalingOf(rows, envList, (r) => r.envStepsPerSecond),
    scalingP10: scalingOf(rows, envList, (r) => r.envStepsPerSecondP10),
    scalingFromCpu: scalingOf(rows, envList, (r) => r.envStepsPerSecondFromCpu ?? Number.NaN),
  };
}
