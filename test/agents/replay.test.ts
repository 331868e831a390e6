// The replay buffer: declared row layout, ring overwrite, seeded uniform sampling, save/load round trip.
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ReplayBuffer, transitionLayout } from '../../agents/replay.ts';

const dir = mkdtempSync(join(tmpdir(), 'paddock-replay-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function filled(capacity: number, rows: number, seed = 1): ReplayBuffer {
  const b = new ReplayBuffer(transitionLayout(2, 1), capacity, seed);
  for (let i = 0; i < rows; i++) b.add({ obs: [i, -i], action: [i / 10], reward: [i], nextObs: [i + 1, -i - 1], terminated: [i % 2] });
  return b;
}

describe('replay buffer', () => {
  it('stores rows in one Float32Array with the declared layout and overwrites the oldest when full', () => {
    const b = filled(3, 5);
    expect(b.rowSize).toBe(2 + 1 + 1 + 2 + 1);
    expect(b.data.length).toBe(3 * b.rowSize);
    expect(b.size).toBe(3);
    const rewards = [0, 1, 2].map((r) => b.data[r * b.rowSize + b.offsets.reward!]);
    expect(rewards.sort()).toEqual([2, 3, 4]);
  });

  it('samples whole rows uniformly, the same ones for the same seed', () => {
    const a = filled(100, 100, 7), b = filled(100, 100, 7);
    const out = a.allocateBatch(5000), out2 = b.allocateBatch(5000);
    a.sample(5000, out);
    b.sample(5000, out2);
    expect(out.reward).toEqual(out2.reward);
    for (let i = 0; i < 5000; i++) {
      const r = out.reward![i]!;
      expect(out.obs![2 * i]).toBe(r);
      expect(out.nextObs![2 * i + 1]).toBe(-r - 1);
      expect(out.terminated![i]).toBe(r % 2);
    }
    const mean = out.reward!.reduce((s, v) => s + v, 0) / 5000;
    expect(Math.abs(mean - 49.5)).toBeLessThan(2.5);
  });

  it('samples only the most recent rows when asked, across the ring wrap', () => {
    const b = filled(10, 13), out = b.allocateBatch(2000);
    b.sampleRecent(2000, 4, out);
    const seen = new Set(out.reward);
    expect([...seen].sort((a, b) => a - b)).toEqual([9, 10, 11, 12]);
    b.sampleRecent(2000, 50, out);
    expect(new Set(out.reward).size).toBe(10);
    expect(Math.min(...out.reward!)).toBe(3);
  });

  it('saves and loads exactly, including the sampling state, and rejects a mismatched or damaged file', () => {
    const a = filled(50, 30, 3);
    a.sample(10, a.allocateBatch(10));
    a.save(join(dir, 'r.bin'));
    const b = new ReplayBuffer(transitionLayout(2, 1), 50, 99);
    b.load(join(dir, 'r.bin'));
    expect(b.size).toBe(30);
    expect(b.data).toEqual(a.data);
    const x = a.allocateBatch(20), y = b.allocateBatch(20);
    a.sample(20, x);
    b.sample(20, y);
    expect(y.obs).toEqual(x.obs);
    expect(() => new ReplayBuffer(transitionLayout(3, 1), 50, 0).load(join(dir, 'r.bin'))).toThrow(/layout or capacity/);
    writeFileSync(join(dir, 'bad.bin'), '{"format":"nope"}\n');
    expect(() => b.load(join(dir, 'bad.bin'))).toThrow(/replay header\.format/);
  });
});
