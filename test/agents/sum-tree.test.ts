// The Fenwick tree behind prioritised episode replay: totals after updates, and draws proportional to the weights.
import { describe, expect, it } from 'vitest';
import { SumTree } from '../../agents/sum-tree.ts';
import { Rng } from '../../sim/rng.ts';

describe('SumTree', () => {
  it('keeps the total through updates and maps each prefix interval to its index', () => {
    const tree = new SumTree(5);
    [1, 0, 2, 3, 0.5].forEach((w, i) => tree.set(i, w));
    tree.set(3, 4);
    expect(tree.total()).toBeCloseTo(7.5, 12);
    expect([0, 0.99, 1, 2.99, 3, 6.99, 7, 7.49].map((u) => tree.find(u))).toEqual([0, 0, 2, 2, 3, 3, 4, 4]);
    expect(() => tree.set(1, -1)).toThrow(/≥ 0/);
  });

  it('draws indices in proportion to their weights and never a zero weight', () => {
    const weights = [0, 1, 0, 6, 3, 0, 0], tree = new SumTree(weights.length), rng = new Rng(2), counts = weights.map(() => 0);
    weights.forEach((w, i) => tree.set(i, w));
    for (let k = 0; k < 20_000; k++) counts[tree.find(rng.uniform() * tree.total())]!++;
    weights.forEach((w, i) => expect(Math.abs(counts[i]! / 20_000 - w / 10)).toBeLessThan(0.015));
  });
});
