// WarmupSchedule: the stage at a step, the inputs it reads, its input noise, and which inputs a later stage reads for the first time.
import { describe, expect, it } from 'vitest';
import { WarmupSchedule, addInputNoise } from '../../agents/diayn-warmup.ts';
import { Rng } from '../../sim/rng.ts';

describe('WarmupSchedule', () => {
  const features = [4, 5, 6, 7];
  const schedule = new WarmupSchedule(features, [
    { steps: 10, idx: [4, -1, -1, -1] },
    { steps: 20, idx: [-1, 5, -1, -1], noise: 0.5 },
    { steps: 30, idx: [4, 5, 6, -1] },
  ]);

  it('finds the stage and its inputs at a step, then all features', () => {
    expect([0, 9, 10, 19, 20, 29, 30, 99].map((s) => schedule.stageAt(s))).toEqual([0, 0, 1, 1, 2, 2, 3, 3]);
    expect(schedule.active(15)).toEqual([-1, 5, -1, -1]);
    expect(schedule.active(30)).toEqual(features);
  });

  it('gives each stage its input noise, none where a stage sets none and none after the warm-up', () => {
    expect([0, 10, 19, 20, 30].map((s) => schedule.noiseAt(s))).toEqual([0, 0.5, 0.5, 0, 0]);
  });

  it('lists as fresh only inputs no stage up to the last one read', () => {
    expect(schedule.freshInputs(0, 1)).toEqual([1]);
    expect(schedule.freshInputs(1, 2)).toEqual([2]);
    expect(schedule.freshInputs(2, 3)).toEqual([3]);
    expect(schedule.freshInputs(0, 3)).toEqual([1, 2, 3]);
  });
});

describe('addInputNoise', () => {
  it('adds noise of the given width to the inputs read now and leaves masked ones at 0', () => {
    const n = 4000, active = [3, -1], feats = new Float32Array(2 * n).map((_, i) => (i % 2 === 0 ? 1.5 : 0));
    const out = addInputNoise(feats, active, 0.5, new Rng(3), new Float32Array(2 * n));
    const read = out.filter((_, i) => i % 2 === 0), masked = out.filter((_, i) => i % 2 === 1);
    const mean = read.reduce((a, v) => a + v, 0) / n, sd = Math.sqrt(read.reduce((a, v) => a + (v - mean) ** 2, 0) / n);
    expect(mean).toBeCloseTo(1.5, 1);
    expect(sd).toBeGreaterThan(0.45);
    expect(sd).toBeLessThan(0.55);
    expect(masked.every((v) => v === 0)).toBe(true);
    expect(feats[0]).toBe(1.5);
  });
});
