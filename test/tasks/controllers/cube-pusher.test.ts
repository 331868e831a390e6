// The scripted cube pusher: arm-push is solvable within its 50 steps, far above the chance of a cube that starts on its goal.
import { describe, expect, it } from 'vitest';
import { makeEnv } from '../../../tasks/index.ts';
import type { ArmPushTask } from '../../../tasks/arm-push.ts';
import { CubePusher, type CubePusherPhase } from '../../../tasks/controllers/cube-pusher.ts';

const SEEDS = 20;

interface Outcome { success: boolean; phases: CubePusherPhase[]; startDistance: number; finalDistance: number }

/** One episode driven by `act`; distances are cube to goal in the table plane (m). */
function episode(env: ArmPushTask, seed: number, pusher: CubePusher | null): Outcome {
  pusher?.reset();
  let obs = env.reset({ seed }).obs;
  const planar = (): number => Math.hypot(obs.achieved_goal[0]! - obs.desired_goal[0]!, obs.achieved_goal[1]! - obs.desired_goal[1]!);
  const out: Outcome = { success: false, phases: [], startDistance: planar(), finalDistance: 0 };
  const zero = new Float32Array(4);
  for (let t = 0; t < env.spec.maxEpisodeSteps; t++) {
    const r = env.step(pusher ? pusher.act(obs) : zero);
    obs = r.obs;
    out.success = r.info.isSuccess === true;
    if (pusher && out.phases.at(-1) !== pusher.phase) out.phases.push(pusher.phase);
  }
  out.finalDistance = planar();
  return out;
}

describe('CubePusher on arm-push', () => {
  it('pushes the cube onto the goal in most episodes, where doing nothing succeeds only when the cube starts there', async () => {
    const env = (await makeEnv('arm-push')) as ArmPushTask;
    const pusher = new CubePusher();
    let pushed = 0, idle = 0, startedAtGoal = 0, closer = 0;
    for (let seed = 0; seed < SEEDS; seed++) {
      const p = episode(env, seed, pusher);
      const z = episode(env, seed, null);
      pushed += Number(p.success);
      idle += Number(z.success);
      startedAtGoal += Number(z.startDistance <= 0.05);
      expect(p.phases).toEqual(['over', 'lower', 'push']);
      closer += Number(p.finalDistance < p.startDistance);
    }
    expect(closer).toBeGreaterThanOrEqual(0.8 * SEEDS);
    expect(pushed).toBeGreaterThanOrEqual(0.6 * SEEDS);
    expect(idle).toBeLessThanOrEqual(startedAtGoal);
    expect(pushed).toBeGreaterThan(idle + 0.4 * SEEDS);
    env.close();
  }, 120_000);
});
