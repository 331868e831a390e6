// `paddock bench transfer`: a trained quadruped policy run closed-loop on its task (Rapier) and on quadruped-mujoco (MuJoCo WASM, same MJCF file).
import { z } from 'zod';
import { num, type Command } from '../args.ts';
import { policyFlags } from '../policy-arg.ts';
import { makeEnv } from '../../tasks/index.ts';
import { QuadrupedConfigSchema, type QuadrupedConfig } from '../../tasks/quadruped.ts';
import { evaluate } from '../../agents/evaluate.ts';
import { BackendChoiceSchema, initBackend } from '../../agents/backend.ts';
import { loadPolicy, resolvePolicyDir, trainedTaskConfig, type MlpPolicy } from '../../agents/policy-io.ts';
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

/** `episodes` deterministic episodes of `policy` on task `id` from seed `seed` on. */
async function outcomes(id: string, config: QuadrupedConfig, policy: MlpPolicy, episodes: number, seed: number): Promise<EpisodeOutcome[]> {
  const env = await makeEnv(id, config);
  try {
    return evaluate(env, (x, a) => policy.act(x, a, 1, true), episodes, seed).episodes.map((e) => ({
      steps: e.length, terminated: e.terminated, speed: e.infoMean.x_velocity!, maxHeight: e.infoFinal.torso_z_max!,
    }));
  } finally {
    env.close();
  }
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
  const rapier = await outcomes('quadruped', config, policy, o.episodes, o.seed);
  const mujoco = await outcomes('quadruped-mujoco', config, policy, o.episodes, o.seed);
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
