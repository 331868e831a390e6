// Behaviour of the arm tasks: the end-effector layer reaches points, teleporting onto the goal succeeds, joint mode, Fetch-style sampling.
import { describe, expect, it } from 'vitest';
import { makeEnv, push } from '../../tasks/index.ts';
import { indexOf } from '../../sim/model.ts';
import type { ArmGoalTask } from '../../tasks/arm/common.ts';
import { CUBE_HALF, TABLE_TOP } from '../../tasks/arm/common.ts';
import { REACH_MIN_GOAL_Z } from '../../tasks/arm-reach.ts';
import { PUSH_GOAL_Z } from '../../tasks/arm-push.ts';

async function armEnv(id: string, config: Record<string, unknown> = {}): Promise<ArmGoalTask> {
  return (await makeEnv(id, config)) as unknown as ArmGoalTask;
}

/** Poses the arm (by IK from its current joints) with the grip at `target` (m, world) and makes the controller hold it there. */
function teleportGrip(env: ArmGoalTask, target: ArrayLike<number>): void {
  const ik = env.controller.ik;
  const q = env.world.qpos();
  const arm = ik.chain.readJoints(q, new Float64Array(ik.chain.dof));
  expect(ik.reach(arm, target, arm)).toBeLessThan(1e-3);
  ik.chain.qposAdr.forEach((a, i) => { q[a] = arm[i]!; });
  env.world.setState(q);
  env.controller.reset(env.world, 0);
}

function distance(a: ArrayLike<number>, b: ArrayLike<number>): number {
  return Math.hypot(a[0]! - b[0]!, a[1]! - b[1]!, a[2]! - b[2]!);
}

const ZERO = new Float32Array(4);

describe('end-effector controller', () => {
  it('reaches commanded points across the workspace within 1 cm in at most 50 steps, and holds them', async () => {
    const env = await armEnv('arm-reach');
    const points: [number, number, number][] = [];
    for (const dx of [-0.15, 0.15]) for (const dy of [-0.15, 0.15]) for (const dz of [-0.15, 0.15]) points.push([0.45 + dx, dy, 0.6 + dz]);
    points.push([0.3, 0.3, TABLE_TOP + 0.05], [0.6, -0.3, 0.9]);
    const action = new Float32Array(4);
    for (const p of points) {
      let grip = env.reset({ seed: 0 }).obs.achieved_goal;
      const errors: number[] = [];
      for (let i = 0; i < 50; i++) {
        for (let k = 0; k < 3; k++) action[k] = Math.max(-1, Math.min(1, (p[k]! - grip[k]!) / env.controller.options.eeStep));
        grip = env.step(action).obs.achieved_goal;
        errors.push(distance(grip, p));
      }
      expect(errors.findIndex((e) => e < 0.01), `point ${p}`).toBeGreaterThanOrEqual(0);
      expect(Math.max(...errors.slice(-10)), `point ${p}`).toBeLessThan(0.01);
    }
    env.close();
  });

  it('keeps the grip still under zero actions', async () => {
    const env = await armEnv('arm-reach');
    const start = Float32Array.from(env.reset({ seed: 0 }).obs.achieved_goal);
    let grip: Float32Array = start;
    for (let i = 0; i < 50; i++) grip = env.step(ZERO).obs.achieved_goal;
    expect(distance(grip, start)).toBeLessThan(0.002);
    env.close();
  });
});

describe('arm-reach', () => {
  it('the arm teleported onto the goal gives success and reward 0; 6 cm off gives failure and −1', async () => {
    const env = await armEnv('arm-reach');
    for (const seed of [0, 1, 2]) {
      const goal = Float32Array.from(env.reset({ seed }).obs.desired_goal);
      teleportGrip(env, goal);
      const on = env.step(ZERO);
      expect(on.info.isSuccess).toBe(true);
      expect(on.reward).toBe(0);
      teleportGrip(env, [goal[0]! + 0.06, goal[1]!, goal[2]!]);
      const off = env.step(ZERO);
      expect(off.info.isSuccess).toBe(false);
      expect(off.reward).toBe(-1);
    }
    env.close();
  });

  it('samples goals as Fetch does: start grip ± targetRange, at least 5 cm above the table', async () => {
    const env = await armEnv('arm-reach');
    const start = Float32Array.from(env.reset({ seed: 0 }).obs.achieved_goal);
    const spread = [0, 0, 0];
    for (let seed = 0; seed < 40; seed++) {
      const g = env.reset({ seed }).obs.desired_goal;
      for (let k = 0; k < 3; k++) {
        expect(Math.abs(g[k]! - start[k]!)).toBeLessThanOrEqual(0.15 + 1e-3);
        spread[k] = Math.max(spread[k]!, Math.abs(g[k]! - start[k]!));
      }
      expect(g[2]).toBeGreaterThanOrEqual(REACH_MIN_GOAL_Z - 1e-6);
    }
    for (const s of spread) expect(s).toBeGreaterThan(0.1);
    env.close();
  });
});

