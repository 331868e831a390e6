// `paddock bench sim`: Rapier stepping a robot with random controls, side by side with MuJoCo WASM on the same file.
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { z } from 'zod';
import { intList, num, type Command } from '../args.ts';
import { benchVector, CHUNK_ENV_STEPS, quantile, TASK_FILES } from './vector.ts';
import { assetPath } from '../../assets/index.ts';
import { loadMjcf } from '../../sim/mjcf/index.ts';
import { initRapier, type Rapier } from '../../sim/rapier.ts';
import { createSimWorld } from '../../sim/world.ts';
import { Rng } from '../../sim/rng.ts';
import { SIM_PRESETS, ROBOT_FILES, type SimPreset } from '../../sim/presets.ts';
import { MujocoSim, loadMujocoModule } from '../../sim/mujoco.ts';
import { machineDescription, median } from './stats.ts';

const schema = z.object({
  robot: z.enum(Object.keys(ROBOT_FILES) as [string, ...string[]]).default('half-cheetah'),
  task: z.enum(Object.keys(TASK_FILES) as [string, ...string[]]).optional(),
  envs: intList.optional(),
  workers: intList.optional(),
  'spin-ms': num(z.number().min(0).max(100)).default(1),
  seconds: num(z.number().positive().max(3600)).default(20),
  repeats: num(z.number().int().min(1).max(50)).default(5),
  json: z.boolean().default(false),
});

/** Control interval (s): random controls are redrawn this often, as an RL env would. */
const CONTROL_DT = 0.05;

/**
 * One engine's figures: median throughput over the repeats, and (`…P10`) the rate from the 10th
 * percentile of the wall times of chunks of `CHUNK_ENV_STEPS` control steps, which stays near the
 * idle-machine rate when other processes take the cores (see `VectorRow` in vector.ts).
 */
interface Row { engine: string; settings: string; simSecondsPerWallSecond: number; physicsStepsPerSecond: number; ratioToMujoco?: number; simSecondsPerWallSecondP10: number; ratioToMujocoP10?: number }

/** Draws seeded random controls every `CONTROL_DT` for `seconds`; returns wall seconds and appends chunk times (ms). */
function drive(nu: number, apply: (ctrl: Float64Array) => void, seconds: number, seed: number, chunkMs: number[]): number {
  const rng = new Rng(seed);
  const ctrl = new Float64Array(nu);
  const controls = Math.round(seconds / CONTROL_DT);
  const t0 = performance.now();
  let last = t0;
  for (let i = 0; i < controls; i++) {
    for (let k = 0; k < nu; k++) ctrl[k] = rng.range(-1, 1);
    apply(ctrl);
    if ((i + 1) % CHUNK_ENV_STEPS !== 0) continue;
    const now = performance.now();
    chunkMs.push(now - last);
    last = now;
  }
  return (performance.now() - t0) / 1000;
}

function runRapier(R: Rapier, xml: string, preset: SimPreset, seconds: number, seed: number, chunkMs: number[]): number {
  const world = createSimWorld(R, loadMjcf(xml), preset.settings);
  const perControl = Math.max(1, Math.round(CONTROL_DT / world.dt));
  const wall = drive(world.model.actuators.length, (ctrl) => {
    world.setControl(ctrl);
    world.step(perControl);
  }, seconds, seed, chunkMs);
  const simulated = world.time;
  world.free();
  return simulated / wall;
}

function runMujoco(sim: MujocoSim, seconds: number, seed: number, chunkMs: number[]): number {
  const perControl = Math.max(1, Math.round(CONTROL_DT / sim.dt));
  const t0 = sim.data.time;
  const wall = drive(sim.model.nu, (ctrl) => {
    sim.setControl(ctrl);
    sim.step(perControl);
  }, seconds, seed, chunkMs);
  return (sim.data.time - t0) / wall;
}

async function runVector(o: z.output<typeof schema>): Promise<number> {
  const task = o.task ?? 'half-cheetah';
  const loadBefore = loadavg()[0]!;
  const result = await benchVector(task, o.envs ?? [1, 16, 64], o.workers ?? [1, 2], o.repeats, o['spin-ms']);
  const report = {
    task, spinMs: o['spin-ms'], date: new Date().toISOString(), machine: await machineDescription(), loadAverage1m: { before: loadBefore, after: loadavg()[0]! },
    mujocoSimSecondsPerWallSecond: result.mujoco, mujocoSimSecondsPerWallSecondP10: result.mujocoP10,
    rows: result.rows, scalingOneToTwoWorkers: result.scaling, scalingOneToTwoWorkersP10: result.scalingP10, scalingOneToTwoWorkersFromCpu: result.scalingFromCpu,
  };
  if (o.json) {
    console.log(JSON.stringify(report, null, 2));
    return 0;
  }
  console.log(`machine: ${report.machine}, 1-minute load ${loadBefore.toFixed(2)} before, ${report.loadAverage1m.after.toFixed(2)} after`);
  console.log(`MuJoCo WASM (1 thread): ${result.mujoco.toFixed(0)} sim s / wall s (fast-tail estimate ${result.mujocoP10.toFixed(0)})`);
  console.log('envs  workers  env steps/s  sim s/wall s  per core  per core × MuJoCo  chunk ms p10  per core × MuJoCo p10');
  for (const r of result.rows) {
    console.log(`${String(r.envs).padStart(4)}  ${String(r.workers).padStart(7)}  ${r.envStepsPerSecond.toFixed(0).padStart(11)}  ${r.simSecondsPerWallSecond.toFixed(0).padStart(12)}  ${r.perCoreSimSecondsPerWallSecond.toFixed(0).padStart(8)}  ${r.perCoreRatioToMujoco.toFixed(2).padStart(17)}  ${r.chunkMsP10.toFixed(3).padStart(12)}  ${r.perCoreRatioToMujocoP10.toFixed(2).padStart(21)}`);
  }
  for (const [envs, s] of Object.entries(result.scaling)) console.log(`scaling 1 → 2 workers at ${envs} envs: ${s.toFixed(2)}× (fast-tail estimate ${result.scalingP10[envs]!.toFixed(2)}×, from CPU time ${result.scalingFromCpu[envs]!.toFixed(2)}×)`);
  return 0;
}

