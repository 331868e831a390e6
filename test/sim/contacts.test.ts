// Contact forces, touch sensors and pushes on simple scenes.
import { describe, expect, it } from 'vitest';
import { indexOf } from '../../sim/model.ts';
import { worldFromAsset, worldFromXml } from '../support/sim.ts';

describe('contacts', () => {
  for (const solverIterations of [1, 4, 8]) it(`a box resting on the floor feels its weight (${solverIterations} solver iterations)`, async () => {
    const world = await worldFromAsset('test/box_drop.xml', { solverIterations });
    world.step(Math.round(2 / world.dt));
    const box = indexOf(world.model.bodies, 'box', 'body');
    const f = world.contactForces().subarray(box * 3, box * 3 + 3);
    expect(f[2]).toBeGreaterThan(9.81 * 0.95);
    expect(f[2]).toBeLessThan(9.81 * 1.05);
    expect(Math.hypot(f[0]!, f[1]!)).toBeLessThan(0.5);
    world.free();
  });

  it('touch sites on the cheetah feet add up to its weight when standing still', async () => {
    const world = await worldFromAsset('half_cheetah.xml', { timestep: 0.01 });
    world.step(500);
    const touches = world.model.sensors.filter((s) => s.type === 'touch');
    expect(touches.length).toBeGreaterThan(0);
    const values = world.sensors();
    let offset = 0;
    let total = 0;
    for (const s of world.model.sensors) {
      if (s.type === 'touch') total += values[offset]!;
      offset += s.dim;
    }
    expect(total / (14 * 9.81)).toBeGreaterThan(0.8);
    expect(total / (14 * 9.81)).toBeLessThan(1.2);
    world.free();
  });
});

describe('pushes', () => {
  const FLOATING = `<mujoco><option gravity="0 0 0" timestep="0.01"/><worldbody>
    <body name="b" pos="0 0 1"><freejoint/><geom type="box" size=".1 .2 .3" mass="2"/></body></worldbody></mujoco>`;

  it('an impulse changes the body momentum by the impulse', async () => {
    const world = await worldFromXml(FLOATING);
    world.applyImpulse(1, [3, -1, 2]);
    world.step();
    const v = [0, 0, 0];
    world.bodyVelocity(1, v);
    expect(v.map((x) => x * 2)).toEqual([expect.closeTo(3, 3), expect.closeTo(-1, 3), expect.closeTo(2, 3)]);
    world.free();
  });

  it('an off-centre impulse also spins the body', async () => {
    const world = await worldFromXml(FLOATING);
    world.applyImpulse(1, [0, 1, 0], [0.1, 0, 1]);
    world.step();
    const w = [0, 0, 0];
    world.bodyVelocity(1, [0, 0, 0], w);
    expect(w[2]).toBeGreaterThan(0.1);
    world.free();
  });

  it('a held force for 0.5 s gives momentum F·t, and a drag spring pulls the body to the target', async () => {
    const world = await worldFromXml(FLOATING);
    world.applyForce(1, [4, 0, 0], 0.5);
    world.step(100);
    const v = [0, 0, 0];
    world.bodyVelocity(1, v);
    expect(v[0]! * 2).toBeCloseTo(2, 2);
    world.setState([0, 0, 1, 1, 0, 0, 0], new Float64Array(6));
    world.drag(1, [0, 0, 1], [0.5, 0, 1]);
    world.step(300);
    const p = [0, 0, 0];
    world.bodyPose(1, p);
    expect(p[0]).toBeCloseTo(0.5, 2);
    expect(world.dragForce()[0]).toBeCloseTo(0, 1);
    world.free();
  });
});