describe('arm-push', () => {
  it('the cube teleported onto the goal gives success and reward 0', async () => {
    const env = await armEnv('arm-push');
    const objectQ = env.world.model.joints[indexOf(env.world.model.joints, 'object', 'joint')]!.qposAdr;
    for (const seed of [0, 1, 2]) {
      const { obs } = env.reset({ seed });
      expect(env.step(ZERO).info.isSuccess).toBe(distance(obs.achieved_goal, obs.desired_goal) <= 0.05);
      const q = env.world.qpos();
      q.set([obs.desired_goal[0]!, obs.desired_goal[1]!, obs.desired_goal[2]!, 1, 0, 0, 0], objectQ);
      env.world.setState(q);
      const r = env.step(ZERO);
      expect(r.info.isSuccess).toBe(true);
      expect(r.reward).toBe(0);
      expect(distance(r.obs.achieved_goal, r.obs.desired_goal)).toBeLessThan(0.005);
    }
    env.close();
  });

  it('starts the cube on the table near the grip but at least minObjectDistance away, and puts goals on the table', async () => {
    const env = await armEnv('arm-push');
    let far = 0;
    for (let seed = 0; seed < 40; seed++) {
      const o = env.reset({ seed }).obs;
      const grip = o.observation.subarray(0, 3), cube = o.achieved_goal;
      const d = Math.hypot(cube[0]! - grip[0]!, cube[1]! - grip[1]!);
      expect(d).toBeGreaterThanOrEqual(0.1 - 1e-4);
      expect(Math.max(Math.abs(cube[0]! - grip[0]!), Math.abs(cube[1]! - grip[1]!))).toBeLessThanOrEqual(0.12 + 1e-3);
      expect(cube[2]).toBeCloseTo(TABLE_TOP + CUBE_HALF, 3);
      expect(o.desired_goal[2]).toBeCloseTo(PUSH_GOAL_Z, 6);
      far = Math.max(far, d);
    }
    expect(far).toBeGreaterThan(0.13);
    env.close();
  });

  it('options.objectPos places the cube; bad values are rejected', async () => {
    const env = await armEnv('arm-push');
    const o = env.reset({ seed: 0, options: { objectPos: [0.55, 0.05] } }).obs;
    expect(o.achieved_goal[0]).toBeCloseTo(0.55, 4);
    expect(o.achieved_goal[1]).toBeCloseTo(0.05, 4);
    expect(() => env.reset({ options: { objectPos: [0.5] } })).toThrow(/objectPos/);
    env.close();
  });

  it('an impulse on the cube changes the momentum by the impulse (within 5%)', async () => {
    const env = await armEnv('arm-push');
    const objectQ = env.world.model.joints[indexOf(env.world.model.joints, 'object', 'joint')]!.qposAdr;
    const run = (impulse: [number, number, number] | null): Float64Array => {
      env.reset({ seed: 0 });
      const q = env.world.qpos();
      q.set([0.2, -0.3, 0.9], objectQ);
      env.world.setState(q);
      const before = env.world.linearMomentum();
      if (impulse) push(env, { body: 'object', impulse });
      env.step(ZERO);
      return env.world.linearMomentum().map((v, k) => v - before[k]!);
    };
    const free = run(null);
    const pushed = run([0.2, -0.1, 0.3]);
    const delta = pushed.map((v, k) => v - free[k]!);
    expect(Math.abs(delta[0]! / 0.2 - 1)).toBeLessThan(0.05);
    expect(Math.abs(delta[1]! / -0.1 - 1)).toBeLessThan(0.05);
    expect(Math.abs(delta[2]! / 0.3 - 1)).toBeLessThan(0.05);
    env.close();
  });
});

describe('joint-space action mode', () => {
  it('takes 7 joint-target deltas plus the gripper and moves only the commanded joint', async () => {
    const env = await armEnv('arm-reach', { actionMode: 'joint', jointStep: 0.05 });
    expect(env.spec.actionSpace.shape).toEqual([8]);
    env.reset({ seed: 0 });
    const chain = env.controller.ik.chain;
    const before = chain.readJoints(env.world.qpos(), new Float64Array(7));
    const grip0 = Float32Array.from(env.step(new Float32Array(8)).obs.achieved_goal);
    const action = new Float32Array(8);
    action[0] = 1;
    for (let i = 0; i < 5; i++) env.step(action);
    let grip: Float32Array = grip0;
    for (let i = 0; i < 10; i++) grip = env.step(new Float32Array(8)).obs.achieved_goal;
    const after = chain.readJoints(env.world.qpos(), new Float64Array(7));
    expect(after[0]! - before[0]!).toBeCloseTo(0.25, 1);
    for (let j = 1; j < 7; j++) expect(Math.abs(after[j]! - before[j]!)).toBeLessThan(0.01);
    const swing = 0.25 * Math.hypot(grip0[0]!, grip0[1]!);
    expect(distance(grip, grip0)).toBeGreaterThan(0.8 * swing);
    expect(() => env.step(new Float32Array(4))).toThrow(/8 values/);
    env.close();
  });
});
