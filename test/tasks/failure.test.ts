// Failure detectors and recovery tracking: they fire on scripted falls and stay quiet on scripted recoveries and small pushes.
import { describe, expect, it } from 'vitest';
import { makeEnv, push } from '../../tasks/index.ts';
import type { Env, StepResult } from '../../tasks/env.ts';
import type { RobotTask } from '../../tasks/task.ts';
import { FlippedDetector, GoalDetector, TerminationDetector, failureDetectorFor, wrapAngle, type FailureDetector } from '../../tasks/failure.ts';
import { RecoveryTracker, recoveryProbeFor, type RecoveryProbe } from '../../tasks/recovery.ts';

type Sim = RobotTask & Env;

async function task(id: string, seed = 3): Promise<Sim> {
  const env = (await makeEnv(id)) as Sim;
  env.reset({ seed });
  return env;
}

/** Steps `n` times with a constant action, feeding the detector; returns the last result. */
function run(env: Sim, det: FailureDetector, n: number, from = 0, action?: Float32Array): StepResult | null {
  const a = action ?? new Float32Array(env.spec.actionSpace.shape[0]!);
  let r: StepResult | null = null;
  for (let t = from + 1; t <= from + n; t++) {
    r = env.step(a);
    det.update(env, t, r);
    if (r.terminated || r.truncated) break;
  }
  return r;
}

function pitchUpsideDown(env: Sim): void {
  const q = env.world.qpos();
  q[2] = Math.PI;
  env.world.setState(q);
}

describe('failureDetectorFor', () => {
  it('picks termination for the quadruped, flipped for the cheetah, goal for the arm tasks', async () => {
    const kinds: Record<string, string> = { quadruped: 'termination', 'half-cheetah': 'flipped', 'arm-reach': 'goal', door: 'goal' };
    for (const [id, kind] of Object.entries(kinds)) {
      const env = await task(id);
      expect(failureDetectorFor(env).kind).toBe(kind);
      env.close();
    }
  });

  it('wraps angles into (−π, π]', () => {
    expect(wrapAngle(2 * Math.PI)).toBeCloseTo(0, 12);
    expect(wrapAngle(-Math.PI)).toBe(Math.PI);
    expect(wrapAngle(3 * Math.PI / 2)).toBeCloseTo(-Math.PI / 2, 12);
  });
});

describe('quadruped: failure = termination', () => {
  it('fires when the ant is flipped upside down', async () => {
    const env = await task('quadruped');
    const det = failureDetectorFor(env);
    det.reset(env);
    run(env, det, 5);
    expect(det.failedAt).toBeNull();
    const q = env.world.qpos();
    q.set([q[0]!, q[1]!, 0.6, 0, 1, 0, 0], 0);
    env.world.setState(q);
    run(env, det, 40, 5);
    expect(det.failedAt).not.toBeNull();
    expect(det.failedAt!).toBeGreaterThan(5);
    env.close();
  });

  it('does not fire on a small push (2 N·s, 2 m/s on this 0.9 kg ant), and the state comes back into its pre-push band', async () => {
    const env = await task('quadruped');
    const det = failureDetectorFor(env);
    const tracker = new RecoveryTracker(recoveryProbeFor(env)!, env.spec.dt);
    det.reset(env);
    tracker.reset();
    const zero = new Float32Array(8);
    for (let t = 1; t <= 80; t++) { const r = env.step(zero); det.update(env, t, r); tracker.observe(env, t, r.obs); }
    tracker.push(80);
    push(env, { body: 'torso', impulse: [2, 0, 0] });
    for (let t = 81; t <= 160; t++) { const r = env.step(zero); det.update(env, t, r); tracker.observe(env, t, r.obs); }
    expect(det.failedAt).toBeNull();
    expect(tracker.recoverySeconds).not.toBeNull();
    expect(tracker.recoverySeconds!).toBeGreaterThan(0);
    expect(tracker.recoverySeconds!).toBeLessThan(3);
    env.close();
  });
});

describe('half-cheetah: failure = upside down for over 1 s', () => {
  it('fires on a cheetah posed upside down, dated to the start, only after more than 1 s', async () => {
    const env = await task('half-cheetah');
    pitchUpsideDown(env);
    const det = failureDetectorFor(env);
    det.reset(env);
    expect(det).toBeInstanceOf(FlippedDetector);
    expect(Math.abs((det as FlippedDetector).angle())).toBeGreaterThan(Math.PI / 2);
    run(env, det, 20);
    expect(det.failedAt, 'not yet: 1.0 s upside down').toBeNull();
    run(env, det, 2, 20);
    expect(det.failedAt).toBe(0);
    env.close();
  });

  it('does not fire when the cheetah is put back upright after 0.5 s (a scripted recovery)', async () => {
    const env = await task('half-cheetah');
    pitchUpsideDown(env);
    const det = failureDetectorFor(env);
    det.reset(env);
    run(env, det, 10);
    const q = env.world.qpos();
    q[1] = 0.1;
    q[2] = 0;
    env.world.setState(q);
    run(env, det, 60, 10);
    expect(det.failedAt).toBeNull();
    env.close();
  });

  it('fires when a large impulse at the nose rolls the cheetah over, not for a small one', async () => {
    const outcome = async (up: number) => {
      const env = await task('half-cheetah');
      const det = failureDetectorFor(env);
      run(env, det, 20);
      det.reset(env);
      push(env, { body: 'torso', impulse: [0, 0, up], point: noseOf(env) });
      run(env, det, 80);
      env.close();
      return det.failedAt;
    };
    expect(await outcome(5)).toBeNull();
    expect(await outcome(40)).not.toBeNull();
  });
});

