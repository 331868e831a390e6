// Behaviour of the locomotion tasks: a scripted gait runs, an upside-down ant terminates, pushes and randomisation act.
import { describe, expect, it } from 'vitest';
import { makeEnv, push } from '../../tasks/index.ts';
import type { HalfCheetahTask } from '../../tasks/half-cheetah.ts';
import type { QuadrupedTask } from '../../tasks/quadruped.ts';
import { CHEETAH_BOUND, sineGaitControl } from '../../tasks/controllers/sine-gait.ts';

/**
 * With `excludeCurrentPositionsFromObservation: false`, `task` observes `entry` (the info values
 * `keys`) first and then exactly what it observes by default, step for step under a constant action.
 */
async function expectPositionsPrepended(task: string, config: object, entry: string, keys: string[], actionValue: number): Promise<void> {
  const plain = await makeEnv(task, config);
  const withPos = await makeEnv(task, { ...config, excludeCurrentPositionsFromObservation: false });
  const n = keys.length;
  const dim = plain.spec.observationSpace.type === 'box' ? plain.spec.observationSpace.shape[0]! : 0;
  expect(withPos.spec.observationSpace).toMatchObject({ shape: [dim + n] });
  expect(withPos.spec.obsLayout.observation![0]).toMatchObject({ name: entry, size: n });
  plain.reset({ seed: 3 });
  withPos.reset({ seed: 3 });
  const action = new Float32Array(plain.spec.actionSpace.type === 'box' ? plain.spec.actionSpace.shape[0]! : 0).fill(actionValue);
  for (let i = 0; i < 20; i++) {
    const a = plain.step(action).obs as Float32Array;
    const b = withPos.step(action);
    const obs = b.obs as Float32Array;
    expect(Array.from(obs.subarray(0, n))).toEqual(keys.map((k) => Math.fround(b.info[k] as number)));
    expect(Array.from(obs.subarray(n))).toEqual(Array.from(a));
  }
  plain.close();
  withPos.close();
}

