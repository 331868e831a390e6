// Push sweeps: determinism, the push path's momentum change, results against the published schema, failure recordings that replay, slopes.
import { describe, expect, it } from 'vitest';
import { makeEnv } from '../../tasks/index.ts';
import { push } from '../../tasks/push.ts';
import { replayRecording, type Recording } from '../../tasks/recording.ts';
import type { RobotTask } from '../../tasks/task.ts';
import type { Env } from '../../tasks/env.ts';
import { Rng } from '../../sim/rng.ts';
import { CHEETAH_BOUND, sineGaitControl } from '../../tasks/controllers/sine-gait.ts';
import type { Policy } from '../../agents/policy.ts';
import { direction, movingMass, parseSweepResult, pushTarget, runSweep, slopeGravity, SweepResultSchema, type SweepPolicy } from '../../agents/perturb.ts';
import { loadedPolicy } from '../../agents/perturb-policies.ts';
import { planTrials, settleTiming } from '../../agents/perturb-plan.ts';

type Sim = RobotTask & Env;

/** The cheetah's scripted sine gait as a policy (a noisy one when not deterministic: noise from the episode seed). */
function gait(label = 'gait', noise = 0.3): SweepPolicy {
  return {
    label, source: `scripted:${label}`, task: 'half-cheetah',
    episode(seed, deterministic) {
      const rng = new Rng(seed), ctrl = new Float64Array(6);
      let t = 0;
      return {
        obsDim: 17, actDim: 6, task: 'half-cheetah',
        act(_obs, out) {
          sineGaitControl(CHEETAH_BOUND, t, ctrl);
          for (let k = 0; k < 6; k++) out[k] = Math.max(-1, Math.min(1, ctrl[k]! + (deterministic ? 0 : noise * rng.normal())));
          t += 0.05;
        },
        dispose() {},
      } satisfies Policy;
    },
    close() {},
  };
}

const zero = (task: string, actDim: number): SweepPolicy => loadedPolicy('zero', 'scripted:zero', task, () => ({ obsDim: -1, actDim, task, act: (_o, out) => { out.fill(0); }, dispose() {} }));

const SMALL = { task: 'half-cheetah', impulses: [0, 30], directions: 4, trials: 3, pushTime: [0.5, 1] as [number, number], window: 1.5 };