async function run(o: z.output<typeof schema>): Promise<number> {
  if (o.task || o.envs || o.workers) return runVector(o);
  const file = ROBOT_FILES[o.robot]!;
  const xml = readFileSync(assetPath(file), 'utf8');
  const presets = SIM_PRESETS[o.robot]!;
  const loadBefore = loadavg()[0]!;
  const mj = new MujocoSim(await loadMujocoModule(), xml);
  const samples = new Map<string, { rates: number[]; chunkMs: number[] }>();
  const entry = (key: string) => samples.get(key) ?? samples.set(key, { rates: [], chunkMs: [] }).get(key)!;
  for (let r = 0; r < o.repeats; r++) {
    const m = entry('mujoco');
    m.rates.push(runMujoco(mj, o.seconds, r, m.chunkMs));
    for (const p of presets) {
      const e = entry(p.name);
      e.rates.push(runRapier(await initRapier(p.flavor), xml, p, o.seconds, r, e.chunkMs));
    }
    if (!o.json) process.stderr.write(`\rrepeat ${r + 1}/${o.repeats}`);
  }
  if (!o.json) process.stderr.write('\n');
  const p10Rate = (key: string) => (CHUNK_ENV_STEPS * CONTROL_DT) / (quantile(samples.get(key)!.chunkMs, 0.1) / 1000);
  const mjRate = median(samples.get('mujoco')!.rates);
  const mjP10 = p10Rate('mujoco');
  const rows: Row[] = [{ engine: 'mujoco-wasm', settings: `dt ${mj.dt}`, simSecondsPerWallSecond: mjRate, physicsStepsPerSecond: mjRate / mj.dt, simSecondsPerWallSecondP10: mjP10 }];
  for (const p of presets) {
    const rate = median(samples.get(p.name)!.rates);
    const rateP10 = p10Rate(p.name);
    const dt = p.settings.timestep ?? mj.dt;
    rows.push({ engine: 'rapier', settings: p.name, simSecondsPerWallSecond: rate, physicsStepsPerSecond: rate / dt, ratioToMujoco: rate / mjRate, simSecondsPerWallSecondP10: rateP10, ratioToMujocoP10: rateP10 / mjP10 });
  }
  mj.free();
  const report = { robot: o.robot, file, seconds: o.seconds, repeats: o.repeats, date: new Date().toISOString(), machine: await machineDescription(), loadAverage1m: { before: loadBefore, after: loadavg()[0]! }, rows };
  if (o.json) console.log(JSON.stringify(report, null, 2));
  else printTable(`${report.machine}, 1-minute load ${loadBefore.toFixed(2)} before, ${report.loadAverage1m.after.toFixed(2)} after`, rows);
  return 0;
}

function printTable(machine: string, rows: Row[]): void {
  console.log(`machine: ${machine}`);
  console.log('engine        settings                                   sim s / wall s   steps/s   × MuJoCo   p10 sim s/s   × MuJoCo p10');
  for (const r of rows) {
    const ratio = r.ratioToMujoco === undefined ? '' : r.ratioToMujoco.toFixed(2);
    const ratioP10 = r.ratioToMujocoP10 === undefined ? '' : r.ratioToMujocoP10.toFixed(2);
    console.log(`${r.engine.padEnd(14)}${r.settings.padEnd(43)}${r.simSecondsPerWallSecond.toFixed(0).padStart(14)}${r.physicsStepsPerSecond.toFixed(0).padStart(10)}${ratio.padStart(11)}${r.simSecondsPerWallSecondP10.toFixed(0).padStart(14)}${ratioP10.padStart(15)}`);
  }
}

export const benchSimCommand: Command<typeof schema> = {
  name: 'bench sim',
  summary: 'physics speed: Rapier (each preset) vs MuJoCo WASM on the same MJCF file, random controls',
  flags: {
    robot: { type: 'string', help: `robot model: ${Object.keys(ROBOT_FILES).join(', ')} (default half-cheetah)` },
    seconds: { type: 'string', help: 'simulated seconds per trial (default 20)' },
    repeats: { type: 'string', help: 'trials per engine, interleaved; medians reported (default 5)' },
    task: { type: 'string', help: `vector-env mode: task to batch (${Object.keys(TASK_FILES).join(', ')})` },
    envs: { type: 'string', help: 'vector-env mode: comma-separated env counts (default 1,16,64)' },
    workers: { type: 'string', help: 'vector-env mode: comma-separated worker-thread counts, 0 = in-process (default 1,2)' },
    'spin-ms': { type: 'string', help: 'vector-env mode: how long worker threads poll for the next step before sleeping, ms (default 1)' },
    json: { type: 'boolean', help: 'print the report as JSON' },
  },
  schema,
  run,
};
