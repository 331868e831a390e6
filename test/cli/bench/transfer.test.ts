// paddock bench transfer: MuJoCo's state maps onto the task's observation; the Rapier side matches `evaluate`; bad input names the field.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { benchTransferCommand, observe } from '../../../cli/bench/transfer.ts';
import { MujocoSim, loadMujocoModule } from '../../../cli/bench/mujoco.ts';
import { startQpos } from '../../../cli/bench/fidelity.ts';
import { assetPath } from '../../../assets/index.ts';
import { loadMjcf } from '../../../sim/mjcf/index.ts';
import { ROBOT_FILES } from '../../../sim/presets.ts';
import { makeEnv } from '../../../tasks/index.ts';
import { benchReport } from '../../support/bench.ts';
import { evaluate } from '../../../agents/evaluate.ts';
import { loadPolicy, trainedTaskConfig } from '../../../agents/policy-io.ts';

const shipped = join('assets', 'policies', 'quadruped-sac');

describe('paddock bench transfer', () => {
  it('reads MuJoCo\'s state as the quadruped task observes its own start state', async () => {
    const env = await makeEnv('quadruped', { resetNoiseScale: 0 });
    const expected = Float32Array.from(env.reset({ seed: 1 }).obs as Float32Array);
    env.close();
    const xml = readFileSync(assetPath(ROBOT_FILES.quadruped!), 'utf8');
    const sim = new MujocoSim(await loadMujocoModule(), xml);
    sim.data.qpos.set(startQpos(loadMjcf(xml)));
    sim.mj.mj_forward(sim.model, sim.data);
    const got = observe(sim.data.qpos, sim.data.qvel, new Float32Array(27));
    sim.free();
    expect(got.length).toBe(expected.length);
    got.forEach((v, i) => expect(v).toBeCloseTo(expected[i]!, 5));
  });

  it('runs the shipped quadruped policy on both engines, the Rapier side as its task runs it', async () => {
    const r = await benchReport(benchTransferCommand, { checkpoint: shipped, episodes: '1', seed: '1000', backend: 'wasm' });
    for (const side of [r.rapier, r.mujoco]) {
      expect(side.episodes).toBe(1);
      const e = side.perEpisode[0];
      expect(e.steps === 1000 || e.terminated).toBe(true);
      expect(Number.isFinite(e.speed) && e.maxHeight > 0.2).toBe(true);
    }
    const policy = loadPolicy(shipped), env = await makeEnv('quadruped', trainedTaskConfig(policy.meta));
    const own = evaluate(env, (x, a) => policy.act(x, a, 1, true), 1, 1000).episodes[0]!;
    expect([r.rapier.perEpisode[0].steps, r.rapier.perEpisode[0].terminated]).toEqual([own.length, own.terminated]);
    expect(r.rapier.perEpisode[0].speed).toBeCloseTo(own.infoMean.x_velocity!, 6);
    expect(r.rapier.perEpisode[0].speed).toBeGreaterThan(0.5);
    policy.dispose();
    env.close();
  }, 60_000);

  it('names the bad field', () => {
    const r = benchTransferCommand.schema.safeParse({ checkpoint: shipped, episodes: '0' });
    expect(r.success).toBe(false);
    expect(r.error!.issues[0]!.path).toEqual(['episodes']);
  });
});
