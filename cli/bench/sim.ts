// `paddock bench sim`: Rapier stepping a robot with random controls, side by side with MuJoCo WASM on the same file.
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { intList, num, type Command } from '../args.ts';
import { benchVector, TASK_FILES } from './vector.ts';
import { assetPath } from '../../assets/index.ts';
import { loadMjcf } from '../../sim/mjcf/index.ts';
import { initRapier, type Rapier } from '../../sim/rapier.ts';
import { createSimWorld } from '../../sim/world.ts';
import { Rng } from '../../sim/rng.ts';
import { SIM_PRESETS, ROBOT_FILES, type SimPreset } from '../../sim/presets.ts';
import { MujocoSim, loadMujocoModule } from './mujoco.ts';
import { machineDescription, median, timeIt } from './stats.ts';

const schema = z.object({
  robot: z.enum(Object.keys(ROBOT_FILES) as [string, ...string[]]).default('half-cheetah'),
  task: z.enum(Object.keys(TASK_FILES) as [string, ...string[]]).optional(),
  envs: intList.optional(),
  workers: intList.optional(),
  seconds: num(z.number().positive().max(3600)).default(20),
  repeats: num(z.number().int().min(1).max(50)).default(5),
  json: z.boolean().default(false),
});

/** Control interval (s): random controls are redrawn this often, as an RL env would. */
const CONTROL_DT = 0.05;

interface Row { engine: string; settings: string; simSecondsPerWallSecond: number; physicsStepsPerSecond: number; ratioToMujoco?: number }

function runRapier(R: Rapier, xml: string, preset: SimPreset, seconds: number, seed: number): number {
  const world = createSimWorld(R, loadMjcf(xml), preset.settings);
  const rng = new Rng(seed);
  const ctrl = new Float64Array(world.model.actuators.length);
  const perControl = Math.max(1, Math.round(CONTROL_DT / world.dt));
  const controls = Math.round(seconds / CONTROL_DT);
  const wall = timeIt(() => {
    for (let i = 0; i < controls; i++) {
      for (let k = 0; k < ctrl.length; k++) ctrl[k] = rng.range(-1, 1);
      world.setControl(ctrl);
      world.step(perControl);
    }
  });
  const simulated = world.time;
  world.free();
  return simulated / wall;
}

function runMujoco(sim: MujocoSim, seconds: number, seed: number): number {
  const rng = new Rng(seed);
  const ctrl = new Float64Array(sim.model.nu);
  const perControl = Math.max(1, Math.round(CONTROL_DT / sim.dt));
  const controls = Math.round(seconds / CONTROL_DT);
  const t0 = sim.data.time;
  const wall = timeIt(() => {
    for (let i = 0; i < controls; i++) {
      for (let k = 0; k < ctrl.length; k++) ctrl[k] = rng.range(-1, 1);
      sim.setControl(ctrl);
      sim.step(perControl);
    }
  });
  return (sim.data.time - t0) / wall;
}

async function runVector(o: z.output<typeof schema>): Promise<number> {
  const task = o.task ?? 'half-cheetah';
  const result = await benchVector(task, o.envs ?? [1, 16, 64], o.workers ?? [1, 2], o.repeats);
  const report = { task, date: new Date().toISOString(), machine: await machineDescription(), mujocoSimSecondsPerWallSecond: result.mujoco, rows: result.rows, scalingOneToTwoWorkers: result.scaling };
  if (o.json) {
    console.log(JSON.stringify(report, null, 2));
    return 0;
  }
  console.log(`machine: ${report.machine}\nMuJoCo WASM (1 thread): ${result.mujoco.toFixed(0)} sim s / wall s`);
  console.log('envs  workers  env steps/s  sim s/wall s  per core  per core × MuJoCo');
  for (const r of result.rows) {
    console.log(`${String(r.envs).padStart(4)}  ${String(r.workers).padStart(7)}  ${r.envStepsPerSecond.toFixed(0).padStart(11)}  ${r.simSecondsPerWallSecond.toFixed(0).padStart(12)}  ${r.perCoreSimSecondsPerWallSecond.toFixed(0).padStart(8)}  ${r.perCoreRatioToMujoco.toFixed(2).padStart(17)}`);
  }
  for (const [envs, s] of Object.entries(result.scaling)) console.log(`scaling 1 → 2 workers at ${envs} envs: ${s.toFixed(2)}×`);
  return 0;
}

async function run(o: z.output<typeof schema>): Promise<number> {
  if (o.task || o.envs || o.workers) return runVector(o);
  const file = ROBOT_FILES[o.robot]!;
  const xml = readFileSync(assetPath(file), 'utf8');
  const presets = SIM_PRESETS[o.robot]!;
  const mj = new MujocoSim(await loadMujocoModule(), xml);
  const samples = new Map<string, number[]>();
  const add = (key: string, v: number) => samples.set(key, [...(samples.get(key) ?? []), v]);
  for (let r = 0; r < o.repeats; r++) {
    add('mujoco', runMujoco(mj, o.seconds, r));
    for (const p of presets) add(p.name, runRapier(await initRapier(p.flavor), xml, p, o.seconds, r));
    if (!o.json) process.stderr.write(`\rrepeat ${r + 1}/${o.repeats}`);
  }
  if (!o.json) process.stderr.write('\n');
  const mjRate = median(samples.get('mujoco')!);
  const rows: Row[] = [{ engine: 'mujoco-wasm', settings: `dt ${mj.dt}`, simSecondsPerWallSecond: mjRate, physicsStepsPerSecond: mjRate / mj.dt }];
  for (const p of presets) {
    const rate = median(samples.get(p.name)!);
    const dt = p.settings.timestep ?? mj.dt;
    rows.push({ engine: 'rapier', settings: p.name, simSecondsPerWallSecond: rate, physicsStepsPerSecond: rate / dt, ratioToMujoco: rate / mjRate });
  }
  mj.free();
  const report = { robot: o.robot, file, seconds: o.seconds, repeats: o.repeats, date: new Date().toISOString(), machine: await machineDescription(), rows };
  if (o.json) console.log(JSON.stringify(report, null, 2));
  else printTable(report.machine, rows);
  return 0;
}

function printTable(machine: string, rows: Row[]): void {
  console.log(`machine: ${machine}`);
  console.log('engine        settings                                   sim s / wall s   steps/s   × MuJoCo');
  for (const r of rows) {
    const ratio = r.ratioToMujoco === undefined ? '' : r.ratioToMujoco.toFixed(2);
    console.log(`${r.engine.padEnd(14)}${r.settings.padEnd(43)}${r.simSecondsPerWallSecond.toFixed(0).padStart(14)}${r.physicsStepsPerSecond.toFixed(0).padStart(10)}${ratio.padStart(11)}`);
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
    json: { type: 'boolean', help: 'print the report as JSON' },
  },
  schema,
  run,
};
