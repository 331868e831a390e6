// WarmupSchedule: the stage at a step, the inputs it reads, its input noise, and which inputs a later stage reads for the first time.
import { describe, expect, it } from 'vitest';
import { WarmupSchedule } from '../../agents/diayn-warmup.ts';

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