describe('half-cheetah', () => {
  it('a scripted sine gait moves it forward (and standing still does not)', async () => {
    const env = (await makeEnv('half-cheetah')) as HalfCheetahTask;
    const ctrl = new Float64Array(6);
    for (const gait of [true, false]) {
      env.reset({ seed: 0 });
      let forward = 0;
      for (let i = 0; i < 200; i++) {
        const r = env.step(gait ? sineGaitControl(CHEETAH_BOUND, i * env.spec.dt, ctrl) : ctrl.fill(0));
        forward += r.info.rewardTerms.forward! * env.spec.dt;
      }
      if (gait) expect(forward).toBeGreaterThan(5);
      else expect(Math.abs(forward)).toBeLessThan(0.5);
    }
    env.close();
  });

  it('never terminates, even upside down', async () => {
    const env = (await makeEnv('half-cheetah')) as HalfCheetahTask;
    env.reset({ seed: 0 });
    const q = env.world.qpos();
    q[2] = Math.PI;
    env.world.setState(q);
    for (let i = 0; i < 20; i++) expect(env.step(new Float32Array(6)).terminated).toBe(false);
    env.close();
  });

  it('rewards the unwrapped pitch rate only when pitchRewardWeight is set, and a spin past 2π keeps counting', async () => {
    const plain = await makeEnv('half-cheetah');
    expect(plain.spec.rewardTerms.map((t) => t.name)).toEqual(['forward', 'ctrl_cost']);
    plain.close();
    const env = (await makeEnv('half-cheetah', { pitchRewardWeight: 2 })) as HalfCheetahTask;
    env.reset({ seed: 0 });
    const q = env.world.qpos();
    q[1] = 3;
    const qd = new Float64Array(env.world.model.nv);
    qd[2] = 15;
    env.world.setState(q, qd);
    let turned = 0;
    for (let i = 0; i < 12; i++) {
      const before = env.world.qpos()[2]!;
      const r = env.step(new Float32Array(6));
      const rate = (env.world.qpos()[2]! - before) / env.spec.dt;
      expect(r.info.rewardTerms.pitch_rate).toBeCloseTo(2 * rate, 6);
      expect(r.reward).toBeCloseTo(r.info.rewardTerms.forward! + r.info.rewardTerms.ctrl_cost! + r.info.rewardTerms.pitch_rate!, 9);
      turned += rate * env.spec.dt;
    }
    expect(turned).toBeGreaterThan(2 * Math.PI);
    env.close();
  });

  it('appends mean_pitch_rate only when meanPitchRateLag is set: net pitch rotation over the elapsed time plus the lag', async () => {
    const plain = await makeEnv('half-cheetah');
    const env = (await makeEnv('half-cheetah', { meanPitchRateLag: 0.5 })) as HalfCheetahTask;
    expect(env.spec.observationSpace).toMatchObject({ shape: [18] });
    expect(env.spec.obsLayout.observation!.at(-1)).toMatchObject({ name: 'mean_pitch_rate', size: 1 });
    const a0 = plain.reset({ seed: 4 }).obs as Float32Array, b0 = env.reset({ seed: 4 }).obs as Float32Array;
    expect(b0[17]).toBe(0);
    expect(Array.from(b0.subarray(0, 17))).toEqual(Array.from(a0));
    const start = env.world.qpos()[2]!, still = new Float32Array(6);
    for (let i = 1; i <= 5; i++) {
      const a = plain.step(still).obs as Float32Array, b = env.step(still).obs as Float32Array;
      expect(Array.from(b.subarray(0, 17))).toEqual(Array.from(a));
      expect(b[17]).toBeCloseTo((env.world.qpos()[2]! - start) / (i * env.spec.dt + 0.5), 5);
    }
    const q = env.world.qpos(), qd = new Float64Array(env.world.model.nv);
    q[1] = 3;
    qd[2] = 15;
    env.world.setState(q, qd);
    let obs = b0;
    for (let i = 6; i <= 17; i++) obs = env.step(still).obs as Float32Array;
    expect(env.world.qpos()[2]! - start).toBeGreaterThan(2 * Math.PI);
    expect(obs[17]).toBeCloseTo((env.world.qpos()[2]! - start) / (17 * env.spec.dt + 0.5), 5);
    expect(obs[17]).toBeGreaterThan(4);
    plain.close();
    env.close();
  });

  it('appends pitch_rate_ema only when pitchRateEmaTime is set: the step pitch rate averaged exponentially, back to 0 once turning stops', async () => {
    const env = (await makeEnv('half-cheetah', { pitchRateEmaTime: 0.5, meanPitchRateLag: 1 })) as HalfCheetahTask;
    expect(env.spec.obsLayout.observation!.slice(-2).map((e) => e.name)).toEqual(['mean_pitch_rate', 'pitch_rate_ema']);
    expect((env.reset({ seed: 2 }).obs as Float32Array)[18]).toBe(0);
    const q = env.world.qpos(), qd = new Float64Array(env.world.model.nv), still = new Float32Array(6), k = 1 - Math.exp(-env.spec.dt / 0.5);
    q[1] = 3;
    qd[2] = 15;
    env.world.setState(q, qd);
    let ema = 0, obs: Float32Array = new Float32Array(19);
    for (let i = 0; i < 60; i++) {
      const before = env.world.qpos()[2]!;
      obs = env.step(still).obs as Float32Array;
      ema += ((env.world.qpos()[2]! - before) / env.spec.dt - ema) * k;
      expect(obs[18]).toBeCloseTo(ema, 4);
      if (i === 8) expect(obs[18]).toBeGreaterThan(5);
    }
    expect(Math.abs(obs[18]!)).toBeLessThan(1);
    env.close();
  });

  it('prepends the torso x to the observation when positions are not excluded, the rest unchanged', async () => {
    await expectPositionsPrepended('half-cheetah', {}, 'rootx', ['x_position'], 0.6);
  });
});

