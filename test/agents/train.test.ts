// Training end to end: SAC learns a small env (a user-written one), resumes from its checkpoint, and validates options.
import { afterAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { train } from '../../agents/train.ts';
import { evaluate } from '../../agents/evaluate.ts';
import { loadCheckpoint } from '../../agents/checkpoint.ts';
import { readMetrics } from '../../agents/metrics.ts';
import { loadPolicy, resolvePolicyDir } from '../../agents/policy-io.ts';
import { makeEnv } from '../../tasks/index.ts';
import { parseRecording } from '../../tasks/recording.ts';
import '../support/tasks.ts';

const dir = mkdtempSync(join(tmpdir(), 'paddock-train-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const small = { hidden: [64, 64], learningStarts: 500, batchSize: 128 };

describe('train', () => {
  it('SAC learns to bring a user-written point mass to the origin (far above doing nothing)', async () => {
    const env = await makeEnv('user-point');
    const still = evaluate(env, (_x, out) => { out[0] = 0; }, 10, 50).returnMean;
    const result = await train({ env: () => makeEnv('user-point'), steps: 3000, seed: 1, evalEvery: 0, evalEpisodes: 10, progress: false, sac: small });
    const learned = result.lastEval!.returnMean;
    expect(still).toBeLessThan(-20);
    expect(learned).toBeGreaterThan(-12);
    env.close();
  }, 240_000);

  it('writes metrics and a checkpoint, and --resume continues from it with the same agent state', async () => {
    const out = join(dir, 'run');
    const common = { env: 'user-point', seed: 3, evalEvery: 400, evalEpisodes: 2, logEvery: 200, checkpointEvery: 400, saveReplay: true, progress: false, sac: { ...small, learningStarts: 200 }, out };
    const first = await train({ ...common, steps: 800 });
    const ckpt = loadCheckpoint(join(out, 'checkpoint'));
    const saved = ckpt.state as { counters: { envSteps: number }; learner: { sac: { updates: number } } };
    expect(saved.counters.envSteps).toBe(800);
    expect(saved.learner.sac.updates).toBe(first.agent.updates);
    const weights = first.agent.getState().arrays;
    for (const [k, v] of Object.entries(weights)) expect(ckpt.arrays[k]).toEqual(v);

    await expect(train({ ...common, steps: 1200 })).rejects.toThrow(/already holds a run; pass resume/);
    expect(loadCheckpoint(join(out, 'checkpoint')).arrays).toEqual(ckpt.arrays);
    const second = await train({ ...common, steps: 1200, resume: true });
    expect(second.envSteps).toBe(1200);
    expect(second.agent.updates).toBe(first.agent.updates + 400);
    const rows = readMetrics(join(out, 'metrics.jsonl'));
    expect(rows.map((r) => r.env_steps)).toEqual([200, 400, 600, 800, 1000, 1200]);
    expect(rows.filter((r) => r['eval/return_mean'] !== undefined).length).toBe(3);
    expect(readFileSync(join(out, 'metrics.csv'), 'utf8').split('\n')[0]).toMatch(/^env_steps,time_s,/);
    const policy = loadPolicy(join(out, 'checkpoint', 'policy'));
    expect(policy.task).toBe('user-point');
    policy.dispose();
  }, 240_000);

  it('keeps the agent of the best evaluation in <out>/best, across a resume', async () => {
    const out = join(dir, 'keep-best'), evals: number[][] = [];
    const common = { env: 'user-point', seed: 4, evalEvery: 200, evalEpisodes: 3, logEvery: 200, checkpointEvery: 400, keepBest: true, progress: false, sac: { ...small, learningStarts: 200 }, out };
    const onEval = (e: { returnMean: number }, steps: number) => evals.push([steps, e.returnMean]);
    const best = () => evals.reduce((a, b) => (b[1]! > a[1]! ? b : a));
    const kept = () => (loadCheckpoint(join(out, 'best')).state as { info: { best: { envSteps: number; returnMean: number } } }).info.best;
    await train({ ...common, steps: 600 }, { onEval });
    expect(best()[0]).toBeLessThan(600); // this seed's evaluations dip at 600, so the best is not the latest
    expect([kept().envSteps, kept().returnMean]).toEqual(best());
    await train({ ...common, steps: 1200, resume: true }, { onEval });
    const top = best();
    expect(evals.map((e) => e[0])).toEqual([200, 400, 600, 800, 1000, 1200]);
    expect([kept().envSteps, kept().returnMean]).toEqual(top);
    const policy = loadPolicy(resolvePolicyDir(join(out, 'best'))), env = await makeEnv('user-point');
    const again = evaluate(env, (x, a) => policy.act(x, a, 1, true), 3, 1_000_000 + 4 * 1000).returnMean;
    expect(again).toBeCloseTo(top[1]!, 2);
    policy.dispose();
    env.close();
  }, 240_000);

  it('keeps checkpoints at chosen steps and branches a new run from one, carrying its metrics', async () => {
    const a = join(dir, 'trunk'), b = join(dir, 'branch');
    const common = { env: 'user-point', seed: 5, evalEvery: 400, evalEpisodes: 1, logEvery: 200, checkpointEvery: 800, saveReplay: true, progress: false, sac: { ...small, learningStarts: 200 } };
    const trunk = await train({ ...common, steps: 800, out: a, keepCheckpoints: [400] });
    const kept = loadCheckpoint(join(a, 'checkpoint-400')).state as { counters: { envSteps: number }; learner: { sac: { updates: number } } };
    expect(kept.counters.envSteps).toBe(400);
    expect(existsSync(join(a, 'checkpoint-800'))).toBe(false);
    const branched = await train({ ...common, steps: 800, out: b, branchFrom: join(a, 'checkpoint-400') });
    expect(branched.agent.updates).toBe(kept.learner.sac.updates + 400);
    expect(branched.agent.updates).toBe(trunk.agent.updates);
    const trunkRows = readMetrics(join(a, 'metrics.jsonl')), rows = readMetrics(join(b, 'metrics.jsonl'));
    expect(rows.map((r) => r.env_steps)).toEqual([200, 400, 600, 800]);
    expect(rows.slice(0, 2)).toEqual(trunkRows.slice(0, 2));
    expect(JSON.parse(readFileSync(join(b, 'config.json'), 'utf8')).branchedFrom).toEqual({ checkpoint: join(a, 'checkpoint-400'), envSteps: 400 });
    await expect(train({ ...common, steps: 800, out: b, branchFrom: a })).rejects.toThrow(/already holds a run/);
    const again = await train({ ...common, steps: 1000, out: b, branchFrom: a, resume: true });
    expect(again.agent.updates).toBe(branched.agent.updates + 200);
    expect(readMetrics(join(b, 'metrics.jsonl')).map((r) => r.env_steps)).toEqual([200, 400, 600, 800, 1000]);
    await expect(train({ ...common, steps: 800, out: join(dir, 'nowhere'), branchFrom: join(dir, 'no-such-run') })).rejects.toThrow(/branchFrom: .*no-such-run holds no checkpoint/);
  }, 240_000);

  it('accepts a single env object and rejects bad options naming the field', async () => {
    const env = await makeEnv('user-point');
    const r = await train({ env, steps: 300, evalEvery: 0, progress: false, sac: { hidden: [8], learningStarts: 100, batchSize: 16 } });
    expect(r.envSteps).toBe(300);
    expect(r.lastEval).toBeNull();
    const rollouts: unknown[] = [];
    await train({ env: 'user-point', steps: 200, evalEvery: 100, evalEpisodes: 2, progress: false, sac: { hidden: [8], learningStarts: 50, batchSize: 16 } }, { onRollout: (rec) => rollouts.push(rec) });
    expect(rollouts.length).toBe(2);
    const rec = parseRecording(rollouts[1]);
    expect(rec.task).toBe('user-point');
    expect(rec.actions.length).toBe(50);
    await expect(train({ env: 'user-point', steps: -1 })).rejects.toThrow(/train options\.steps/);
    await expect(train({ env: 'user-point', steps: 10, sac: { tau: 2 } })).rejects.toThrow(/sac config\.tau/);
    await expect(train({ env: 'no-such-task', steps: 10, progress: false })).rejects.toThrow(/unknown task 'no-such-task'/);
  });
});
