// quadruped-mujoco: the quadruped task on MuJoCo observes the start pose as the Rapier task does, terminates by the same rule, and refuses Rapier-only options.
import { describe, expect, it } from 'vitest';
import { listEnvs, makeEnv } from '../../tasks/index.ts';

describe('quadruped-mujoco', () => {
  it('observes the noise-free start pose exactly as the Rapier quadruped does', async () => {
    const rapier = await makeEnv('quadruped', { resetNoiseScale: 0 }), mujoco = await makeEnv('quadruped-mujoco', { resetNoiseScale: 0 });
    const a = rapier.reset({ seed: 1 }).obs as Float32Array, b = mujoco.reset({ seed: 1 }).obs as Float32Array;
    expect(mujoco.spec.obsLayout).toEqual(rapier.spec.obsLayout);
    expect(b.length).toBe(a.length);
    b.forEach((v, i) => expect(v).toBeCloseTo(a[i]!, 5));
    rapier.close();
    mujoco.close();
  });

  it('terminates when the torso leaves the healthy range, and not when termination is off', async () => {
    const low = await makeEnv('quadruped-mujoco', { healthyZRange: [0.2, 0.5] });
    low.reset({ seed: 2 });
    const r = low.step(new Float32Array(8));
    expect(r.info.torso_z).toBeGreaterThan(0.5);
    expect([r.terminated, r.info.rewardTerms.healthy]).toEqual([true, 0]);
    low.close();
    const off = await makeEnv('quadruped-mujoco', { healthyZRange: [0.2, 0.5], terminateWhenUnhealthy: false });
    off.reset({ seed: 2 });
    const s = off.step(new Float32Array(8));
    expect([s.terminated, s.info.rewardTerms.healthy]).toEqual([false, 1]);
    off.close();
  });

  it('is made by id but not listed by default (the viewer lists Rapier tasks only), and refuses Rapier-only options naming them', async () => {
    expect(listEnvs().map((e) => e.id)).not.toContain('quadruped-mujoco');
    expect(listEnvs({ reference: true }).map((e) => e.id)).toContain('quadruped-mujoco');
    await expect(makeEnv('quadruped-mujoco', { useContactForces: true })).rejects.toThrow(/config\.useContactForces: not available on MuJoCo/);
    await expect(makeEnv('quadruped-mujoco', { gravity: [0, 0, -9.81] })).rejects.toThrow(/config\.gravity/);
    await expect(makeEnv('quadruped-mujoco', { zVelocityCostWeight: 1 })).rejects.toThrow(/config\.zVelocityCostWeight: not implemented/);
    await expect(makeEnv('quadruped-mujoco', { heightCostWeight: 1 })).rejects.toThrow(/config\.heightCostWeight: not implemented/);
  });
});