describe('quadruped', () => {
  it('stands healthy with zero action, and terminates when placed upside down', async () => {
    const env = (await makeEnv('quadruped')) as QuadrupedTask;
    env.reset({ seed: 0 });
    for (let i = 0; i < 40; i++) expect(env.step(new Float32Array(8)).terminated).toBe(false);
    env.reset({ seed: 0 });
    const q = env.world.qpos();
    q.set([0, 0, 0.6, 0, 1, 0, 0], 0);
    env.world.setState(q);
    let terminated = false;
    for (let i = 0; i < 40 && !terminated; i++) terminated = env.step(new Float32Array(8)).terminated;
    expect(terminated).toBe(true);
    env.close();
  });

  it('terminates when the torso leaves the healthy height range', async () => {
    const env = (await makeEnv('quadruped')) as QuadrupedTask;
    env.reset({ seed: 0 });
    const q = env.world.qpos();
    q[2] = 3;
    env.world.setState(q);
    expect(env.step(new Float32Array(8)).terminated).toBe(true);
    env.close();
  });

  it('reports the forward velocity it is rewarded for, and 0 after a reset', async () => {
    const env = (await makeEnv('quadruped')) as QuadrupedTask;
    env.reset({ seed: 0 });
    const q = env.world.qpos();
    const qd = env.world.qvel();
    qd[0] = 1.5;
    env.world.setState(q, qd);
    const r = env.step(new Float32Array(8));
    expect(r.info.x_velocity as number).toBeGreaterThan(0.5);
    expect(r.info.x_velocity as number).toBeCloseTo(r.info.rewardTerms.forward! / env.config.forwardRewardWeight, 9);
    expect(env.reset({ seed: 1 }).info.x_velocity).toBe(0);
    env.close();
  });

  it('reports the episode\'s highest torso height and the torso\'s up-axis z, which fire the termination', async () => {
    const env = (await makeEnv('quadruped')) as QuadrupedTask;
    const start = env.reset({ seed: 0 }).info;
    expect(start.torso_z_max).toBeCloseTo(start.torso_z as number, 9);
    expect(start.torso_up as number).toBeGreaterThan(0.9);
    const q = env.world.qpos();
    q[2] = 1.3;
    env.world.setState(q);
    const r = env.step(new Float32Array(8));
    expect(r.terminated).toBe(true);
    expect(r.info.torso_z_max as number).toBeGreaterThan(1);
    expect(r.info.torso_z_max as number).toBeGreaterThanOrEqual(r.info.torso_z as number);
    expect(env.reset({ seed: 0 }).info.torso_z_max as number).toBeLessThan(1);
    q.set([0, 0, 0.6, 0, 1, 0, 0], 0);
    env.world.setState(q);
    expect(env.step(new Float32Array(8)).info.torso_up as number).toBeLessThan(0);
    env.close();
  });

  it('charges the squared vertical speed when zVelocityCostWeight is set, and has no such term by default', async () => {
    const plain = (await makeEnv('quadruped')) as QuadrupedTask;
    plain.reset({ seed: 0 });
    expect('z_velocity_cost' in plain.step(new Float32Array(8)).info.rewardTerms).toBe(false);
    plain.close();
    const env = (await makeEnv('quadruped', { zVelocityCostWeight: 0.5 })) as QuadrupedTask;
    env.reset({ seed: 0 });
    const q = env.world.qpos(), qd = env.world.qvel();
    qd[2] = 2;
    env.world.setState(q, qd);
    const z0 = env.world.qpos()[2]!;
    const r = env.step(new Float32Array(8));
    const vz = (env.world.qpos()[2]! - z0) / env.spec.dt;
    expect(vz).toBeGreaterThan(0.5);
    expect(r.info.rewardTerms.z_velocity_cost!).toBeCloseTo(-0.5 * vz * vz, 6);
    const sum = Object.values(r.info.rewardTerms).reduce((a, b) => a + b, 0);
    expect(r.reward).toBeCloseTo(sum, 6);
    env.close();
  });

  it('charges the torso height above heightCostFrom when heightCostWeight is set, nothing below it', async () => {
    const env = (await makeEnv('quadruped', { heightCostWeight: 10, heightCostFrom: 0.8 })) as QuadrupedTask;
    const stepAt = (z: number) => {
      env.reset({ seed: 0 });
      const q = env.world.qpos();
      q[2] = z;
      env.world.setState(q, new Float64Array(env.world.model.nv));
      const r = env.step(new Float32Array(8));
      return { r, z: env.world.qpos()[2]! };
    };
    const high = stepAt(0.95);
    expect(high.z).toBeGreaterThan(0.85);
    expect(high.r.info.rewardTerms.height_cost!).toBeCloseTo(-10 * (high.z - 0.8), 6);
    const sum = Object.values(high.r.info.rewardTerms).reduce((a, b) => a + b, 0);
    expect(high.r.reward).toBeCloseTo(sum, 6);
    expect(stepAt(0.6).r.info.rewardTerms.height_cost).toBeCloseTo(0, 12);
    env.close();
  });

  it('prepends the torso x, y to the observation when positions are not excluded, the rest unchanged', async () => {
    await expectPositionsPrepended('quadruped', { useContactForces: true }, 'torso_xy', ['x_position', 'y_position'], 0.7);
  });
});

