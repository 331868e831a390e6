// Actuation, limits and long-run stability of Rapier worlds built from MJCF.
import { describe, expect, it } from 'vitest';
import { Rng } from '../../sim/rng.ts';
import { ROBOT_FILES } from '../../sim/presets.ts';
import { worldForRobot, worldFromXml } from '../support/sim.ts';
import type { SimWorld } from '../../sim/world.ts';

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

  it('names motors it must apply in JS beside a spring or damper in the plan warnings', async () => {
    const sprung = await worldFromXml(`<mujoco><worldbody><body name="rod"><joint name="free_spin" axis="0 1 0" stiffness="5"/>
      <geom type="box" pos=".2 0 0" size=".2 .02 .02" mass="1"/></body></worldbody>
      <actuator><motor joint="free_spin" gear="2"/></actuator></mujoco>`);
    expect(sprung.plan.warnings.join('\n')).toMatch(/joint 'free_spin': its motor torque is applied in JS/);
    sprung.free();
    for (const robot of ['half-cheetah', 'quadruped']) {
      const world = await worldForRobot(robot);
      expect(world.plan.warnings.filter((w) => w.includes('motor torque'))).toEqual([]);
      world.free();
    }
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

/** Largest amount (rad or m) by which any limited joint is outside its range. */
function worstBreach(world: SimWorld): number {
  const q = world.qpos();
  let worst = 0;
  for (const j of world.model.joints) {
    if (j.range) worst = Math.max(worst, j.range[0] - q[j.qposAdr]!, q[j.qposAdr]! - j.range[1]);
  }
  return worst;
}

/** Controls at the ends of each actuator's ctrlrange (or ±1 when unlimited). */
function extremeControls(world: SimWorld, side: 0 | 1): number[] {
  return world.model.actuators.map((a) => (a.ctrlrange ?? [-1, 1])[side]);
}

/** Puts every limited joint inside its range (the published ant starts with its ankles outside). */
function startInRange(world: SimWorld): void {
  const q = world.qpos();
  for (const j of world.model.joints) if (j.range) q[j.qposAdr] = Math.min(j.range[1], Math.max(j.range[0], q[j.qposAdr]!));
  world.setState(q);
}

/**
 * Random controls: uniform over each ctrlrange for the torque-driven robots; for the arm's
 * position servos, targets within ±0.5 rad of the ready pose (full-range targets drive the hand
 * into the table; that case is measured in docs/sim.md).
 */
function randomControls(robot: string, world: SimWorld, rng: Rng, q0: Float64Array, out: Float64Array): void {
  world.model.actuators.forEach((a, k) => {
    const [lo, hi] = a.ctrlrange ?? [-1, 1];
    const joint = world.model.joints[a.joint]!;
    if (robot !== 'arm' || joint.type === 'slide') out[k] = rng.range(lo, hi);
    else out[k] = Math.min(hi, Math.max(lo, q0[joint.qposAdr]! + rng.range(-0.5, 0.5)));
  });
}

for (const robot of Object.keys(ROBOT_FILES)) {
  describe(`limits and stability: ${robot} at its default preset`, () => {
    it('joint limits hold under full control (breach < 0.1 rad)', async () => {
      const world = await worldForRobot(robot);
      startInRange(world);
      for (const side of [1, 0] as const) {
        world.setControl(extremeControls(world, side));
        for (let i = 0; i < Math.round(2 / world.dt); i++) {
          world.step();
          expect(worstBreach(world)).toBeLessThan(0.1);
        }
      }
      world.free();
    });

    it('10k steps of random controls: finite, joints within 1 cm, energy bounded', async () => {
      const world = await worldForRobot(robot);
      startInRange(world);
      const q0 = world.qpos();
      const rng = new Rng(3);
      const ctrl = new Float64Array(world.model.actuators.length);
      const perControl = Math.max(1, Math.round(0.05 / world.dt));
      let worstSeparation = 0;
      let maxKinetic = 0;
      for (let i = 0; i < 10_000; i++) {
        if (i % perControl === 0) {
          randomControls(robot, world, rng, q0, ctrl);
          world.setControl(ctrl);
        }
        world.step();
        worstSeparation = Math.max(worstSeparation, world.maxJointSeparation());
        maxKinetic = Math.max(maxKinetic, world.energy().kinetic);
      }
      expect(world.qpos().every(Number.isFinite)).toBe(true);
      expect(worstSeparation).toBeLessThan(0.01);
      expect(maxKinetic).toBeLessThan(1000);
      world.free();
    });
  });
}
