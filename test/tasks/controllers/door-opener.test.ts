// The scripted door opener: grasps the handle and pulls the door past 30°, and reaches goal angles across [0°, 90°] within an episode.
import { describe, expect, it } from 'vitest';
import { makeEnv } from '../../../tasks/index.ts';
import { indexOf } from '../../../sim/model.ts';
import { sliceOf } from '../../../tasks/layout.ts';
import { DOOR_LAYOUT, type DoorTask } from '../../../tasks/door.ts';
import { DoorOpener, type DoorOpenerPhase } from '../../../tasks/controllers/door-opener.ts';

const HANDLE_REL = sliceOf(DOOR_LAYOUT, 'handle_rel_pos').start;
const ANGLE = sliceOf(DOOR_LAYOUT, 'door_angle').start;

interface Run {
  angle: number;
  success: boolean;
  phases: DoorOpenerPhase[];
  /** Largest door angle (rad) while the fingers pressed on the bar (contact force, grip within 4 cm of the bar). */
  heldAngle: number;
}

/** Total contact force (N) on the two fingers in the last physics step. */
function fingerForce(env: DoorTask): number {
  const m = env.world.model, f = env.world.contactForces();
  let total = 0;
  for (const name of ['left_finger', 'right_finger']) {
    const b = indexOf(m.bodies, name, 'body');
    total += Math.hypot(f[3 * b]!, f[3 * b + 1]!, f[3 * b + 2]!);
  }
  return total;
}

/** One 100-step episode of the door task driven by the opener toward goal angle `goal` (rad). */
function episode(env: DoorTask, opener: DoorOpener, goal: number): Run {
  opener.reset();
  let obs = env.reset({ seed: 0, options: { goal: [goal] } }).obs;
  const run: Run = { angle: 0, success: false, phases: [], heldAngle: 0 };
  for (let i = 0; i < env.spec.maxEpisodeSteps; i++) {
    const r = env.step(opener.act(obs));
    obs = r.obs;
    if (run.phases.at(-1) !== opener.phase) run.phases.push(opener.phase);
    const o = obs.observation;
    if (fingerForce(env) > 0.5 && Math.hypot(o[HANDLE_REL]!, o[HANDLE_REL + 1]!) < 0.04) run.heldAngle = Math.max(run.heldAngle, o[ANGLE]!);
    run.angle = o[ANGLE]!;
    run.success = r.info.isSuccess === true;
  }
  return run;
}

describe('door opener', () => {
  it('grasps the handle and pulls the door open past 30°, then pushes it on to the goal', async () => {
    const env = (await makeEnv('door')) as unknown as DoorTask;
    const opener = new DoorOpener({ releaseAngle: 0.6 });
    const run = episode(env, opener, 1.0);
    expect(run.phases.slice(0, 4)).toEqual(['approach', 'descend', 'close', 'pull']);
    expect(run.heldAngle).toBeGreaterThan(Math.PI / 6);
    expect(run.angle).toBeGreaterThan(Math.PI / 6);
    expect(run.success).toBe(true);
    env.close();
  });

  it('holds the door at a small goal with the handle still grasped', async () => {
    const env = (await makeEnv('door')) as unknown as DoorTask;
    const run = episode(env, new DoorOpener(), 0.35);
    expect(run.phases).toEqual(['approach', 'descend', 'close', 'pull', 'hold']);
    expect(run.heldAngle).toBeGreaterThan(0.3);
    expect(run.success).toBe(true);
    env.close();
  });

  it('reaches goals across [0°, 90°] within the 100-step episode', async () => {
    const env = (await makeEnv('door')) as unknown as DoorTask;
    const opener = new DoorOpener();
    for (const goal of [0.15, 0.6, 0.9, 1.25, Math.PI / 2]) {
      const run = episode(env, opener, goal);
      expect(run.success, `goal ${goal}: ended at ${run.angle.toFixed(3)} after ${run.phases.join(' → ')}`).toBe(true);
    }
    env.close();
  });
});
