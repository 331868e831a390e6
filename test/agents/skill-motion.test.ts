// SkillMotionLog: per-skill means over a window, the largest pitch rotation, and skipped unknowns.
import { describe, expect, it } from 'vitest';
import { SkillMotionLog } from '../../agents/skill-motion.ts';

describe('SkillMotionLog', () => {
  it('averages each skill over its episodes and keeps the largest absolute pitch rotation', () => {
    const log = new SkillMotionLog(3);
    log.record(0, 2, 0, 10, 1);
    log.record(0, 4, 0, 10, -7);
    log.record(2, -1, -1, 5, 0.5);
    const m = log.metrics();
    expect(m['skill/0/x_velocity']).toBeCloseTo(0.3, 9);
    expect(m['skill/0/displacement_x']).toBeCloseTo(3, 9);
    expect(m['skill/0/pitch_rotation']).toBeCloseTo(-3, 9);
    expect(m['skill/2/displacement_y']).toBeCloseTo(-1, 9);
    expect(m['skill/1/x_velocity']).toBeUndefined();
    expect(m['skills/max_abs_pitch_rotation']).toBeCloseTo(7, 9);
    expect(m['skills/octants']).toBe(2);
    expect(log.metrics()).toEqual({});
  });

  it('skips unknown displacements and pitches separately', () => {
    const log = new SkillMotionLog(1);
    log.record(0, NaN, NaN, 10, 2);
    log.record(0, 1, 0, 10);
    const m = log.metrics();
    expect(m['skill/0/displacement_x']).toBe(1);
    expect(m['skill/0/pitch_rotation']).toBe(2);
  });
});
