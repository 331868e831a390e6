// Per-skill motion of DIAYN training episodes (displacement, speed, heading octants, pitch rotation), summarised per metrics row.
import { octantOf } from './skills.ts';

/** Values kept per skill: summed dx, dy (m), seconds, episodes, summed pitch rotation (rad), pitch episodes, largest |pitch rotation|. */
const W = 7;

/**
 * Accumulates finished training episodes per skill between two metrics rows. Pitch rotation is
 * the net change of the unwrapped torso pitch over an episode (rad, positive = the task's pitch
 * sign), so one whole flip reads ±2π; it is skipped for tasks whose observation has no pitch.
 */
export class SkillMotionLog {
  private readonly m: Float64Array;

  constructor(readonly numSkills: number) {
    this.m = new Float64Array(numSkills * W);
  }

  /**
   * Adds one finished episode of skill `z`: displacement `dx`, `dy` (m, world frame), duration
   * `seconds`, and net pitch rotation `pitch` (rad; NaN when unknown). Non-finite displacements are
   * skipped (the env reports no position).
   */
  record(z: number, dx: number, dy: number, seconds: number, pitch = NaN): void {
    const m = this.m, o = W * z;
    if (Number.isFinite(dx) && Number.isFinite(dy)) {
      m[o]! += dx;
      m[o + 1]! += dy;
      m[o + 2]! += seconds;
      m[o + 3]! += 1;
    }
    if (Number.isFinite(pitch)) {
      m[o + 4]! += pitch;
      m[o + 5]! += 1;
      m[o + 6] = Math.max(m[o + 6]!, Math.abs(pitch));
    }
  }

  /**
   * Per skill with an episode in the window: `skill/<z>/x_velocity` (m/s, displacement over time),
   * `skill/<z>/displacement_x` and `_y` (m, mean per episode), `skill/<z>/pitch_rotation` (rad, mean
   * per episode); `skills/octants`, the heading octants the mean displacements fall in;
   * `skills/max_abs_pitch_rotation` (rad, over every episode in the window; > 2π is a flip). Resets the window.
   */
  metrics(): Record<string, number> {
    const m = this.m, out: Record<string, number> = {}, octants = new Set<number>();
    let maxPitch = -1;
    for (let z = 0; z < this.numSkills; z++) {
      const o = W * z, episodes = m[o + 3]!;
      if (episodes > 0) {
        const dx = m[o]! / episodes, dy = m[o + 1]! / episodes;
        out[`skill/${z}/x_velocity`] = m[o]! / m[o + 2]!;
        out[`skill/${z}/displacement_x`] = dx;
        out[`skill/${z}/displacement_y`] = dy;
        octants.add(octantOf(Math.atan2(dy, dx)));
      }
      if (m[o + 5]! > 0) {
        out[`skill/${z}/pitch_rotation`] = m[o + 4]! / m[o + 5]!;
        maxPitch = Math.max(maxPitch, m[o + 6]!);
      }
    }
    if (octants.size) out['skills/octants'] = octants.size;
    if (maxPitch >= 0) out['skills/max_abs_pitch_rotation'] = maxPitch;
    m.fill(0);
    return out;
  }
}
