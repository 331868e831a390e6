// paddock bench fidelity: the same seeded gaits on Rapier and MuJoCo; the ant from its clamped start rests at MuJoCo's height.
import { describe, expect, it } from 'vitest';
import { benchFidelityCommand } from '../../../cli/bench/fidelity.ts';
import { benchReport } from '../../support/bench.ts';

const report = (args: Record<string, string | boolean>) => benchReport(benchFidelityCommand, args);

describe('paddock bench fidelity', () => {
  it('reports both engines on the same gaits; the ant at rest stands at MuJoCo\'s height (±2 cm)', async () => {
    const r = await report({ robot: 'quadruped', gaits: '3', seconds: '2', seed: '4' });
    expect(r.gaits).toBe(3);
    expect(Math.abs(r.rapier.standingHeight - r.mujoco.standingHeight)).toBeLessThan(0.02);
    for (const s of [r.mujoco, r.rapier]) {
      expect(Number.isFinite(s.medianAbsSpeed)).toBe(true);
      expect(s.fastestSpeed).toBeGreaterThanOrEqual(s.medianAbsSpeed);
      expect(s.aboveCeiling).toBeGreaterThanOrEqual(0);
      expect(s.aboveCeiling).toBeLessThanOrEqual(1);
    }
    expect(Math.abs(r.speedCorrelation)).toBeLessThanOrEqual(1);
  });

  it('names the bad field', () => {
    const r = benchFidelityCommand.schema.safeParse({ gaits: '1' });
    expect(r.success).toBe(false);
    expect(r.error!.issues[0]!.path).toEqual(['gaits']);
  });
});
