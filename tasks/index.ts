// The task catalogue: registers the built-in tasks and re-exports the env API.
import { registerEnv, listEnvs } from './registry.ts';
import { halfCheetahEntry } from './half-cheetah.ts';
import { quadrupedEntry } from './quadruped.ts';
import { waypointsEntry } from './waypoints.ts';
import { armReachEntry } from './arm-reach.ts';
import { armPushEntry } from './arm-push.ts';
import { doorEntry } from './door.ts';
import { quadrupedMujocoEntry } from './quadruped-mujoco.ts';
import { halfCheetahMujocoEntry } from './half-cheetah-mujoco.ts';

export { makeEnv, registerEnv, listEnvs, getEntry, parseTaskConfig, type TaskEntry } from './registry.ts';
export type * from './env.ts';
export { push } from './push.ts';

const BUILTINS = [halfCheetahEntry, quadrupedEntry, armReachEntry, armPushEntry, doorEntry, waypointsEntry];

/** Ids of the tasks shipped with Paddock. */
export const BUILTIN_IDS = BUILTINS.map((e) => e.id);

/** Registers the built-in tasks, and the MuJoCo reference tasks, once (idempotent). */
export function registerBuiltins(): void {
  const known = new Set(listEnvs({ reference: true }).map((e) => e.id));
  for (const entry of [...BUILTINS, quadrupedMujocoEntry, halfCheetahMujocoEntry]) if (!known.has(entry.id)) registerEnv(entry as Parameters<typeof registerEnv>[0]);
}

registerBuiltins();
