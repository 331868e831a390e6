// The door task: the arm composed with the cabinet, goal angles in a configurable range, dict obs, dense/sparse reward, success within 0.05 rad.
import { describe, expect, it } from 'vitest';
import { makeEnv } from '../../tasks/index.ts';
import { indexOf } from '../../sim/model.ts';
import { assetModel } from '../../tasks/robots.ts';
import { sliceOf } from '../../tasks/layout.ts';
import type { GoalObservation } from '../../tasks/arm/common.ts';
import { DOOR_GRASP_HEIGHT, DOOR_HINGE, DOOR_LAYOUT, DOOR_MAX_ANGLE, DOOR_TOP, DOOR_WIDTH, type DoorTask } from '../../tasks/door.ts';
import { Rng } from '../../sim/rng.ts';

async function doorEnv(config: Record<string, unknown> = {}): Promise<DoorTask> {
  return (await makeEnv('door', config)) as unknown as DoorTask;
}

const ANGLE = sliceOf(DOOR_LAYOUT, 'door_angle').start;
const FLOAT32_SLACK = 1e-6;

/**
 * Sets the door hinge to `angle` (rad) without moving anything else. The arm's start pose lies in
 * the door's sweep from about 0.65 to 1.2 rad, so tests teleport the door only outside that band.
 */
function setDoor(env: DoorTask, angle: number): void {
  const q = env.world.qpos();
  q[env.hingeQ] = angle;
  env.world.setState(q);
}

describe('door scene', () => {
  it('composes the unchanged arm with the cabinet (arena attached, robot not subclassed)', async () => {
    const env = await doorEnv();
    const arm = assetModel('arm.xml'), cabinet = assetModel('cabinet.xml');
    const m = env.world.model;
    expect(m.bodies.map((b) => b.name)).toEqual([...arm.bodies.map((b) => b.name), ...cabinet.bodies.slice(1).map((b) => b.name)]);
    expect(m.joints.slice(0, arm.joints.length)).toEqual(arm.joints);
    expect(m.actuators).toEqual(arm.actuators);
    expect(m.nq).toBe(arm.nq + 1);
    env.close();
  });

  it('exports the hinge line, hinge limit, door top and width of the model it runs', async () => {
    const env = await doorEnv();
    const m = env.world.model;
    const pos = new Float64Array(3);
    env.world.bodyPose(indexOf(m.bodies, 'door', 'body'), pos);
    Array.from(pos).forEach((v, k) => expect(v).toBeCloseTo(DOOR_HINGE[k]!, 6));
    const panel = m.geoms[indexOf(m.geoms, 'door', 'geom')]!;
    expect(DOOR_HINGE[2] + panel.pos[2] + panel.size[2]!).toBeCloseTo(DOOR_TOP, 6);
    expect(2 * panel.size[1]!).toBeCloseTo(DOOR_WIDTH, 6);
    expect(m.joints[indexOf(m.joints, 'door_hinge', 'joint')]!.range).toEqual([0, DOOR_MAX_ANGLE]);
    env.close();
  });
});

describe('door goals', () => {
  it('samples goal angles across [0°, 90°] by default and within a configured range', async () => {
    for (const [range, config] of [[Math.PI / 2, {}], [Math.PI / 3, { goalRange: [0, Math.PI / 3] }]] as const) {
      const env = await doorEnv(config);
      const goals: number[] = [];
      for (let seed = 0; seed < 60; seed++) goals.push(env.reset({ seed }).obs.desired_goal[0]!);
      expect(Math.min(...goals)).toBeGreaterThanOrEqual(0);
      expect(Math.max(...goals)).toBeLessThanOrEqual(range + FLOAT32_SLACK);
      expect(Math.min(...goals)).toBeLessThan(0.15 * range);
      expect(Math.max(...goals)).toBeGreaterThan(0.85 * range);
      env.close();
    }
  });

  it('names bad goal ranges in the config error', async () => {
    await expect(makeEnv('door', { goalRange: [1, 0.5] })).rejects.toThrow(/config\.goalRange/);
    await expect(makeEnv('door', { goalRange: [0, 3] })).rejects.toThrow(/config\.goalRange\.1/);
  });
});

