// `paddock bench transfer`: a trained quadruped policy run closed-loop on its task (Rapier) and on MuJoCo WASM with the same MJCF file.
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { num, type Command } from '../args.ts';
import { policyFlags } from '../policy-arg.ts';
import { assetPath } from '../../assets/index.ts';
import { loadMjcf } from '../../sim/mjcf/index.ts';
import { Rng } from '../../sim/rng.ts';
import { ROBOT_FILES } from '../../sim/presets.ts';
import { makeEnv } from '../../tasks/index.ts';
import { QuadrupedConfigSchema, type QuadrupedConfig } from '../../tasks/quadruped.ts';
import { evaluate } from '../../agents/evaluate.ts';
import { BackendChoiceSchema, initBackend } from '../../agents/backend.ts';
import { loadPolicy, resolvePolicyDir, trainedTaskConfig, type MlpPolicy } from '../../agents/policy-io.ts';
import { MujocoSim, loadMujocoModule } from './mujoco.ts';
import { startQpos } from './fidelity.ts';
import { machineDescription, median } from './stats.ts';

const schema = z.object({
  checkpoint: z.string().min(1),
  episodes: num(z.number().int().min(1).max(1000)).default(10),
  seed: num(z.number().int().min(0)).default(1000),
  backend: BackendChoiceSchema.default('auto'),
  json: z.boolean().default(false),
});

/** One closed-loop episode's outcome on either engine. */
export interface EpisodeOutcome { steps: number; terminated: boolean; speed: number; maxHeight: number }

/** Observation of the quadruped task's default layout from MuJoCo's state: qpos[2:15] then qvel[0:14] (the free joint's angular velocity is body-frame in both). */
export function observe(qpos: Float64Array, qvel: Float64Array, out: Float32Array): Float32Array {
  for (let i = 2; i < 15; i++) out[i - 2] = qpos[i]!;
  for (let i = 0; i < 14; i++) out[13 + i] = qvel[i]!;
  return out;
}

/** The task's health check: torso height in range and the torso's up axis not below `minUpright`. */
function healthy(qpos: Float64Array, c: QuadrupedConfig): boolean {
  const up = 1 - 2 * (qpos[4]! * qpos[4]! + qpos[5]! * qpos[5]!);
  return qpos[2]! >= c.healthyZRange[0] && qpos[2]! <= c.healthyZRange[1] && up >= c.minUpright;
}

/** One episode on MuJoCo: the task's start-state noise, controls held for `dt`, its termination rule and step limit. */
export function mujocoEpisode(sim: MujocoSim, q0: Float64Array, policy: MlpPolicy, c: QuadrupedConfig, dt: number, maxSteps: number, seed: number): EpisodeOutcome {
  const rng = new Rng(seed), s = c.resetNoiseScale, d = sim.data;
  const q = Float64Array.from(q0);
  for (let i = 0; i < q.length; i++) if (i < 3 || i >= 7) q[i] = q[i]! + rng.range(-s, s);
  d.qpos.set(q);
  d.qvel.set(Array.from({ length: sim.model.nv }, () => s * rng.normal()));
  d.time = 0;
  sim.mj.mj_forward(sim.model, d);
  const obs = new Float32Array(27), act = new Float32Array(sim.model.nu), substeps = Math.max(1, Math.round(dt / sim.dt));
  const x0 = d.qpos[0]!;
  let maxHeight = d.qpos[2]!, steps = 0, terminated = false;
  while (steps < maxSteps && !terminated) {
    policy.act(observe(d.qpos, d.qvel, obs), act, 1, true);
    sim.setControl(act);
    sim.step(substeps);
    steps++;
    maxHeight = Math.max(maxHeight, d.qpos[2]!);
    terminated = c.terminateWhenUnhealthy && !healthy(d.qpos, c);
  }
  return { steps, terminated, speed: (d.qpos[0]! - x0) / (steps * dt), maxHeight };
}

function summarise(eps: EpisodeOutcome[], ceiling: number) {
  return {
    episodes: eps.length,
    terminated: eps.filter((e) => e.terminated).length,
    meanSpeed: eps.reduce((a, e) => a + e.speed, 0) / eps.length,
    medianMaxHeight: median(eps.map((e) => e.maxHeight)),
    aboveCeiling: eps.filter((e) => e.maxHeight > ceiling).length,
    perEpisode: eps,
  };
}

async function run(o: z.output<typeof schema>): Promise<number> {
  await initBackend(o.backend, o.json ? () => {} : undefined);
  const dir = resolvePolicyDir(o.checkpoint);
  const policy = loadPolicy(dir);
  if (policy.task !== 'quadruped') throw new Error(`bench transfer: ${dir} is a '${policy.task}' policy; only quadruped policies are supported`);
  const config = QuadrupedConfigSchema.parse(trainedTaskConfig(policy.meta) ?? {});
  if (config.useContactForces || !config.excludeCurrentPositionsFromObservation || policy.meta.obsDim !== 27) {
    throw new Error('bench transfer: the policy must read the default 27-entry quadruped observation (no contact forces, no x-y position)');
  }
  const env = await makeEnv('quadruped', config);
  const { dt, maxEpisodeSteps } = env.spec;
  const rapier = evaluate(env, (x, a) => policy.act(x, a, 1, true), o.episodes, o.seed).episodes.map((e) => ({
    steps: e.length, terminated: e.terminated, speed: e.infoMean.x_velocity!, maxHeight: e.infoFinal.torso_z_max!,
  }));
  env.close();
  const xml = readFileSync(assetPath(ROBOT_FILES.quadruped!), 'utf8');
  const sim = new MujocoSim(await loadMujocoModule(), xml);
  const q0 = startQpos(loadMjcf(xml));
  const mujoco = Array.from({ length: o.episodes }, (_, k) => mujocoEpisode(sim, q0, policy, config, dt, maxEpisodeSteps, o.seed + k));
  sim.free();
  policy.dispose();
  const ceiling = config.healthyZRange[1];
  const report = {
    policy: dir, episodes: o.episodes, seed: o.seed, ceiling, date: new Date().toISOString(), machine: await machineDescription(),
    rapier: summarise(rapier, ceiling), mujoco: summarise(mujoco, ceiling),
  };
  if (o.json) console.log(JSON.stringify(report, null, 2));
  else {
    console.log(`${dir}: ${o.episodes} episodes per engine, mean action, termination above ${ceiling} m`);
    for (const [name, s] of [['rapier', report.rapier], ['mujoco', report.mujoco]] as const) {
      console.log(`${name.padEnd(7)} terminated ${s.terminated}/${s.episodes}  mean speed ${s.meanSpeed.toFixed(2)} m/s  median max height ${s.medianMaxHeight.toFixed(2)} m  above ${ceiling} m: ${s.aboveCeiling}`);
    }
  }
  return 0;
}

export const benchTransferCommand: Command<typeof schema> = {
  name: 'bench transfer',
  summary: 'a trained quadruped policy closed-loop on Rapier (its task) and on MuJoCo WASM (same MJCF): terminations, speed, hop height',
  flags: {
    checkpoint: { type: 'string', help: 'a quadruped run directory, checkpoint or policy folder' },
    episodes: { type: 'string', help: 'episodes per engine (default 10)' },
    seed: { type: 'string', help: 'seed of the first episode (default 1000, as paddock eval)' },
    backend: policyFlags.backend,
    json: { type: 'boolean', help: 'print the report as JSON' },
  },
  schema,
  run,
};