describe('runSweep', () => {
  it('gives the same sweep for the same seed, and another for another seed', async () => {
    const a = await runSweep({ ...SMALL, seed: 7, actions: ['mean', 'stochastic'] }, [gait()]);
    const b = await runSweep({ ...SMALL, seed: 7, actions: ['mean', 'stochastic'] }, [gait()]);
    const c = await runSweep({ ...SMALL, seed: 8, actions: ['mean', 'stochastic'] }, [gait()]);
    expect(b).toEqual(a);
    expect(c.policies[0]!.trials.map((t) => t.pushStep)).not.toEqual(a.policies[0]!.trials.map((t) => t.pushStep));
    expect(a.policies.map((p) => p.action)).toEqual(['mean', 'stochastic']);
    const trials = a.policies.flatMap((p) => p.trials);
    expect(trials).toHaveLength(2 * 3 * 2);
    for (const t of trials.filter((x) => x.impulse === 0)) expect(t.returnLost, 'a zero push replays the unpushed episode exactly').toBe(0);
    const stochastic = a.policies[1]!.trials.filter((t) => t.impulse === 30).map((t) => t.returnUnpushed);
    const mean = a.policies[0]!.trials.filter((t) => t.impulse === 30).map((t) => t.returnUnpushed);
    expect(stochastic, 'sampled actions differ from the mean action').not.toEqual(mean);
  });

  it('plans pushes inside the window, directions round-robin, and validates against the published schema', async () => {
    const r = await runSweep({ ...SMALL, seed: 1 }, [gait(), zero('half-cheetah', 6)]);
    expect(() => SweepResultSchema.parse(JSON.parse(JSON.stringify(r)))).not.toThrow();
    expect(r.settings.plane, 'the planar cheetah is pushed in its x–z plane by default').toBe('vertical');
    expect(r.definitions.failure.kind).toBe('flipped');
    expect(r.policies.map((p) => p.label)).toEqual(['gait', 'zero']);
    for (const p of r.policies) {
      expect(p.cells.map((c) => c.impulse)).toEqual([0, 30]);
      for (const t of p.trials) {
        expect(t.pushStep).toBeGreaterThanOrEqual(10);
        expect(t.pushStep).toBeLessThanOrEqual(20);
        expect(t.direction).toBe(90 * (t.trial % 4));
        expect(Math.hypot(...t.vector)).toBeCloseTo(t.impulse, 9);
        if (t.failTime !== null) expect(t.failTime).toBeLessThanOrEqual(1.5 + 1e-9);
      }
      for (const c of p.cells) expect(c.survival).toBe(1 - c.failures / c.trials);
    }
    const bad = JSON.parse(JSON.stringify(r));
    bad.policies[0].cells[0].survival = 'high';
    expect(() => parseSweepResult(bad)).toThrow(/sweep\.policies\.0\.cells\.0\.survival/);
  });

  it('refuses settings that do not fit, naming the field', async () => {
    await expect(runSweep({ ...SMALL, pushTime: [1, 49] }, [gait()])).rejects.toThrow(/sweep\.pushTime/);
    await expect(runSweep({ ...SMALL, targets: [{ body: 'tail' }] }, [gait()])).rejects.toThrow(/sweep\.targets: half-cheetah has no body named 'tail'/);
    await expect(runSweep({ ...SMALL, impulses: [-1] }, [gait()])).rejects.toThrow(/sweep\.impulses\.0/);
    await expect(runSweep({ ...SMALL }, [zero('quadruped', 8)])).rejects.toThrow(/trained on 'quadruped', not 'half-cheetah'/);
  });

  it('keeps failed episodes as recordings that replay exactly and fail again', async () => {
    const kept: { rec: Recording; name: string }[] = [];
    const r = await runSweep({ ...SMALL, impulses: [40], trials: 4, seed: 2, targets: [{ body: 'torso', point: [0.5, 0, 0] }], maxRecordings: 1 }, [zero('half-cheetah', 6)], {
      onRecording: (rec, name) => { kept.push({ rec, name }); return name; },
    });
    const failed = r.policies[0]!.trials.filter((t) => t.failed);
    expect(failed.length, 'an upward 40 N·s push at the nose rolls the zero-action cheetah over').toBeGreaterThan(0);
    expect(kept).toHaveLength(1);
    expect(failed[0]!.recording).toBe(kept[0]!.name);
    const rec = kept[0]!.rec;
    expect(rec.pushes).toHaveLength(1);
    expect(rec.pushes[0]!.impulse).toEqual(failed[0]!.vector);
    expect(rec.pushes[0]!.step).toBe(failed[0]!.pushStep);
    const replay = await replayRecording(rec);
    expect(replay.rewardError).toBe(0);
    const pitch = replay.poses[(rec.actions.length * replay.bodies.length + 1) * 7 + 3];
    expect(Math.abs(pitch!), 'torso quaternion w at the end: upside down').toBeLessThan(Math.SQRT1_2);
  });

  it('scales impulses by the moving mass with perKg', async () => {
    const r = await runSweep({ ...SMALL, impulses: [2], trials: 1, perKg: true }, [zero('half-cheetah', 6)]);
    expect(r.robotMass).toBeCloseTo(14, 6);
    expect(Math.hypot(...r.policies[0]!.trials[0]!.vector)).toBeCloseTo(28, 6);
  });
});

