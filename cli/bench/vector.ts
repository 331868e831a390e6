// Vector-env throughput for `paddock bench sim --task … --envs … --workers …`, beside MuJoCo WASM in the same run.
import { readFileSync } from 'node:fs';
import { makeVectorEnv, type VectorEnv } from '../../tasks/vector/vector-env.ts';
import { assetPath } from '../../assets/index.ts';
import { Rng } from '../../sim/rng.ts';
import { MujocoSim, loadMujocoModule } from './mujoco.ts';
import { median } from './stats.ts';

/** The MJCF file behind each benchmarkable task. */
export const TASK_FILES: Record<string, string> = { 'half-cheetah': 'half_cheetah.xml', quadruped: 'ant.xml' };

export interface VectorRow {
  envs: number;
  workers: number;
  envStepsPerSecond: number;
  simSecondsPerWallSecond: number;
  perCoreSimSecondsPerWallSecond: number;
  perCoreRatioToMujoco: number;
}

/** One configuration under test: its vector env, a fixed action batch and its timed rates. */
interface Trial {
  envs: number;
  workers: number;
  vec: VectorEnv;
  actions: Float32Array;
  steps: number;
  rates: number[];
}

async function prepare(task: string, envs: number, workers: number, envSteps: number): Promise<Trial> {
  const vec = await makeVectorEnv(task, { numEnvs: envs, workers, seed: 0 });
  await vec.reset();
  const rng = new Rng(1);
  const actions = Float32Array.from({ length: envs * vec.batch.actionDim }, () => rng.range(-1, 1));
  for (let i = 0; i < 20; i++) await vec.step(actions);
  return { envs, workers, vec, actions, steps: Math.max(50, Math.ceil(envSteps / envs)), rates: [] };
}

/** Times one run of a trial: env steps per wall second. */
async function timeTrial(t: Trial): Promise<void> {
  const t0 = performance.now();
  for (let i = 0; i < t.steps; i++) await t.vec.step(t.actions);
  t.rates.push((t.steps * t.envs) / ((performance.now() - t0) / 1000));
}

/** MuJoCo WASM simulated seconds per wall second on the task's file (random controls every 0.05 s). */
function mujocoRate(sim: MujocoSim, seconds: number): number {
  const rng = new Rng(2);
  const ctrl = new Float64Array(sim.model.nu);
  const per = Math.round(0.05 / sim.dt);
  const t0 = performance.now();
  for (let i = 0; i < seconds / 0.05; i++) {
    for (let k = 0; k < ctrl.length; k++) ctrl[k] = rng.range(-1, 1);
    sim.setControl(ctrl);
    sim.step(per);
  }
  return seconds / ((performance.now() - t0) / 1000);
}

export async function benchVector(task: string, envList: number[], workerList: number[], repeats: number): Promise<{ mujoco: number; rows: VectorRow[]; scaling: Record<string, number> }> {
  const file = TASK_FILES[task];
  if (!file) throw new Error(`no benchmark file for task '${task}' (known: ${Object.keys(TASK_FILES).join(', ')})`);
  const mj = new MujocoSim(await loadMujocoModule(), readFileSync(assetPath(file), 'utf8'));
  const trials: Trial[] = [];
  for (const envs of envList) for (const workers of workerList) trials.push(await prepare(task, envs, workers, 4000));
  const mjRates: number[] = [];
  for (let r = 0; r < repeats; r++) {
    mjRates.push(mujocoRate(mj, 10));
    for (const t of trials) await timeTrial(t);
  }
  for (const t of trials) await t.vec.close();
  const rows: VectorRow[] = trials.map((t) => {
    const rate = median(t.rates);
    const sim = rate * 0.05;
    return { envs: t.envs, workers: t.workers, envStepsPerSecond: rate, simSecondsPerWallSecond: sim, perCoreSimSecondsPerWallSecond: sim / Math.max(1, t.workers), perCoreRatioToMujoco: 0 };
  });
  mj.free();
  const mujoco = median(mjRates);
  for (const row of rows) row.perCoreRatioToMujoco = row.perCoreSimSecondsPerWallSecond / mujoco;
  const scaling: Record<string, number> = {};
  for (const envs of envList) {
    const one = rows.find((r) => r.envs === envs && r.workers === 1);
    const two = rows.find((r) => r.envs === envs && r.workers === 2);
    if (one && two) scaling[String(envs)] = two.envStepsPerSecond / one.envStepsPerSecond;
  }
  return { mujoco, rows, scaling };
}
