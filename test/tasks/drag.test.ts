// The drag entry point of the perturbation API: validation, a spring that really pulls, release, and records in info.pushes.
import { describe, expect, it } from 'vitest';
import { makeEnv } from '../../tasks/index.ts';
import { drag } from '../../tasks/push.ts';
import type { RobotTask } from '../../tasks/task.ts';

async function cheetah(): Promise<RobotTask> {
  const env = (await makeEnv('half-cheetah', { resetNoiseScale: 0 })) as RobotTask;
  env.reset({ seed: 3 });
  return env;
}

function torsoZ(env: RobotTask): number {
  const p = [0, 0, 0];
  env.world.bodyPose(1, p);
  return p[2]!;
}

function idle(env: RobotTask, steps: number): void {
  const zero = new Float32Array(6);
  for (let i = 0; i < steps; i++) env.step(zero);
}

describe('drag(env, spec)', () => {
  it('rejects bad specs, naming the field', async () => {
    const env = await cheetah();
    expect(() => drag(env, { body: 'torso', target: [0, 0, 'up'] })).toThrow(/drag\.target/);
    expect(() => drag(env, { body: 'torso' })).toThrow(/drag\.target/);
    expect(() => drag(env, { body: 'torso', target: [0, 0, 1], hz: -1 })).toThrow(/drag\.hz/);
    expect(() => drag(env, { body: 'torso', target: [0, 0, 1], extra: 1 })).toThrow(/drag/);
    expect(() => drag(env, { body: 'tail', target: [0, 0, 1] })).toThrow(/no body named 'tail'/);
    env.close();
  });

  it('lifts the torso toward the target and stops pulling when released', async () => {
    const free = await cheetah();
    const pulled = await cheetah();
    idle(free, 10);
    idle(pulled, 10);
    const start = [0, 0, 0];
    pulled.world.bodyPose(1, start);
    const rec = drag(pulled, { body: 'torso', point: [start[0]!, start[1]!, start[2]!], target: [start[0]!, start[1]!, start[2]! + 0.6] });
    expect(rec).toMatchObject({ step: 10, body: 'torso', drag: { hz: 3 } });
    const r = pulled.step(new Float32Array(6));
    expect(r.info.pushes).toContainEqual(rec);
    idle(free, 19);
    idle(pulled, 19);
    expect(torsoZ(pulled) - torsoZ(free)).toBeGreaterThan(0.2);
    expect(Math.hypot(...pulled.world.dragForce())).toBeGreaterThan(1);
    drag(pulled, { body: 'torso', target: null });
    expect(Array.from(pulled.world.dragForce())).toEqual([0, 0, 0]);
    idle(pulled, 40);
    expect(Math.abs(torsoZ(pulled) - torsoZ(free))).toBeLessThan(0.15);
    free.close();
    pulled.close();
  });

  it('moving the target keeps the grab point and changes the pull direction', async () => {
    const env = await cheetah();
    const p = [0, 0, 0];
    env.world.bodyPose(1, p);
    drag(env, { body: 'torso', target: [p[0]! + 1, p[1]!, p[2]!] });
    idle(env, 10);
    const x1 = [0, 0, 0];
    env.world.bodyPose(1, x1);
    expect(x1[0]! - p[0]!).toBeGreaterThan(0.3);
    drag(env, { body: 'torso', target: [p[0]! - 1, p[1]!, p[2]!] });
    idle(env, 20);
    const x2 = [0, 0, 0];
    env.world.bodyPose(1, x2);
    expect(x2[0]!).toBeLessThan(x1[0]! - 0.5);
    env.close();
  });
});