/** World position of the cheetah torso's front end (0.5 m ahead of its origin along the body x axis). */
function noseOf(env: Sim): [number, number, number] {
  const p = [0, 0, 0], q = [1, 0, 0, 0];
  env.world.bodyPose(1, p, q);
  const [w, x, y, z] = q as [number, number, number, number];
  const ax = [1 - 2 * (y * y + z * z), 2 * (x * y + w * z), 2 * (x * z - w * y)];
  return [p[0]! + 0.5 * ax[0]!, p[1]! + 0.5 * ax[1]!, p[2]! + 0.5 * ax[2]!];
}

describe('goal tasks: failure = goal not reached', () => {
  /** A proportional reacher on arm-reach's observation ‖ desired goal: grip toward the goal. */
  function reach(obs: { observation: Float32Array; desired_goal: Float32Array }, out: Float32Array): void {
    for (let k = 0; k < 3; k++) out[k] = Math.max(-1, Math.min(1, (obs.desired_goal[k]! - obs.observation[k]!) * 20));
    out[3] = 0;
  }

  it('fires for a policy that does not move and not for one that reaches the goal', async () => {
    const env = await task('arm-reach', 5);
    const det = failureDetectorFor(env);
    expect(det).toBeInstanceOf(GoalDetector);
    const judge = (policy: ((o: never, out: Float32Array) => void) | null) => {
      let obs = env.reset({ seed: 5 }).obs as unknown as { observation: Float32Array; desired_goal: Float32Array; achieved_goal: Float32Array };
      const start = Math.hypot(...[0, 1, 2].map((k) => obs.achieved_goal[k]! - obs.desired_goal[k]!));
      det.reset(env);
      const a = new Float32Array(4);
      for (let t = 1; t <= 30; t++) {
        if (policy) policy(obs as never, a);
        const r = env.step(a);
        det.update(env, t, r);
        obs = r.obs as never;
      }
      det.finish(env, 30);
      return { failed: det.failedAt, start };
    };
    const idle = judge(null);
    expect(idle.start, 'the goal starts out of reach (else this seed proves nothing)').toBeGreaterThan(0.06);
    expect(idle.failed).toBe(30);
    expect(judge(reach).failed).toBeNull();
    env.close();
  });
});

describe('RecoveryTracker', () => {
  /** A probe reading one scripted value per step. */
  function scripted(values: number[], band: 'range' | 'atMost' = 'range'): { probe: RecoveryProbe; at: { t: number } } {
    const at = { t: 0 };
    return { at, probe: { features: [{ name: 'x', unit: '', tolerance: 0.1, band }], referenceSeconds: 0.5, holdSeconds: 0.3, read: (_e, _o, out) => { out[0] = values[at.t]!; } } };
  }

  it('times the return into the pre-push band, held for holdSeconds', () => {
    const values = [0, 0.2, -0.2, 0.1, 0, 5, 3, 1, 0.25, 0, 0.1, -0.1, 0.2, 0];
    const { probe, at } = scripted(values);
    const tr = new RecoveryTracker(probe, 0.1);
    tr.reset();
    for (at.t = 0; at.t <= 4; at.t++) tr.observe(null as never, at.t, null as never);
    tr.push(4);
    expect(tr.band().lo[0]).toBeCloseTo(-0.3, 12);
    expect(tr.band().hi[0]).toBeCloseTo(0.3, 12);
    for (at.t = 5; at.t < values.length; at.t++) tr.observe(null as never, at.t, null as never);
    expect(tr.recoveredAt).toBe(8);
    expect(tr.recoverySeconds).toBeCloseTo(0.3, 12);
  });

  it('reports null when the state never stays back long enough', () => {
    const { probe, at } = scripted([0, 0, 0, 0, 0, 9, 0, 0, 9, 0, 0, 9]);
    const tr = new RecoveryTracker(probe, 0.1);
    for (at.t = 0; at.t <= 4; at.t++) tr.observe(null as never, at.t, null as never);
    tr.push(4);
    for (at.t = 5; at.t < 12; at.t++) tr.observe(null as never, at.t, null as never);
    expect(tr.recoverySeconds).toBeNull();
  });

  it("'atMost' bands take the last pre-push value as the ceiling", () => {
    const { probe, at } = scripted([0.5, 0.4, 0.3, 0.6, 0.35, 0.38, 0.39, 0.2], 'atMost');
    const tr = new RecoveryTracker(probe, 0.1);
    for (at.t = 0; at.t <= 2; at.t++) tr.observe(null as never, at.t, null as never);
    tr.push(2);
    expect(tr.band().hi[0]).toBeCloseTo(0.4, 12);
    for (at.t = 3; at.t < 8; at.t++) tr.observe(null as never, at.t, null as never);
    expect(tr.recoveredAt).toBe(4);
  });

  it('termination detectors ignore truncation', () => {
    const det = new TerminationDetector();
    det.reset();
    det.update(null as never, 5, { terminated: false, truncated: true } as StepResult);
    expect(det.failedAt).toBeNull();
    det.update(null as never, 6, { terminated: true, truncated: false } as StepResult);
    expect(det.failedAt).toBe(6);
  });
});
