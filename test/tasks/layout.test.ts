// Observation layouts: entries select their slices by name, one value by `name[k]`, and bad names throw naming the entry.
import { describe, expect, it } from 'vitest';
import { HALF_CHEETAH_LAYOUT } from '../../tasks/half-cheetah.ts';
import { checkLayout, entryIndices } from '../../tasks/layout.ts';

describe('entryIndices', () => {
  it('selects whole entries in the order given, and single values with name[k]', () => {
    checkLayout(HALF_CHEETAH_LAYOUT, 17, 'half-cheetah');
    expect(entryIndices(HALF_CHEETAH_LAYOUT, ['root_velocity'])).toEqual([8, 9, 10]);
    expect(entryIndices(HALF_CHEETAH_LAYOUT, ['root_velocity[2]', 'rooty'])).toEqual([10, 1]);
    expect(entryIndices(HALF_CHEETAH_LAYOUT, ['rootz[0]', 'joint_angles[5]'])).toEqual([0, 7]);
  });

  it('throws naming the entry for an unknown name or an index outside it', () => {
    expect(() => entryIndices(HALF_CHEETAH_LAYOUT, ['root_velocity[3]'])).toThrow(/'root_velocity\[3\]': 'root_velocity' has 3 values \(indices 0–2\)/);
    expect(() => entryIndices(HALF_CHEETAH_LAYOUT, ['pitch[0]'])).toThrow(/no observation entry 'pitch'/);
    expect(() => entryIndices(HALF_CHEETAH_LAYOUT, ['root_velocity[-1]'])).toThrow(/no observation entry 'root_velocity\[-1\]'/);
  });
});
