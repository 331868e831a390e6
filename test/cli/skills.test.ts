// `paddock skills`: per-skill report of a shipped DIAYN policy (its discriminator inside the policy folder), octants over all skills and over those that move, flag validation.
import { describe, expect, it } from 'vitest';
import { cli } from '../support/cli.ts';

describe('paddock skills', () => {
  const args = (minDistance: string): string[] => [
    'skills', '--checkpoint', 'assets/policies/quadruped-diayn', '--episodes', '1', '--json', '--backend', 'wasm', '--min-distance', minDistance,
  ];

  it('counts the octants of the skills that end at least --min-distance from the start', async () => {
    const all = await cli(args('0'));
    expect(all.code, all.err).toBe(0);
    const report = JSON.parse(all.out);
    expect(report.skills).toHaveLength(10);
    expect(report.moving.skills).toHaveLength(10);
    expect(report.moving.octants).toHaveLength(report.octantsCovered);
    const accuracies = report.skills.map((s: { accuracy: number }) => s.accuracy);
    expect(report.actions).toBe('mean');
    expect(report.discriminatorAccuracy).toBeGreaterThan(0);
    expect(report.discriminatorAccuracy).toBeCloseTo(accuracies.reduce((a: number, b: number) => a + b, 0) / 10, 6);
    const far = report.skills.filter((s: { displacement: number[] }) => Math.hypot(s.displacement[0]!, s.displacement[1]!) >= 2);
    const some = JSON.parse((await cli(args('2'))).out);
    expect(some.moving.skills).toEqual(far.map((s: { skill: number }) => s.skill));
    expect(some.moving.octants.length).toBeLessThanOrEqual(report.octantsCovered);
  }, 120_000);

  it('refuses a negative --min-distance, naming the flag', async () => {
    const r = await cli(args('-1'));
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/min-distance/);
  });
});