describe('door observations and rewards', () => {
  it('gives a dict observation whose achieved goal is the hinge angle', async () => {
    const env = await doorEnv();
    const { obs } = env.reset({ seed: 1 });
    expect(Object.keys(obs).sort()).toEqual(['achieved_goal', 'desired_goal', 'observation']);
    expect([obs.observation.length, obs.achieved_goal.length, obs.desired_goal.length]).toEqual([18, 1, 1]);
    setDoor(env, 0.3);
    const r = env.step(new Float32Array(4));
    expect(r.obs.achieved_goal[0]).toBeCloseTo(0.3, 2);
    expect(r.obs.observation[ANGLE]).toBe(r.obs.achieved_goal[0]);
    const rel = sliceOf(DOOR_LAYOUT, 'handle_rel_pos').start, handle = sliceOf(DOOR_LAYOUT, 'handle_pos').start;
    for (let k = 0; k < 3; k++) expect(r.obs.observation[rel + k]).toBeCloseTo(r.obs.observation[handle + k]! - r.obs.observation[k]!, 6);
    env.close();
  });

  it('dense reward is −|angle − goal| and success is within 0.05 rad', async () => {
    const env = await doorEnv();
    for (const [offset, success] of [[0.04, true], [-0.04, true], [0.06, false], [-0.06, false]] as const) {
      env.reset({ seed: 0, options: { goal: [0.3] } });
      setDoor(env, 0.3 + offset);
      const r = env.step(new Float32Array(4));
      const o: GoalObservation = r.obs;
      expect(r.reward).toBe(-Math.abs(o.achieved_goal[0]! - o.desired_goal[0]!));
      expect(r.reward).toBeCloseTo(-Math.abs(offset), 2);
      expect(r.info.isSuccess).toBe(success);
      expect(r.info.rewardTerms).toEqual({ distance: r.reward });
    }
    env.close();
  });

  it('sparse reward is −1 outside and 0 inside the success threshold', async () => {
    const env = await doorEnv({ reward: 'sparse' });
    for (const [offset, reward] of [[0.03, 0], [0.08, -1]] as const) {
      env.reset({ seed: 0, options: { goal: [0.35] } });
      setDoor(env, 0.35 - offset);
      const r = env.step(new Float32Array(4));
      expect(r.reward).toBe(reward);
      expect(Object.keys(r.info.rewardTerms)).toEqual(['not_at_goal']);
      expect(r.info.rewardTerms.not_at_goal).toBeCloseTo(reward, 12);
    }
    env.close();
  });

  it('the door stays shut while the arm holds still', async () => {
    const env = await doorEnv();
    env.reset({ seed: 0 });
    let angle = 1;
    for (let i = 0; i < 50; i++) angle = env.step(new Float32Array(4)).obs.achieved_goal[0]!;
    expect(Math.abs(angle)).toBeLessThan(1e-3);
    env.close();
  });

  it("the 'handle' start opens the fingers astride the handle bar, where random actions move the door", async () => {
    const env = await doorEnv({ start: 'handle' });
    const { obs } = env.reset({ seed: 0 });
    const o = obs.observation;
    const grip = sliceOf(DOOR_LAYOUT, 'grip_pos').start, handle = sliceOf(DOOR_LAYOUT, 'handle_pos').start, fingers = sliceOf(DOOR_LAYOUT, 'finger_pos').start;
    expect(Math.hypot(o[grip]! - o[handle]!, o[grip + 1]! - o[handle + 1]!, o[grip + 2]! - o[handle + 2]! - DOOR_GRASP_HEIGHT)).toBeLessThan(0.005);
    expect(o[fingers]).toBeGreaterThan(0.035);
    const rng = new Rng(1);
    let widest = 0;
    for (let e = 0; e < 6; e++) {
      env.reset({ seed: e });
      for (let t = 0; t < 100; t++) widest = Math.max(widest, env.step([rng.range(-1, 1), rng.range(-1, 1), rng.range(-1, 1), rng.range(-1, 1)]).obs.achieved_goal[0]!);
    }
    expect(widest).toBeGreaterThan(0.05);
    env.close();
  });
});
