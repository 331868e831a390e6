// `paddock bench fidelity`: how closely Rapier's motion follows MuJoCo's on the same MJCF file (standing height, gaits, hop height).
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { num, type Command } from '../args.ts';
import { assetPath } from '../../assets/index.ts';
import { loadMjcf } from '../../sim/mjcf/index.ts';
import { initRapier } from '../../sim/rapier.ts';
import { createSimWorld, type SimWorld } from '../../sim/world.ts';
import { clampedReferenceQpos } from '../../sim/kinematics.ts';
import type { Model } from '../../sim/model.ts';
import { Rng } from '../../sim/rng.ts';
import { defaultPreset, ROBOT_FILES } from '../../sim/presets.ts';
import { sineGaitControl, type SineGait } from '../../tasks/controllers/sine-gait.ts';
import { MujocoSim, loadMujocoModule } from '../../sim/mujoco.ts';
import { machineDescription, median } from './stats.ts';

const schema = z.object({
  robot: z.enum(['quadruped', 'half-cheetah']).default('quadruped'),
  gaits: num(z.number().int().min(2).max(2000)).default(100),
  seconds: num(z.number().min(2).max(600)).default(10),
  ceiling: num(z.number().positive()).default(1.0),
  seed: num(z.number().int().min(0)).default(1),
  json: z.boolean().default(false),
});

/** Controls are held for this long (s), as the tasks do. */
const CONTROL_DT = 0.05;
/** Zero-control settling time (s) before the standing height is read. */
const SETTLE_S = 3;
/** Gait time (s) not counted for the hop height: the start pose is above the floor and drops. */
const SKIP_S = 1;

function randomGait(rng: Rng, nu: number): SineGait {
  const draw = (f: () => number) => Array.from({ length: nu }, f);
  return { frequency: rng.range(0.5, 3.5), amplitude: draw(() => rng.range(0, 1)), phase: draw(() => rng.range(0, 2 * Math.PI)), offset: draw(() => rng.range(-0.5, 0.5)) };
}

/** One engine behind the calls this benchmark needs: root body (body 1) world position, controls, stepping. */
interface Engine { reset(): void; root(): [number, number, number]; control(u: Float64Array): void; advance(seconds: number): void; free(): void }

function mujocoEngine(sim: MujocoSim, xml: string, q0: Float64Array): Engine {
  let s = sim;
  return {
    reset: () => {
      s.free();
      s = new MujocoSim(sim.mj, xml);
      s.data.qpos.set(q0);
      s.mj.mj_forward(s.model, s.data);
    },
    root: () => s.bodyPos(1),
    control: (u) => s.setControl(u),
    advance: (seconds) => s.step(Math.round(seconds / s.dt)),
    free: () => s.free(),
  };
}

function rapierEngine(make: () => SimWorld, q0: Float64Array): Engine {
  let w = make();
  const p = new Float64Array(3);
  return {
    reset: () => {
      w.free();
      w = make();
      w.setState(q0);
    },
    root: () => { w.bodyPose(1, p); return [p[0]!, p[1]!, p[2]!]; },
    control: (u) => w.setControl(u),
    advance: (seconds) => w.step(Math.max(1, Math.round(seconds / w.dt))),
    free: () => w.free(),
  };
}

interface GaitResult { speed: number; maxHeight: number }

/** Root height (m) after settling with zero control from the start state. */
function settle(e: Engine, nu: number): number {
  e.reset();
  e.control(new Float64Array(nu));
  e.advance(SETTLE_S);
  return e.root()[2];
}

/** Forward (world x) speed of the root over the run (m/s) and its highest height (m) after the first `SKIP_S` (the start pose is in the air). */
function runGait(e: Engine, g: SineGait, nu: number, seconds: number): GaitResult {
  e.reset();
  const u = new Float64Array(nu);
  const x0 = e.root()[0];
  let maxHeight = -Infinity;
  for (let t = 0; t < seconds - 1e-9; t += CONTROL_DT) {
    e.control(sineGaitControl(g, t, u));
    e.advance(CONTROL_DT);
    if (t >= SKIP_S) maxHeight = Math.max(maxHeight, e.root()[2]);
  }
  return { speed: (e.root()[0] - x0) / seconds, maxHeight };
}

function pearson(a: number[], b: number[]): number {
  const ma = a.reduce((s, x) => s + x, 0) / a.length, mb = b.reduce((s, x) => s + x, 0) / b.length;
  let sab = 0, saa = 0, sbb = 0;
  for (let i = 0; i < a.length; i++) {
    sab += (a[i]! - ma) * (b[i]! - mb);
    saa += (a[i]! - ma) ** 2;
    sbb += (b[i]! - mb) ** 2;
  }
  return sab / Math.sqrt(saa * sbb);
}

