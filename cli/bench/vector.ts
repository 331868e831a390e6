// Vector-env throughput for `paddock bench sim --task … --envs … --workers …`, beside MuJoCo WASM in the same run.
import { readFileSync } from 'node:fs';
import { makeVectorEnv } from '../../tasks/vector/vector-env.ts';
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

/** Median env steps per wall second of one (envs, workers) configuration over `repeats` timed runs. */
async function measure(task: string, envs: number, workers: number, envSteps: number, repeats: number): Promise<number> {
  const vec = await makeVectorEnv(task, { numEnvs: envs, workers, seed: 0 });
  await vec.reset();
  const rng = new Rng(1);
  const actions = Float32Array.from({ length: envs * vec.batch.actionDim }, () => rng.range(-1, 1));
  const steps = Math.max(20, Math.ceil(envSteps / envs));
  for (let i = 0; i < 5; i++) await vec.step(actions);
  const rates: number[] = [];
  for (let r = 0; r < repeats; r++) {
    const t0 = performance.now();
    for (let i = 0; i < steps; i++) await vec.step(actions);
    rates.push((steps * envs) / ((performance.now() - t0) / 1000));
  }
  await vec.close();
  return median(rates);
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
  const mjRates: number[] = [];
  const rows: VectorRow[] = [];
  for (const envs of envList) {
    for (const workers of workerList) {
      mjRates.push(mujocoRate(mj, 10));
      const rate = await measure(task, envs, workers, 4000, repeats);
      const cores = Math.max(1, workers);
      rows.push({ envs, workers, envStepsPerSecond: rate, simSecondsPerWallSecond: rate * 0.05, perCoreSimSecondsPerWallSecond: (rate * 0.05) / cores, perCoreRatioToMujoco: 0 });
    }
  }
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
