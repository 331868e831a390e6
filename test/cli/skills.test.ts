// `paddock skills`: per-skill report of a shipped DIAYN policy (its discriminator inside the policy folder), octants over all skills and over those that move, runners and flips, flag validation.
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

  it('lists the runners beyond ±--speed and the skills that turned over, in JSON and in text', async () => {
    const base = ['skills', '--checkpoint', 'assets/policies/half-cheetah-diayn-somersault', '--episodes', '1', '--backend', 'wasm', '--speed', '0.3'];
    const json = await cli([...base, '--json']);
    expect(json.code, json.err).toBe(0);
    const report = JSON.parse(json.out);
    type S = { skill: number; xVelocity: number; pitchRotation: number };
    const ids = (keep: (s: S) => boolean) => report.skills.filter(keep).map((s: S) => s.skill);
    expect(report.highlights.forward).toEqual(ids((s) => s.xVelocity > 0.3));
    expect(report.highlights.backward).toEqual(ids((s) => s.xVelocity < -0.3));
    expect(report.highlights.turnedOver).toEqual(ids((s) => Math.abs(s.pitchRotation) >= 2 * Math.PI));
    expect(report.highlights.turnedOver.length).toBeGreaterThanOrEqual(3);
    const text = await cli(base);
    expect(text.code, text.err).toBe(0);
    expect(text.out).toContain(`turned all the way over (|net pitch| ≥ 2π) in at least one of 1 episode: skills ${report.highlights.turnedOver.join(', ')}`);
  }, 120_000);

  it('refuses a negative --speed, naming the flag', async () => {
    const r = await cli(['skills', '--checkpoint', 'assets/policies/quadruped-diayn', '--speed', '-1']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/speed/);
  });

  it('refuses a negative --min-distance, naming the flag', async () => {
    const r = await cli(args('-1'));
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/min-distance/);
  });
});
