// half-cheetah-mujoco: observes the start pose as the Rapier cheetah does, rewards the same terms, runs under a scripted gait, refuses Rapier-only options.
import { describe, expect, it } from 'vitest';
import { listEnvs, makeEnv } from '../../tasks/index.ts';
import { CHEETAH_BOUND, sineGaitControl } from '../../tasks/controllers/sine-gait.ts';

describe('half-cheetah-mujoco', () => {
  it('observes the same start state as the Rapier half-cheetah, noise included, with the same layout', async () => {
    for (const config of [{}, { excludeCurrentPositionsFromObservation: false }]) {
      const rapier = await makeEnv('half-cheetah', config), mujoco = await makeEnv('half-cheetah-mujoco', config);
      const a = rapier.reset({ seed: 4 }).obs as Float32Array, b = mujoco.reset({ seed: 4 }).obs as Float32Array;
      expect(mujoco.spec.obsLayout).toEqual(rapier.spec.obsLayout);
      expect(mujoco.spec.rewardTerms).toEqual(rapier.spec.rewardTerms);
      expect(b.length).toBe(a.length);
      b.forEach((v, i) => expect(v).toBeCloseTo(a[i]!, 5));
      rapier.close();
      mujoco.close();
    }
  });

  it('runs forward under the scripted gait, its reward the sum of its terms, its pitch term the rooty change, and never terminates', async () => {
    const env = await makeEnv('half-cheetah-mujoco', { pitchRewardWeight: 0.5 });
    const pitch0 = (env.reset({ seed: 0 }).obs as Float32Array)[1]!;
    const ctrl = new Float64Array(6);
    let forward = 0, pitch = 0, pitchObs = 0;
    for (let i = 0; i < 200; i++) {
      const r = env.step(sineGaitControl(CHEETAH_BOUND, i * env.spec.dt, ctrl));
      const t = r.info.rewardTerms;
      expect(r.reward).toBeCloseTo(t.forward! + t.ctrl_cost! + t.pitch_rate!, 9);
      expect([r.terminated, r.truncated]).toEqual([false, false]);
      forward += t.forward! * env.spec.dt;
      pitch += (t.pitch_rate! / 0.5) * env.spec.dt;
      pitchObs = (r.obs as Float32Array)[1]!;
    }
    expect(forward).toBeGreaterThan(2);
    expect(pitch).toBeCloseTo(pitchObs - pitch0, 4);
    env.close();
  });

  it('is made by id but not listed by default, and refuses Rapier-only options naming them', async () => {
    expect(listEnvs().map((e) => e.id)).not.toContain('half-cheetah-mujoco');
    expect(listEnvs({ reference: true }).map((e) => e.id)).toContain('half-cheetah-mujoco');
    await expect(makeEnv('half-cheetah-mujoco', { gravity: [0, 0, -9.81] })).rejects.toThrow(/config\.gravity: not available on MuJoCo/);
    await expect(makeEnv('half-cheetah-mujoco', { meanPitchRateLag: 1 })).rejects.toThrow(/config\.meanPitchRateLag: not available on MuJoCo/);
  });
});
