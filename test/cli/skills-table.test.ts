// paddock skills-table: the criteria each skills report meets (accuracy, runners both ways, a flip), old reports without turnedOver, bad files named.
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { criteriaOf, criteriaTable, readSkillsReport } from '../../cli/skills-table.ts';
import { cli } from '../support/cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'paddock-skills-table-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type Skill = { skill: number; xVelocity: number; flips: number | null; turnedOver?: number | null };
function write(name: string, accuracy: number | null, skills: Skill[]): string {
  const path = join(dir, `${name}.json`);
  writeFileSync(path, JSON.stringify({ policy: 'runs/x', actions: 'mean', discriminatorAccuracy: accuracy, skills, fastestForward: 0 }));
  return path;
}

describe('paddock skills-table', () => {
  it('meets all four only with accuracy, a runner each way and a skill that turned over', () => {
    const skills: Skill[] = [{ skill: 0, xVelocity: 1.4, flips: 0, turnedOver: 0 }, { skill: 1, xVelocity: -1.2, flips: 0.4, turnedOver: 2 }, { skill: 2, xVelocity: 0.3, flips: 0, turnedOver: 0 }];
    const all = criteriaOf('a', readSkillsReport(write('a', 0.85, skills)), 0.8, 1);
    expect(all).toMatchObject({ forward: [0], backward: [1], turnedOver: [1], fastestForward: 1.4, fastestBackward: -1.2 });
    expect(all.met).toEqual({ accuracy: true, forward: true, backward: true, flip: true, all: true });
    expect(criteriaOf('b', readSkillsReport(write('b', 0.79, skills)), 0.8, 1).met).toMatchObject({ accuracy: false, all: false });
    expect(criteriaOf('c', readSkillsReport(write('c', 0.85, skills)), 0.8, 1.3).met).toMatchObject({ forward: true, backward: false, all: false });
    const still = skills.map((s) => ({ ...s, turnedOver: 0 }));
    expect(criteriaOf('d', readSkillsReport(write('d', 0.85, still)), 0.8, 1).met).toMatchObject({ flip: false, all: false });
  });

  it('reads a report written before turnedOver was counted from its mean flips', () => {
    const old = [{ skill: 0, xVelocity: 0, flips: 0 }, { skill: 1, xVelocity: 0, flips: 0.2 }, { skill: 2, xVelocity: 0, flips: null }];
    expect(criteriaOf('old', readSkillsReport(write('old', 0.5, old)), 0.8, 1).turnedOver).toEqual([1]);
  });

  it('counts the reports meeting each criterion under the table', () => {
    const a = criteriaOf('a', readSkillsReport(write('e', 0.9, [{ skill: 0, xVelocity: 2, flips: 1, turnedOver: 1 }, { skill: 1, xVelocity: -2, flips: 0 }])), 0.8, 1);
    const b = criteriaOf('b', readSkillsReport(write('f', 0.5, [{ skill: 0, xVelocity: -2, flips: 0 }])), 0.8, 1);
    const table = criteriaTable([a, b], 0.8, 1);
    expect(table.split('\n').filter((l) => l.startsWith('| a |') || l.startsWith('| b |'))).toHaveLength(2);
    expect(table).toContain('Of 2 reports: accuracy 1, a runner forward 1, backward 2, a flip 1, all four 1.');
  });

  it('names the file and the field of a report that does not fit, and exits 2', async () => {
    const bad = write('bad', 0.8, [{ skill: 0, xVelocity: 'fast' as unknown as number, flips: 0 }]);
    expect(() => readSkillsReport(bad)).toThrow(/bad\.json: skills\.0\.xVelocity/);
    const r = await cli(['skills-table', '--report', `${write('ok', 0.8, [{ skill: 0, xVelocity: 1, flips: 0 }])},${bad}`]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--report: .*bad\.json: skills\.0\.xVelocity/);
    expect((await cli(['skills-table', '--report', join(dir, 'missing.json')])).err).toMatch(/no file .*missing\.json/);
    expect((await cli(['skills-table', '--report', bad, '--accuracy', '2'])).err).toMatch(/--accuracy/);
  });
});