describe('pushes', () => {
  it('an impulse changes the robot\'s momentum by the impulse (within 5%)', async () => {
    const env = (await makeEnv('half-cheetah')) as HalfCheetahTask;
    const run = (impulse: [number, number, number] | null) => {
      env.reset({ seed: 0 });
      const q = env.world.qpos();
      q[1] = 2;
      env.world.setState(q);
      const before = env.world.linearMomentum();
      if (impulse) push(env, { body: 'torso', impulse });
      env.step(new Float32Array(6));
      const after = env.world.linearMomentum();
      return after.map((v, k) => v - before[k]!);
    };
    const free = run(null);
    const pushed = run([20, 0, 15]);
    const delta = pushed.map((v, k) => v - free[k]!);
    expect(Math.abs(delta[0]! / 20 - 1)).toBeLessThan(0.05);
    expect(Math.abs(delta[2]! / 15 - 1)).toBeLessThan(0.05);
    env.close();
  });

  it('scheduled pushes appear in info and replay the same episode', async () => {
    const config = { pushes: [{ step: 3, body: 'torso', impulse: [0, 0, 30] as [number, number, number] }] };
    const a = (await makeEnv('quadruped', config)) as QuadrupedTask;
    const b = (await makeEnv('quadruped')) as QuadrupedTask;
    a.reset({ seed: 4 });
    b.reset({ seed: 4 });
    let recorded = null;
    for (let i = 0; i < 10; i++) {
      const ra = a.step(new Float32Array(8));
      if (ra.info.pushes.length) recorded = { ...ra.info.pushes[0]! };
      if (i === 3) push(b, { body: 'torso', impulse: [0, 0, 30] });
      b.step(new Float32Array(8));
    }
    expect(recorded).toMatchObject({ step: 3, body: 'torso', impulse: [0, 0, 30] });
    expect(Array.from(b.world.qpos())).toEqual(Array.from(a.world.qpos()));
    a.close();
    b.close();
  });

  it('rejects malformed pushes naming the field', async () => {
    const env = (await makeEnv('half-cheetah')) as HalfCheetahTask;
    env.reset();
    expect(() => push(env, { body: 'torso', force: [1, 0, 0] })).toThrow(/push\.duration/);
    expect(() => push(env, { body: 'torso' })).toThrow(/push\.force/);
    expect(() => push(env, { body: 'nose', impulse: [1, 0, 0] })).toThrow(/no body named 'nose'/);
    env.close();
  });
});

describe('domain randomisation', () => {
  it('draws new physics per episode from the configured ranges, reproducibly per seed', async () => {
    const env = (await makeEnv('half-cheetah', { randomize: { mass: [0.5, 2], friction: [0.5, 1.5], damping: [0.5, 2] } })) as HalfCheetahTask;
    const fall = (seed: number) => {
      env.reset({ seed });
      for (let i = 0; i < 10; i++) env.step(new Float32Array(6).fill(0.5));
      return Array.from(env.world.qpos());
    };
    expect(fall(1)).toEqual(fall(1));
    expect(fall(1)).not.toEqual(fall(2));
    env.close();
  });
});
