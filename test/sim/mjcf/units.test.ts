// Angle units, euler sequences, alternative orientations and fromto, checked against MuJoCo WASM where it applies.
import { describe, expect, it } from 'vitest';
import { quatToMat, type Quat } from '../../../sim/math.ts';
import { loadMjcf } from '../../../sim/mjcf/index.ts';
import { mujocoCompile, row } from './mujoco.ts';

/** Rotation matrices agree (quaternion sign is irrelevant). */
function expectSameRotation(actual: Quat, expected: number[]): void {
  const a = quatToMat(actual);
  const e = quatToMat(expected as Quat);
  a.forEach((v, i) => expect(v).toBeCloseTo(e[i]!, 9));
}

const bodyWith = (attrs: string, head = '') =>
  `<mujoco>${head}<worldbody><body name="b" ${attrs}><joint name="j" range="-30 45" ref="10" springref="20"/><geom size="0.1"/></body></worldbody>` +
  `<actuator><position joint="j" ctrlrange="-30 45"/></actuator></mujoco>`;

describe('compiler angle', () => {
  it('degrees (the default) convert hinge range, ref and springref but not ctrlrange', async () => {
    const m = loadMjcf(bodyWith(''));
    const d = Math.PI / 180;
    expect(m.joints[0]!.range![0]).toBeCloseTo(-30 * d, 12);
    expect(m.joints[0]!.range![1]).toBeCloseTo(45 * d, 12);
    expect(m.joints[0]!.ref).toBeCloseTo(10 * d, 12);
    expect(m.joints[0]!.springref).toBeCloseTo(20 * d, 12);
    expect(m.actuators[0]!.ctrlrange).toEqual([-30, 45]);
    const mj = await mujocoCompile(bodyWith(''));
    expect(m.joints[0]!.range![1]).toBeCloseTo(mj.jnt_range[1]!, 12);
  });

  it('radians are used as given', () => {
    const m = loadMjcf(bodyWith('', '<compiler angle="radian"/>'));
    expect(m.joints[0]!.range).toEqual([-30, 45]);
    expect(m.joints[0]!.ref).toBe(10);
  });

  it('slide ranges are never converted', () => {
    const m = loadMjcf('<mujoco><worldbody><body><joint type="slide" range="-2 2"/><geom size="1"/></body></worldbody></mujoco>');
    expect(m.joints[0]!.range).toEqual([-2, 2]);
  });

  it('axisangle angles follow the unit', () => {
    const deg = loadMjcf(bodyWith('axisangle="0 0 1 90"')).bodies[1]!.quat;
    const rad = loadMjcf(bodyWith(`axisangle="0 0 1 ${Math.PI / 2}"`, '<compiler angle="radian"/>')).bodies[1]!.quat;
    expectSameRotation(deg, [Math.SQRT1_2, 0, 0, Math.SQRT1_2]);
    expectSameRotation(rad, [Math.SQRT1_2, 0, 0, Math.SQRT1_2]);
  });
});

describe('orientation vs MuJoCo', () => {
  const sequences = ['xyz', 'XYZ', 'zyx', 'ZYX', 'xYz', 'zxz', 'YxZ', 'yzy'];
  it.each(sequences)('euler with eulerseq=%s', async (seq) => {
    const xml = bodyWith('euler="20 -35 70"', `<compiler eulerseq="${seq}"/>`);
    const mj = await mujocoCompile(xml);
    expectSameRotation(loadMjcf(xml).bodies[1]!.quat, row(mj.body_quat, 1, 4));
  });

  it.each([
    'quat="2 1 0 0.5"', 'axisangle="1 2 3 40"', 'xyaxes="0 1 0 -1 0.3 0"', 'zaxis="1 1 0"', 'zaxis="0 0 -1"',
  ])('%s', async (attr) => {
    const xml = bodyWith(attr);
    const mj = await mujocoCompile(xml);
    expectSameRotation(loadMjcf(xml).bodies[1]!.quat, row(mj.body_quat, 1, 4));
  });
});

describe('fromto', () => {
  const cases = [
    ['capsule', '0 0 0 0 0 1'], ['capsule', '0 0 0 0 0 -1'], ['capsule', '-0.5 0 0 0.5 0 0'],
    ['cylinder', '1 2 3 -1 0 2'], ['box', '0 0 0 0 1 0'], ['box', '0.1 0.2 0.3 0.4 -0.5 0.6'],
  ] as const;
  it.each(cases)('%s from %s matches MuJoCo pos, quat and size', async (type, fromto) => {
    const xml = `<mujoco><worldbody><body><freejoint/><geom type="${type}" size="0.05" fromto="${fromto}"/></body></worldbody></mujoco>`;
    const geom = loadMjcf(xml).geoms[0]!;
    const mj = await mujocoCompile(xml);
    geom.pos.forEach((v, i) => expect(v).toBeCloseTo(mj.geom_pos[i]!, 12));
    expect(geom.quat.map((v, i) => Math.abs(v - mj.geom_quat[i]!)).every((d) => d < 1e-12)).toBe(true);
    geom.size.forEach((v, i) => expect(v).toBeCloseTo(mj.geom_size[i]!, 12));
  });

  it('a capsule along x: midpoint pos, z aligned with the segment, half-length from the points', () => {
    const m = loadMjcf('<mujoco><worldbody><geom type="capsule" fromto="-0.5 0 1 0.5 0 1" size="0.046"/></worldbody></mujoco>');
    const g = m.geoms[0]!;
    expect(g.pos).toEqual([0, 0, 1]);
    expect(g.size).toEqual([0.046, 0.5]);
    const z = quatToMat(g.quat);
    expect(Math.abs(z[2])).toBeCloseTo(1, 12);
  });
});
