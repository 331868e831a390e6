// Exploration of the SAC learners: uniform actions before learningStarts, then the policy's, with ε-random rows (randomEps).
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../agents/backend.ts';
import { parseSacConfig } from '../../agents/sac.ts';
import { SacLearner } from '../../agents/sac-learner.ts';
import { makeEnv } from '../../tasks/index.ts';
import type { EnvSpec } from '../../tasks/env.ts';
import '../support/tasks.ts';

const ROWS = 400;
let spec: EnvSpec;
beforeAll(async () => {
  await initBackend('wasm', () => {});
  spec = (await makeEnv('user-point')).spec;
});

/** Exposes the learner's exploration for `ROWS` envs that all see the same observation. */
class Probe extends SacLearner {
  actions(envSteps: number): Float32Array {
    const input = new Float32Array(ROWS * 2).fill(0.3), act = new Float32Array(ROWS), scratch = new Float32Array(ROWS * 2);
    this.explore(input, act, envSteps, scratch);
    return act;
  }
}

/** A learner whose policy is deterministic (log std clamped to −20), so equal inputs give equal policy actions. */
function probe(randomEps: number): Probe {
  return new Probe(spec, ROWS, parseSacConfig({ hidden: [8], learningStarts: 100, logStdMin: -20, logStdMax: -20, randomEps }), 1);
}

describe('SAC exploration', () => {
  it('replaces each env row by a uniform random action with probability randomEps, after learningStarts', () => {
    for (const [eps, lo, hi] of [[0, 0, 0], [0.3, 0.22, 0.38], [1, 0.99, 1]] as const) {
      const act = probe(eps).actions(1000);
      const policyAction = probe(0).actions(1000)[0]!;
      const replaced = act.filter((a) => Math.abs(a - policyAction) > 1e-4);
      expect(replaced.length / ROWS, `randomEps ${eps}`).toBeGreaterThanOrEqual(lo);
      expect(replaced.length / ROWS, `randomEps ${eps}`).toBeLessThanOrEqual(hi);
      if (eps === 1) {
        expect(Math.min(...act)).toBeLessThan(-0.9);
        expect(Math.max(...act)).toBeGreaterThan(0.9);
      }
    }
  });

  it('acts uniformly at random before learningStarts whatever randomEps is', () => {
    const act = probe(0).actions(50);
    expect(new Set(act).size).toBe(ROWS);
    expect(Math.min(...act)).toBeLessThan(-0.9);
    expect(Math.max(...act)).toBeGreaterThan(0.9);
  });

  it('rejects a probability outside [0, 1], naming the field', () => {
    expect(() => parseSacConfig({ randomEps: 1.5 })).toThrow(/sac config\.randomEps/);
  });
});

describe('observation normalisation', () => {
  it('divides a feature that never varied by √normalizeEps', () => {
    const make = (normalizeEps?: number) => new SacLearner(spec, 1, parseSacConfig({ hidden: [8], normalizeObs: true, normalizeEps }), 1).normalizer!;
    const constant = new Float32Array(8).fill(0.425);
    const off = new Float32Array([0.426, 0.426]);
    const z = (normalizeEps?: number) => {
      const norm = make(normalizeEps);
      norm.update(constant, 4);
      return norm.normalize(off, new Float32Array(2), 1)[0]!;
    };
    expect(z()).toBeCloseTo(10, 2);
    expect(z(1e-4)).toBeCloseTo(0.1, 3);
  });
});
