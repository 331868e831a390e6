// paddock bench fidelity: the same seeded gaits on Rapier and MuJoCo; the ant from its clamped start rests at MuJoCo's height.
import { describe, expect, it, vi } from 'vitest';
import { benchFidelityCommand } from '../../../cli/bench/fidelity.ts';

async function report(args: Record<string, string | boolean>): Promise<Record<string, any>> {
  const lines: string[] = [];
  const spy = vi.spyOn(console, 'log').mockImplementation((s: string) => void lines.push(s));
  try {
    const code = await benchFidelityCommand.run(benchFidelityCommand.schema.parse({ json: true, ...args }));
    expect(code).toBe(0);
  } finally {
    spy.mockRestore();
  }
  return JSON.parse(lines.join('\n'));
}

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
