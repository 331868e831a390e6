// Actuation, limits and long-run stability of Rapier worlds built from MJCF.
import { describe, expect, it } from 'vitest';
import { Rng } from '../../sim/rng.ts';
import { SIM_PRESETS } from '../../sim/presets.ts';
import { worldFromAsset, worldFromXml } from '../support/sim.ts';

const hingeModel = (armature: number) => `<mujoco><option gravity="0 0 0" timestep="0.005"/><worldbody>
  <body name="rod" pos="0 0 1"><joint name="j" axis="0 1 0" armature="${armature}"/>
    <geom type="box" pos=".25 0 0" size=".25 .02 .02" mass="2"/></body></worldbody>
  <actuator><motor name="m" joint="j" gear="3" ctrlrange="-1 1"/></actuator></mujoco>`;

describe('actuators', () => {
  it('a hinge motor accelerates its joint by torque / inertia (incl. armature)', async () => {
    for (const armature of [0, 0.1]) {
      const world = await worldFromXml(hingeModel(armature));
      const inertia = (2 * (0.5 ** 2 + 0.04 ** 2)) / 12 + 2 * 0.25 ** 2 + armature;
      world.setControl([-0.5]);
      world.step(20);
      const accel = world.qvel()[0]! / world.time;
      expect(Math.sign(accel)).toBe(-1);
      expect(Math.abs(accel / (-1.5 / inertia) - 1)).toBeLessThan(0.1);
      world.free();
    }
  });

  it('a slide motor accelerates its body by force / mass', async () => {
    const world = await worldFromXml(`<mujoco><option gravity="0 0 0" timestep="0.005"/><worldbody>
      <body name="cart"><joint name="s" type="slide" axis="1 0 0"/><geom type="box" size=".1 .1 .1" mass="4"/></body></worldbody>
      <actuator><motor joint="s" gear="10"/></actuator></mujoco>`);
    world.setControl([1]);
    world.step(40);
    expect(world.qvel()[0]! / world.time).toBeCloseTo(2.5, 1);
    world.free();
  });

  it('a position servo drives its joint to the commanded angle', async () => {
    const world = await worldFromXml(`<mujoco><option gravity="0 0 0" timestep="0.005"/><worldbody>
      <body name="rod"><joint name="j" axis="0 0 1" damping="2"/><geom type="box" pos=".2 0 0" size=".2 .02 .02" mass="1"/></body></worldbody>
      <actuator><position joint="j" kp="50" ctrlrange="-2 2"/></actuator></mujoco>`);
    world.setControl([0.7]);
    world.step(1000);
    expect(world.qpos()[0]).toBeCloseTo(0.7, 3);
    world.free();
  });
});

describe('limits and stability on the half-cheetah', () => {
  const settings = SIM_PRESETS['half-cheetah']![0]!.settings;

  it('joint limits hold under full torque (breach < 0.1 rad)', async () => {
    const world = await worldFromAsset('half_cheetah.xml', settings);
    for (const sign of [1, -1]) {
      world.setControl(new Array(6).fill(sign));
      for (let i = 0; i < 200; i++) {
        world.step();
        const q = world.qpos();
        for (const j of world.model.joints) {
          if (!j.range) continue;
          const v = q[j.qposAdr]!;
          expect(Math.max(j.range[0] - v, v - j.range[1]), `${j.name} at ${v}`).toBeLessThan(0.1);
        }
      }
    }
    world.free();
  });

  it('10k steps of random torques: finite, joints together, energy bounded', async () => {
    const world = await worldFromAsset('half_cheetah.xml', settings);
    const rng = new Rng(3);
    const ctrl = new Float64Array(6);
    let worstSeparation = 0;
    let maxKinetic = 0;
    for (let i = 0; i < 10_000; i++) {
      if (i % 5 === 0) {
        for (let k = 0; k < 6; k++) ctrl[k] = rng.range(-1, 1);
        world.setControl(ctrl);
      }
      world.step();
      worstSeparation = Math.max(worstSeparation, world.maxJointSeparation());
      maxKinetic = Math.max(maxKinetic, world.energy().kinetic);
    }
    expect(world.qpos().every(Number.isFinite)).toBe(true);
    expect(worstSeparation).toBeLessThan(0.01);
    expect(maxKinetic).toBeLessThan(2000);
    world.free();
  });
});
