// Long random-action rollouts of every arm task stay physical: finite, inside their spaces, joints together and within limits.
import { describe, expect, it } from 'vitest';
import { makeEnv } from '../../tasks/index.ts';
import { boxContains } from '../../tasks/spaces.ts';
import { indexOf } from '../../sim/model.ts';
import type { ArmGoalTask } from '../../tasks/arm/common.ts';
import { Rng } from '../../sim/rng.ts';

interface Extremes {
  separation: number;
  limitExcess: number;
  robotSpeed: number;
  lowestCube: number;
  outside: number;
}

/** Steps `steps` uniformly random actions (resetting at episode ends) and records the worst values seen. */
function rollout(env: ArmGoalTask, steps: number, seed: number): Extremes {
  const m = env.world.model;
  const rng = new Rng(seed);
  const action = new Float32Array(env.spec.actionSpace.shape[0]!);
  const qpos = new Float64Array(m.nq), qvel = new Float64Array(m.nv);
  const cubeZ = m.joints[indexOf(m.joints, 'object', 'joint')]!.qposAdr + 2;
  const robotDofs = m.joints.filter((j) => j.type !== 'free').map((j) => j.dofAdr);
  const space = env.spec.observationSpace;
  const x: Extremes = { separation: 0, limitExcess: 0, robotSpeed: 0, lowestCube: Infinity, outside: 0 };
  env.reset({ seed });
  for (let i = 0; i < steps; i++) {
    for (let k = 0; k < action.length; k++) action[k] = rng.range(-1, 1);
    const r = env.step(action);
    if (space.type !== 'dict') throw new Error('arm tasks have dict observations');
    for (const [key, arr] of Object.entries(r.obs)) if (!boxContains(space.spaces[key]!, arr) || !arr.every(Number.isFinite)) x.outside++;
    env.world.qpos(qpos);
    env.world.qvel(qvel);
    x.separation = Math.max(x.separation, env.world.maxJointSeparation());
    for (const j of m.joints) if (j.range && j.type !== 'free') x.limitExcess = Math.max(x.limitExcess, j.range[0] - qpos[j.qposAdr]!, qpos[j.qposAdr]! - j.range[1]);
    for (const d of robotDofs) x.robotSpeed = Math.max(x.robotSpeed, Math.abs(qvel[d]!));
    x.lowestCube = Math.min(x.lowestCube, qpos[cubeZ]!);
    if (r.terminated || r.truncated) env.reset();
  }
  return x;
}

const CASES: [string, Record<string, unknown>, number][] = [
  ['arm-reach', {}, 3000],
  ['arm-push', { randomize: { mass: [0.8, 1.25], friction: [0.7, 1.3], damping: [0.7, 1.5] } }, 3000],
  ['door', {}, 3000],
  ['arm-reach', { actionMode: 'joint' }, 1500],
  ['door', { actionMode: 'joint' }, 1500],
];

describe('arm tasks under long random-action rollouts', () => {
  for (const [id, config, steps] of CASES) {
    it(`${id} ${JSON.stringify(config)}: ${steps} steps stay finite, in bounds, jointed and within limits`, async () => {
      const env = (await makeEnv(id, config)) as unknown as ArmGoalTask;
      const x = rollout(env, steps, 11);
      expect(x.outside).toBe(0);
      expect(x.separation).toBeLessThan(0.01);
      expect(x.limitExcess).toBeLessThan(0.03);
      expect(x.robotSpeed).toBeLessThan(30);
      expect(x.lowestCube).toBeGreaterThan(0);
      env.close();
    }, 120_000);
  }
});
