// Recordings: format validation, exact deterministic replay with pushes and drags, and divergence when a recording is tampered with.
import { describe, expect, it } from 'vitest';
import { makeEnv } from '../../tasks/index.ts';
import { parseRecording, recordEpisode, replayRecording, writeBodyPoses, type ActionSource, type Recording } from '../../tasks/recording.ts';
import type { RobotTask } from '../../tasks/task.ts';
import { Rng } from '../../sim/rng.ts';

/** Random actions, a kick at step 5 and a drag on the torso from step 10 to 20. */
function perturbedRandom(seed: number): ActionSource {
  const rng = new Rng(seed);
  return (_obs, t, out, perturb) => {
    for (let i = 0; i < out.length; i++) out[i] = rng.range(-1, 1);
    if (t === 5) perturb.push({ body: 'torso', impulse: [3, 0, 2] });
    if (t >= 10 && t < 20) perturb.drag({ body: 'torso', target: [t * 0.05, 0, 1.2] });
    if (t === 20) perturb.drag({ body: 'torso', target: null });
  };
}

async function recorded(steps = 40): Promise<{ rec: Recording; finalPoses: Float32Array }> {
  const env = (await makeEnv('half-cheetah', {})) as RobotTask;
  const rec = recordEpisode(env, perturbedRandom(9), 12, { maxSteps: steps, meta: { source: 'test' } });
  const finalPoses = new Float32Array(env.world.model.bodies.length * 7);
  writeBodyPoses(env.world, finalPoses);
  env.close();
  return { rec, finalPoses };
}

describe('recordings', () => {
  it('record the task, config, seed, actions, rewards and live perturbations', async () => {
    const { rec } = await recorded();
    expect(rec).toMatchObject({ format: 'paddock-recording', version: 1, task: 'half-cheetah', seed: 12, dt: 0.05, meta: { source: 'test' } });
    expect(rec.actions).toHaveLength(40);
    expect(rec.rewards).toHaveLength(40);
    expect(rec.pushes.filter((p) => p.impulse)).toEqual([{ step: 5, body: 'torso', impulse: [3, 0, 2] }]);
    expect(rec.pushes.filter((p) => p.drag)).toHaveLength(11);
    expect(rec.pushes.at(-1)).toEqual({ step: 20, body: 'torso', drag: { target: null, hz: 3 } });
  });

  it('replay re-simulates bit for bit, also after a JSON round trip', async () => {
    const { rec, finalPoses } = await recorded();
    const replay = await replayRecording(JSON.parse(JSON.stringify(rec)));
    expect(replay.rewardError).toBe(0);
    expect(Array.from(replay.rewards)).toEqual(rec.rewards);
    const nb = replay.bodies.length;
    expect(replay.bodies[1]).toBe('torso');
    expect(replay.poses).toHaveLength(41 * nb * 7);
    expect(Array.from(replay.poses.subarray(40 * nb * 7))).toEqual(Array.from(finalPoses));
    expect(replay.termNames).toEqual(['forward', 'ctrl_cost']);
    const t = 7;
    expect(replay.terms[t * 2]! + replay.terms[t * 2 + 1]!).toBeCloseTo(replay.rewards[t]!, 9);
  });

  it('a tampered recording diverges (the check can fail)', async () => {
    const { rec } = await recorded();
    const noDrag = { ...rec, pushes: rec.pushes.filter((p) => !p.drag) };
    expect((await replayRecording(noDrag)).rewardError).toBeGreaterThan(1e-3);
    const nudged = structuredClone(rec);
    nudged.actions[30]![0] = nudged.actions[30]![0]! > 0 ? -0.9 : 0.9;
    expect((await replayRecording(nudged)).rewardError).toBeGreaterThan(0);
  });

  it('pushes scheduled in the config are replayed once, through the config', async () => {
    const env = await makeEnv('half-cheetah', { pushes: [{ step: 3, body: 'torso', impulse: [0, 0, 8] }] });
    const rec = recordEpisode(env, (_o, _t, out) => out.fill(0.2), 4, { maxSteps: 15 });
    env.close();
    expect(rec.pushes).toEqual([]);
    expect((await replayRecording(rec)).rewardError).toBe(0);
  });

  it('goal changes are recorded and replayed (door: the dense reward depends on the goal angle)', async () => {
    const env = await makeEnv('door', {});
    const rec = recordEpisode(env, (_o, t, out, perturb) => {
      out.fill(0);
      if (t === 3) perturb.setGoal([0.3]);
    }, 6, { maxSteps: 8 });
    env.close();
    expect(rec.goals).toEqual([{ step: 3, goal: [0.3] }]);
    expect(rec.rewards[5]).toBeCloseTo(-0.3, 1);
    expect((await replayRecording(rec)).rewardError).toBe(0);
    expect((await replayRecording({ ...rec, goals: [] })).rewardError).toBeGreaterThan(0.1);
  });

  it('rejects malformed recordings, naming the field', async () => {
    const { rec } = await recorded(5);
    expect(() => parseRecording({ ...rec, version: 2 })).toThrow(/recording\.version/);
    expect(() => parseRecording({ ...rec, rewards: rec.rewards.slice(1) })).toThrow(/recording\.rewards/);
    expect(() => parseRecording({ ...rec, actions: [[0, 0], ...rec.actions.slice(1)] })).toThrow(/recording\.actions\.1/);
    expect(() => parseRecording({ ...rec, pushes: [{ step: 9, body: 'torso', impulse: [1, 0, 0] }] })).toThrow(/recording\.pushes\.0\.step/);
    expect(() => parseRecording({ ...rec, seed: -1 })).toThrow(/recording\.seed/);
    await expect(replayRecording({ ...rec, task: 'no-such-task' })).rejects.toThrow(/unknown task 'no-such-task'/);
  });
});
