// Body masses, centres of mass and inertias against MuJoCo WASM (within 1e-6 relative).
import { describe, expect, it } from 'vitest';
import { quatToMat, rotateDiagonal, type Quat, type Vec3 } from '../../../sim/math.ts';
import { loadMjcf } from '../../../sim/mjcf/index.ts';
import { mujocoCompile, row } from './mujoco.ts';

const REL = 1e-6;

function expectClose(actual: number, expected: number, scale: number): void {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(REL * Math.max(Math.abs(expected), scale, 1e-12));
}

/** Full inertia tensor in the body frame from principal moments and frame (convention-free comparison). */
const tensor = (inertia: number[], iquat: number[]) => rotateDiagonal(quatToMat(iquat as Quat), inertia as Vec3);

/** Compares every non-world body's mass, ipos, sorted inertia and body-frame tensor with MuJoCo. */
async function compareWithMujoco(xml: string): Promise<void> {
  const model = loadMjcf(xml);
  const mj = await mujocoCompile(xml);
  expect(model.bodies.length).toBe(mj.body_mass.length);
  model.bodies.forEach((body, b) => {
    expectClose(body.mass, mj.body_mass[b]!, 0);
    const scale = Math.max(...row(mj.body_inertia, b, 3));
    body.ipos.forEach((v, i) => expectClose(v, row(mj.body_ipos, b, 3)[i]!, 1));
    const sorted = [...body.inertia].sort((x, y) => x - y);
    const mjSorted = row(mj.body_inertia, b, 3).sort((x, y) => x - y);
    sorted.forEach((v, i) => expectClose(v, mjSorted[i]!, scale));
    const ours = tensor(body.inertia, body.iquat);
    const theirs = tensor(row(mj.body_inertia, b, 3), row(mj.body_iquat, b, 4));
    ours.forEach((v, i) => expectClose(v, theirs[i]!, scale));
  });
}

describe('mass properties vs MuJoCo', () => {
  it('one geom of each type', async () => {
    const shapes = [
      '<geom type="sphere" size="0.13"/>', '<geom type="capsule" size="0.046 0.3"/>', '<geom type="cylinder" size="0.2 0.05"/>',
      '<geom type="box" size="0.1 0.25 0.4"/>', '<geom type="capsule" fromto="0 0 0 0.3 0.1 -0.2" size="0.04"/>',
      '<geom type="box" size="3 2 1" euler="10 20 30"/>',
    ];
    const bodies = shapes.map((g, i) => `<body pos="${i} 0 0"><joint/>${g}</body>`).join('');
    await compareWithMujoco(`<mujoco><worldbody>${bodies}</worldbody></mujoco>`);
  });

  it('several offset and rotated geoms combined with the parallel-axis theorem', async () => {
    await compareWithMujoco(`<mujoco><worldbody>
      <body name="torso" pos="0 0 1"><freejoint/>
        <geom type="capsule" fromto="-0.5 0 0 0.5 0 0" size="0.046"/>
        <geom type="capsule" pos="0.6 0 0.1" axisangle="0 1 0 0.87" size="0.046 0.15" density="500"/>
        <geom type="box" pos="0 0.2 -0.1" size="0.05 0.1 0.02" euler="30 0 45" mass="2"/>
        <geom type="sphere" pos="-0.3 -0.1 0" size="0.05"/>
        <body name="thigh" pos="-0.5 0 0"><joint axis="0 1 0"/>
          <geom type="capsule" pos="0.1 0 -0.13" axisangle="0 1 0 -3.8" size="0.046 0.145"/>
          <geom type="cylinder" fromto="0 0 0 0 0.1 -0.3" size="0.03"/>
        </body>
      </body></worldbody></mujoco>`);
  });

  it('explicit inertial: diaginertia with a frame, fullinertia diagonalised', async () => {
    await compareWithMujoco(`<mujoco><worldbody>
      <body><joint/><geom size="0.1"/><inertial pos="0.1 0.2 0.3" mass="2" diaginertia="1 2 2.5" euler="10 20 30"/></body>
      <body><joint/><inertial pos="1 2 3" mass="2" fullinertia="2 2 3 0.1 0.2 0.3"/></body>
      <body><joint/><inertial pos="0 0 0" mass="1" fullinertia="2 2 3 0 0 0"/></body>
    </worldbody></mujoco>`);
  });

  it('inertiafromgeom true overrides inertial; false ignores geoms of static bodies', async () => {
    const body = '<body><joint/><geom type="box" size="0.1 0.2 0.3"/><inertial pos="0 0 0" mass="5" diaginertia="1 1 1"/></body>';
    await compareWithMujoco(`<mujoco><compiler inertiafromgeom="true"/><worldbody>${body}</worldbody></mujoco>`);
    await compareWithMujoco(`<mujoco><compiler inertiafromgeom="false"/><worldbody>${body}<body><geom size="1"/></body></worldbody></mujoco>`);
    const warned = loadMjcf(`<mujoco><compiler inertiafromgeom="true"/><worldbody>${body}</worldbody></mujoco>`).warnings;
    expect(warned.some((w) => w.startsWith('worldbody/body[0]/inertial[0]'))).toBe(true);
  });

  it('settotalmass scales masses and inertias', async () => {
    const xml = `<mujoco><compiler settotalmass="10"/><worldbody><geom size="1"/>
      <body><joint/><geom type="box" size="3 2 1"/><geom size="1" pos="1 1 1"/></body>
      <body><geom type="box" size="3 2 1"/></body></worldbody></mujoco>`;
    await compareWithMujoco(xml);
    const model = loadMjcf(xml);
    expect(model.bodies.reduce((s, b) => s + b.mass, 0)).toBeCloseTo(10, 12);
    const geomMass = model.geoms.filter((g) => g.body !== 0).reduce((s, g) => s + g.mass, 0);
    expect(geomMass).toBeCloseTo(10, 12);
  });

  it('geom mass is density × volume (capsule = cylinder + sphere), or the given mass; planes are massless', () => {
    const m = loadMjcf(`<mujoco><worldbody><geom type="plane" size="1 1 1"/>
      <body><joint/><geom type="capsule" size="0.1 0.5" density="2"/><geom size="0.1" mass="3"/></body></worldbody></mujoco>`);
    expect(m.geoms[0]!.mass).toBe(0);
    expect(m.geoms[1]!.mass).toBeCloseTo(2 * (Math.PI * 0.01 * 1 + (4 / 3) * Math.PI * 0.001), 12);
    expect(m.geoms[2]!.mass).toBe(3);
    expect(m.bodies[0]!.mass).toBe(0);
  });

  it('principal frames are proper rotations with unit quaternions', () => {
    const m = loadMjcf(`<mujoco><worldbody><body><joint/><geom type="box" size="0.1 0.2 0.3" pos="0 0 1"/>
      <geom type="cylinder" size="0.1 0.2" pos="0.3 0 1" euler="0 90 0"/></body></worldbody></mujoco>`);
    const q = m.bodies[1]!.iquat;
    expect(Math.hypot(...q)).toBeCloseTo(1, 12);
    expect(m.bodies[1]!.inertia[0]).toBeGreaterThanOrEqual(m.bodies[1]!.inertia[1]);
  });
});
