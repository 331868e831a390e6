// Learner checkpoints round-trip exactly: goal-conditioned SAC with its Skew-Fit reservoir, DIAYN with its discriminator.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initBackend } from '../../agents/backend.ts';
import { GoalLearner, parseHerConfig } from '../../agents/her.ts';
import { DiaynLearner, parseDiaynConfig } from '../../agents/diayn.ts';
import { parseSacConfig } from '../../agents/sac.ts';
import { restoreRun, saveRun } from '../../agents/run-state.ts';
import type { Learner } from '../../agents/learner.ts';
import { makeVectorEnv, type VectorEnv } from '../../tasks/vector/vector-env.ts';
import '../support/point-goal.ts';
import '../support/point-2d.ts';

const dir = mkdtempSync(join(tmpdir(), 'paddock-learner-'));
beforeAll(async () => {
  await initBackend('wasm', () => {});
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const sac = parseSacConfig({ hidden: [8], batchSize: 16, learningStarts: 40 });

async function exercise(make: () => Learner, vec: VectorEnv, name: string): Promise<void> {
  const a = make();
  a.start(vec);
  for (let s = 0; s < 60; s++) {
    await a.collect(vec, s);
    a.learn(s + 1);
  }
  const counters = { envSteps: 60, wallSeconds: 1, resumes: 0 };
  await saveRun(join(dir, name), a, counters, { task: vec.spec.id, seed: 0, saveReplay: true });
  const b = make();
  const back = { envSteps: 0, wallSeconds: 0, resumes: 0 };
  expect(restoreRun(join(dir, name), b, back, () => {})).toBe(true);
  expect(back).toEqual(counters);
  const sa = a.getState(), sb = b.getState();
  expect(Object.keys(sb.arrays).sort()).toEqual(Object.keys(sa.arrays).sort());
  for (const k of Object.keys(sa.arrays)) expect(sb.arrays[k]).toEqual(sa.arrays[k]);
  expect(sb.state).toEqual(sa.state);
}

describe('learner checkpoints', () => {
  it('resume a checkpoint saved before a SAC setting existed, and refuse one saved with other settings', async () => {
    const vec = await makeVectorEnv('point-2d', { numEnvs: 1, seed: 1 });
    await vec.reset();
    const a = new DiaynLearner(vec.spec, 1, sac, parseDiaynConfig({ skills: 2, hidden: [4] }), 5);
    a.start(vec);
    await saveRun(join(dir, 'old'), a, { envSteps: 0, wallSeconds: 0, resumes: 0 }, { task: vec.spec.id, seed: 0, saveReplay: false });
    const file = join(dir, 'old', 'checkpoint.json');
    const json = JSON.parse(readFileSync(file, 'utf8'));
    delete json.state.sacConfig.actionL2;
    delete json.state.sacConfig.normalizeEps;
    writeFileSync(file, JSON.stringify(json));
    const restore = (config: typeof sac) => restoreRun(join(dir, 'old'), new DiaynLearner(vec.spec, 1, config, parseDiaynConfig({ skills: 2, hidden: [4] }), 5), { envSteps: 0, wallSeconds: 0, resumes: 0 }, () => {});
    expect(restore(sac)).toBe(true);
    expect(() => restore(parseSacConfig({ ...sac, actionL2: 1 }))).toThrow(/different SAC settings/);
    await vec.close();
  });


  it('restore goal-conditioned SAC with self-proposed goals exactly (agent, buffer RNG, reservoir)', async () => {
    const vec = await makeVectorEnv('point-goal', { numEnvs: 1, seed: 1 });
    await vec.reset();
    const her = parseHerConfig({ goals: 'proposed', skewFit: { histogram: { low: [-1.2, -1.2], high: [1.2, 1.2], bins: 4 } } });
    await exercise(() => new GoalLearner(vec.spec, 1, sac, her, 3), vec, 'her');
    await vec.close();
  });

  it('restore DIAYN exactly (agent, discriminator and its optimiser, held-out states, skill RNG)', async () => {
    const vec = await makeVectorEnv('point-2d', { numEnvs: 2, seed: 1 });
    await vec.reset();
    await exercise(() => new DiaynLearner(vec.spec, 2, sac, parseDiaynConfig({ skills: 3, hidden: [4], heldOutEvery: 2 }), 4), vec, 'diayn');
    await vec.close();
  });
});
