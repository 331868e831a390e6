// Joint readout: pose robots at known joint values and read them back.
import { describe, expect, it } from 'vitest';
import { Rng } from '../../sim/rng.ts';
import { referenceQpos } from '../../sim/kinematics.ts';
import { maxAbsDiff, worldFromAsset, worldFromXml } from '../support/sim.ts';
import type { SimWorld } from '../../sim/world.ts';

/** Random joint values inside each hinge/slide range (or ±1 when unlimited); free and ball joints kept at rest. */
function randomPose(world: SimWorld, rng: Rng): Float64Array {
  const q = referenceQpos(world.model);
  for (const j of world.model.joints) {
    if (j.type !== 'hinge' && j.type !== 'slide') continue;
    const [lo, hi] = j.range ?? [-1, 1];
    q[j.qposAdr] = rng.range(lo, hi);
  }
  return q;
}

const ASSETS = ['half_cheetah.xml', 'ant.xml', 'arm.xml', 'cabinet.xml'];

describe('joint readout', () => {
  for (const file of ASSETS) {
    it(`reads back posed joint values of ${file} within 1e-4`, async () => {
      const world = await worldFromAsset(file);
      const rng = new Rng(7);
      for (let trial = 0; trial < 5; trial++) {
        const q = randomPose(world, rng);
        const qd = Float64Array.from({ length: world.model.nv }, () => rng.range(-1, 1));
        world.setState(q, qd);
        expect(maxAbsDiff(world.qpos(), q)).toBeLessThan(1e-4);
        expect(maxAbsDiff(world.qvel(), qd)).toBeLessThan(1e-3);
      }
      world.free();
    });
  }

  it('reads free and ball joints in MuJoCo layout', async () => {
    const world = await worldFromXml(`<mujoco><option gravity="0 0 0"/><worldbody>
      <body name="a" pos="0 0 1" euler="10 20 30"><freejoint name="root"/><geom type="box" size=".1 .1 .1"/>
        <body name="b" pos="0 0 -.3"><joint name="ball" type="ball"/><geom type="capsule" fromto="0 0 0 0 0 -.3" size=".03"/></body>
      </body></worldbody></mujoco>`);
    const s = Math.SQRT1_2;
    const q = Float64Array.from([0.3, -0.2, 1.4, s, 0, s, 0, Math.cos(0.2), Math.sin(0.2), 0, 0]);
    const qd = Float64Array.from([0.5, 0, -0.1, 0.2, 0.1, -0.3, 0.4, 0, 0.2]);
    world.setState(q, qd);
    expect(maxAbsDiff(world.qpos(), q)).toBeLessThan(1e-4);
    expect(maxAbsDiff(world.qvel(), qd)).toBeLessThan(1e-4);
    world.free();
  });

  it('unwraps a hinge that turns past π', async () => {
    const world = await worldFromXml(`<mujoco><option gravity="0 0 0" timestep="0.01"/><worldbody>
      <body name="wheel"><joint name="spin" axis="0 0 1"/><geom type="cylinder" size=".2 .05" mass="1"/></body>
      </worldbody></mujoco>`);
    world.setState([0], [2 * Math.PI]);
    for (let i = 0; i < 150; i++) world.step();
    expect(world.qpos()[0]).toBeCloseTo(3 * Math.PI, 2);
    world.free();
  });
});
