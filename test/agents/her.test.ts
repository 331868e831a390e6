// Goal-conditioned SAC: hindsight relabelling from the same episode's later steps, recomputed rewards, Skew-Fit weights, learning.
import { beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { initBackend } from '../../agents/backend.ts';
import { EpisodeBuffer, goalTransitionLayout } from '../../agents/episode-buffer.ts';
import { GoalLearner, parseHerConfig } from '../../agents/her.ts';
import { SkewFitProposer, SkewFitConfigSchema, skewWeights } from '../../agents/skewfit.ts';
import { parseSacConfig } from '../../agents/sac.ts';
import { train } from '../../agents/train.ts';
import { makeVectorEnv } from '../../tasks/vector/vector-env.ts';
import { Rng } from '../../sim/rng.ts';
import '../support/point-goal.ts';

beforeAll(async () => {
  await initBackend('wasm', () => {});
});

/** Writes episode `e` of length T where obs = [e, t] and the next achieved goal = [e, t + 1]. */
function writeEpisode(buf: EpisodeBuffer, e: number, T: number): void {
  const slot = buf.openSlot();
  for (let t = 0; t < T; t++) {
    buf.write(slot, t, { obs: [e, t], ag: [e, t], dg: [99, 99], action: [0], nextObs: [e, t + 1], nextAg: [e, t + 1], terminated: [0] }, 0);
  }
  buf.close(slot, T);
}

describe('hindsight relabelling', () => {
  it('takes relabelled goals from a later step of the same episode (future), the last one (final), or any one (episode)', () => {
    for (const strategy of ['future', 'final', 'episode'] as const) {
      const buf = new EpisodeBuffer(goalTransitionLayout(2, 2, 1), 20, 10, 1);
      for (let e = 0; e < 6; e++) writeEpisode(buf, e, 5 + e);
      const out = buf.allocateBatch(2000);
      buf.sample(2000, 0.8, strategy, out);
      let kept = 0;
      for (let i = 0; i < 2000; i++) {
        if (out.dg![2 * i] === 99) {
          kept++;
          continue;
        }
        const [e, t] = [out.obs![2 * i]!, out.obs![2 * i + 1]!];
        const [ge, gt] = [out.dg![2 * i]!, out.dg![2 * i + 1]!];
        expect(ge).toBe(e);
        if (strategy === 'future') expect(gt).toBeGreaterThan(t);
        if (strategy === 'final') expect(gt).toBe(5 + e);
        expect(gt).toBeGreaterThanOrEqual(1);
        expect(gt).toBeLessThanOrEqual(5 + e);
      }
      expect(Math.abs(kept / 2000 - 0.2)).toBeLessThan(0.03);
    }
  });

  it('recomputes every reward from the goal used and feeds that goal to the networks', async () => {
    const vec = await makeVectorEnv('point-goal', { numEnvs: 2, seed: 3 });
    await vec.reset();
    const learner = new GoalLearner(vec.spec, 2, parseSacConfig({ hidden: [8], batchSize: 512, learningStarts: 10_000 }), parseHerConfig({ k: 4 }), 1);
    learner.start(vec);
    for (let s = 0; s < 200; s++) await learner.collect(vec, s * 2);
    const batch = learner.sampleBatch(0.8);
    const smp = learner.lastSample;
    for (let i = 0; i < 512; i++) {
      const d = Math.hypot(smp.nextAg![2 * i]! - smp.dg![2 * i]!, smp.nextAg![2 * i + 1]! - smp.dg![2 * i + 1]!);
      expect(batch.reward[i]).toBe(d <= 0.1 ? 0 : -1);
      expect(batch.obs[6 * i + 4]).toBe(smp.dg![2 * i]);
      expect(batch.nextObs[6 * i + 5]).toBe(smp.dg![2 * i + 1]);
    }
    expect(batch.reward.some((r) => r === 0)).toBe(true);
    expect(batch.reward.some((r) => r === -1)).toBe(true);
    await vec.close();
  });
});

describe('goal-path episode priority', () => {
  /** Episode `e` of 10 steps whose achieved goal moves `step` per step along x. */
  function moving(buf: EpisodeBuffer, e: number, step: number): void {
    const slot = buf.openSlot();
    for (let t = 0; t < 10; t++) buf.write(slot, t, { obs: [e, t], ag: [t * step, 0], dg: [9, 9], action: [0], nextObs: [e, t + 1], nextAg: [(t + 1) * step, 0], terminated: [0] }, 0);
    buf.close(slot, 10);
  }
  /** Share of 4000 sampled transitions that come from episode 0. */
  const shareOfFirst = (buf: EpisodeBuffer) => {
    const out = buf.allocateBatch(4000);
    buf.sample(4000, 0, 'future', out);
    let n = 0;
    for (let i = 0; i < 4000; i++) if (out.obs![2 * i] === 0) n++;
    return n / 4000;
  };

  it('replays episodes that moved their achieved goal in proportion to floor + path length, also after save and load', () => {
    const layout = goalTransitionLayout(2, 2, 1), priority = { kind: 'goal-path', floor: 0.1 } as const;
    const buf = new EpisodeBuffer(layout, 8, 10, 3, priority), uniform = new EpisodeBuffer(layout, 8, 10, 3);
    for (const b of [buf, uniform]) {
      moving(b, 0, 0.03);
      for (let e = 1; e < 4; e++) moving(b, e, 0);
    }
    expect(buf.goalPath(0)).toBeCloseTo(0.3, 5);
    expect(Math.abs(shareOfFirst(uniform) - 0.25)).toBeLessThan(0.03);
    const expected = 0.4 / (0.4 + 3 * 0.1);
    expect(Math.abs(shareOfFirst(buf) - expected)).toBeLessThan(0.03);
    const dir = mkdtempSync(join(tmpdir(), 'paddock-prio-'));
    buf.save(join(dir, 'episodes.bin'));
    const loaded = new EpisodeBuffer(layout, 8, 10, 4, priority);
    loaded.load(join(dir, 'episodes.bin'));
    expect(Math.abs(shareOfFirst(loaded) - expected)).toBeLessThan(0.03);
    rmSync(dir, { recursive: true, force: true });
  });

  it('is an option of goal-conditioned SAC, validated', () => {
    expect(parseHerConfig({ priority: 'goal-path' }).priorityFloor).toBe(0.01);
    expect(() => parseHerConfig({ priority: 'energy' })).toThrow(/config\.priority/);
    expect(() => parseHerConfig({ priorityFloor: 0 })).toThrow(/config\.priorityFloor/);
  });
});

describe('Skew-Fit', () => {
  it('weights goals less the denser they are (α < 0) and uniformly at α = 0', () => {
    const density = [0.1, 0.5, 1, 2, 8];
    const w = skewWeights(density, -1);
    for (let j = 1; j < density.length; j++) expect(w[j]).toBeLessThan(w[j - 1]!);
    expect(w.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    expect([...skewWeights(density, 0)].every((v) => Math.abs(v - 0.2) < 1e-12)).toBe(true);
  });

  it('proposes rare achieved goals more often with α = −1 than with α = 0', () => {
    const rng = new Rng(1);
    const goals = Float32Array.from({ length: 2000 }, (_, i) => (i < 1900 ? rng.range(0, 0.1) : rng.range(0.9, 1)));
    const rareShare = (alpha: number) => {
      const p = new SkewFitProposer(1, SkewFitConfigSchema.parse({ alpha, bandwidth: [0.02], histogram: { low: [0], high: [1], bins: 10 } }), 2);
      p.add(goals, 2000);
      const out = new Float32Array(1);
      let rare = 0;
      for (let i = 0; i < 2000; i++) if (p.propose(out)[0]! > 0.5) rare++;
      return rare / 2000;
    };
    expect(rareShare(0)).toBeLessThan(0.1);
    expect(rareShare(-1)).toBeGreaterThan(0.3);
  });
});

describe('goal-conditioned SAC', () => {
  it('logs the share of episodes whose achieved goal left its start (train/goal_moved)', async () => {
    const moved = async (threshold: number) => {
      const rows: Record<string, number>[] = [];
      const sac = { hidden: [8], learningStarts: 10_000, batchSize: 16 };
      await train({ env: 'point-goal', taskConfig: { threshold }, agent: 'her', steps: 600, seed: 4, evalEvery: 0, logEvery: 600, progress: false, sac }, { onMetrics: (m) => rows.push(m) });
      return rows.find((m) => 'train/goal_moved' in m)?.['train/goal_moved'];
    };
    expect(await moved(0.1)).toBeGreaterThan(0.8);
    expect(await moved(10)).toBe(0);
  });

  it('learns to reach goals on a plane (≥ 90% success), and proposes its own goals when asked', async () => {
    const sac = { hidden: [64, 64], learningStarts: 300, batchSize: 128, lr: 1e-3 };
    const r = await train({ env: 'point-goal', agent: 'her', steps: 2500, seed: 1, evalEvery: 0, evalEpisodes: 20, progress: false, sac });
    expect(r.lastEval!.infoFinal.isSuccess).toBeGreaterThanOrEqual(0.9);
    const rows: Record<string, number>[] = [];
    const box = { low: [-1.2, -1.2], high: [1.2, 1.2], bins: 6 };
    await train({ env: 'point-goal', agent: 'her', her: { goals: 'proposed', skewFit: { histogram: box } }, steps: 900, seed: 2, evalEvery: 0, logEvery: 300, progress: false, sac }, { onMetrics: (m) => rows.push(m) });
    expect(rows.some((m) => m['goals/proposed_entropy']! > 0)).toBe(true);
    expect(rows.at(-1)!['goals/achieved_bins']).toBeGreaterThan(1);
  }, 300_000);
});
