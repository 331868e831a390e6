// paddock bench transfer: a policy on both engines, the Rapier side as `evaluate` runs it on its task; bad input names the field.
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { benchTransferCommand } from '../../../cli/bench/transfer.ts';
import { makeEnv } from '../../../tasks/index.ts';
import { benchReport } from '../../support/bench.ts';
import { evaluate } from '../../../agents/evaluate.ts';
import { loadPolicy, trainedTaskConfig } from '../../../agents/policy-io.ts';

const shipped = join('assets', 'policies', 'quadruped-sac');

describe('paddock bench transfer', () => {
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