describe('the sweep push path', () => {
  it('changes the robot\'s momentum by exactly the impulse, at the centre of mass or at a point', async () => {
    for (const [task, body, point] of [['quadruped', 'torso', undefined], ['quadruped', 'front_left_leg', [0.1, 0.05, 0]], ['half-cheetah', 'torso', [0.5, 0, 0.05]]] as const) {
      const env = (await makeEnv(task)) as Sim;
      env.reset({ seed: 4 });
      const a = new Float32Array(env.spec.actionSpace.shape[0]!);
      for (let t = 0; t < 10; t++) env.step(a);
      const J: [number, number, number] = task === 'quadruped' ? [0.7, -0.4, 0.2] : [12, 0, 9];
      const before = env.world.linearMomentum();
      const record = pushTarget({ push: (spec) => push(env, spec) }, env, { body, ...(point ? { point: [...point] as [number, number, number] } : {}) }, J);
      const after = env.world.linearMomentum();
      for (let k = 0; k < 3; k++) expect(after[k]! - before[k]!, `${task} ${body} momentum[${k}]`).toBeCloseTo(J[k]!, 4);
      expect(record).toMatchObject({ body, impulse: J, step: 10 });
      expect(record.point !== undefined).toBe(point !== undefined);
      env.close();
    }
  });

  it('spaces directions evenly in the chosen plane', () => {
    expect(direction('horizontal', 2, 8).vector).toEqual([0, 1, 0]);
    expect(direction('vertical', 1, 4).vector).toEqual([0, 0, 1]);
    expect(direction('horizontal', 3, 8).degrees).toBe(135);
  });

  it('draws the same trial plan from the same seed', async () => {
    const env = await makeEnv('quadruped');
    const s = { plane: 'horizontal', window: 4, pushTime: [2, 10], targets: [{ body: 'torso' }] } as const;
    const timing = settleTiming({ ...s, pushTime: [2, 10], targets: [{ body: 'torso' }] } as never, env.spec, 0);
    expect(timing).toMatchObject({ pushFirst: 40, pushLast: 200, windowSteps: 80 });
    expect(planTrials(3, 20, 8, timing)).toEqual(planTrials(3, 20, 8, timing));
    expect(planTrials(3, 20, 8, timing)).not.toEqual(planTrials(4, 20, 8, timing));
    expect(movingMass(env)).toBeCloseTo(0.911, 2);
    env.close();
  });
});

describe('slopes', () => {
  it('tilt gravity: a limp ant slides down an uphill slope and forward on a downhill one', async () => {
    const drift = async (deg: number) => {
      const env = (await makeEnv('quadruped', deg ? { gravity: slopeGravity(deg) } : {})) as Sim;
      env.reset({ seed: 1 });
      const a = new Float32Array(8);
      for (let t = 0; t < 20; t++) env.step(a);
      const x0 = env.world.qpos()[0]!;
      for (let t = 0; t < 40; t++) env.step(a);
      const dx = env.world.qpos()[0]! - x0;
      env.close();
      return dx;
    };
    const [up, flat, down] = [await drift(20), await drift(0), await drift(-20)];
    expect(up).toBeLessThan(flat - 0.05);
    expect(down).toBeGreaterThan(flat + 0.05);
    expect(slopeGravity(20)[0]).toBeCloseTo(-9.81 * Math.sin(Math.PI / 9), 12);
  });

  it('run as separate cells, and the recordings carry the tilted gravity', async () => {
    const kept: Recording[] = [];
    const r = await runSweep({ ...SMALL, impulses: [40], trials: 2, slopes: [-10, 10], maxRecordings: 4, targets: [{ body: 'torso', point: [0.5, 0, 0] }] }, [zero('half-cheetah', 6)], {
      onRecording: (rec, name) => { kept.push(rec); return name; },
    });
    expect(r.policies[0]!.cells.map((c) => c.slope)).toEqual([-10, 10]);
    expect(kept.length).toBeGreaterThan(0);
    for (const rec of kept) expect(Math.abs((rec.config.gravity as number[])[0]!)).toBeCloseTo(9.81 * Math.sin(Math.PI / 18), 9);
  });
});