function summarise(results: GaitResult[], standing: number, ceiling: number) {
  const speeds = results.map((r) => r.speed);
  return {
    standingHeight: standing,
    medianAbsSpeed: median(speeds.map(Math.abs)),
    fastestSpeed: Math.max(...speeds.map(Math.abs)),
    medianMaxHeight: median(results.map((r) => r.maxHeight)),
    aboveCeiling: results.filter((r) => r.maxHeight > ceiling).length / results.length,
  };
}

async function run(o: z.output<typeof schema>): Promise<number> {
  const file = ROBOT_FILES[o.robot]!;
  const xml = readFileSync(assetPath(file), 'utf8');
  const model = loadMjcf(xml);
  const preset = defaultPreset(o.robot);
  const R = await initRapier(preset.flavor);
  const q0 = clampedReferenceQpos(model);
  const engines = {
    mujoco: mujocoEngine(new MujocoSim(await loadMujocoModule(), xml), xml, q0),
    rapier: rapierEngine(() => createSimWorld(R, model, preset.settings), q0),
  };
  const nu = model.actuators.length;
  const rng = new Rng(o.seed);
  const gaits = Array.from({ length: o.gaits }, () => randomGait(rng, nu));
  const results = { mujoco: [] as GaitResult[], rapier: [] as GaitResult[] };
  for (const [i, g] of gaits.entries()) {
    results.mujoco.push(runGait(engines.mujoco, g, nu, o.seconds));
    results.rapier.push(runGait(engines.rapier, g, nu, o.seconds));
    if (!o.json) process.stderr.write(`\rgait ${i + 1}/${o.gaits}`);
  }
  if (!o.json) process.stderr.write('\n');
  const report = {
    robot: o.robot, file, rapierSettings: preset.name, gaits: o.gaits, seconds: o.seconds, ceiling: o.ceiling, seed: o.seed,
    date: new Date().toISOString(), machine: await machineDescription(),
    mujoco: summarise(results.mujoco, settle(engines.mujoco, nu), o.ceiling),
    rapier: summarise(results.rapier, settle(engines.rapier, nu), o.ceiling),
    speedCorrelation: pearson(results.mujoco.map((r) => r.speed), results.rapier.map((r) => r.speed)),
  };
  engines.mujoco.free();
  engines.rapier.free();
  if (o.json) console.log(JSON.stringify(report, null, 2));
  else printReport(report);
  return 0;
}

function printReport(r: { machine: string; gaits: number; seconds: number; ceiling: number; speedCorrelation: number; mujoco: ReturnType<typeof summarise>; rapier: ReturnType<typeof summarise> }): void {
  console.log(`machine: ${r.machine}; ${r.gaits} random open-loop sine gaits of ${r.seconds} s on both engines`);
  console.log(`engine   standing height (m)  median |speed| (m/s)  fastest (m/s)  median max height (m)  gaits above ${r.ceiling} m`);
  for (const [name, s] of [['mujoco', r.mujoco], ['rapier', r.rapier]] as const) {
    console.log(`${name.padEnd(9)}${s.standingHeight.toFixed(3).padStart(19)}${s.medianAbsSpeed.toFixed(3).padStart(22)}${s.fastestSpeed.toFixed(2).padStart(15)}${s.medianMaxHeight.toFixed(3).padStart(23)}${(100 * s.aboveCeiling).toFixed(0).padStart(16)} %`);
  }
  console.log(`correlation of per-gait forward speed between the engines: ${r.speedCorrelation.toFixed(2)}`);
}

export const benchFidelityCommand: Command<typeof schema> = {
  name: 'bench fidelity',
  summary: 'physics fidelity: the same random open-loop gaits on Rapier and MuJoCo WASM; standing height, speed, hop height',
  flags: {
    robot: { type: 'string', help: 'robot model: quadruped or half-cheetah (default quadruped)' },
    gaits: { type: 'string', help: 'number of seeded random sine gaits (default 100)' },
    seconds: { type: 'string', help: 'simulated seconds per gait (default 10)' },
    ceiling: { type: 'string', help: 'root height (m) counted as a hop above the healthy range (default 1.0, the quadruped task\'s)' },
    seed: { type: 'string', help: 'seed of the gait draws (default 1)' },
    json: { type: 'boolean', help: 'print the report as JSON' },
  },
  schema,
  run,
};
