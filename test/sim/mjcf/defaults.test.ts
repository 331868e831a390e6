// Default classes: nesting, childclass scoping, explicit class, partial array overrides, shared actuator defaults.
import { describe, expect, it } from 'vitest';
import { indexOf } from '../../../sim/model.ts';
import { loadMjcf } from '../../../sim/mjcf/index.ts';
import { mujocoCompile } from './mujoco.ts';

const XML = `<mujoco>
  <compiler angle="radian"/>
  <default>
    <joint damping="1" armature="0.1"/>
    <geom friction="0.7" rgba="0 0 1 1" size="0.05 0.3"/>
    <motor ctrlrange="-1 1"/>
    <default class="leg">
      <joint damping="5" range="-1 1"/>
      <geom rgba="1 0 0 1" contype="2"/>
      <site size="0.02"/>
      <default class="foot">
        <joint stiffness="3"/>
        <geom friction="1.5 0.01"/>
        <position kp="40"/>
      </default>
    </default>
  </default>
  <worldbody>
    <body name="torso">
      <freejoint/>
      <geom name="torso_geom" type="capsule"/>
      <body name="thigh" childclass="leg">
        <joint name="hip"/>
        <geom name="thigh_geom" type="capsule" size="0.04"/>
        <site name="thigh_site"/>
        <body name="foot" childclass="foot">
          <joint name="ankle" damping="7"/>
          <geom name="foot_geom" type="sphere"/>
          <geom name="plain_geom" class="main" type="sphere"/>
        </body>
      </body>
    </body>
  </worldbody>
  <actuator>
    <motor name="hip_motor" joint="hip"/>
    <position name="ankle_servo" class="foot" joint="ankle"/>
    <motor name="ankle_motor" class="foot" joint="ankle"/>
  </actuator>
</mujoco>`;

describe('default classes', () => {
  const model = loadMjcf(XML);
  const joint = (name: string) => model.joints[indexOf(model.joints, name, 'joint')]!;
  const geom = (name: string) => model.geoms[indexOf(model.geoms, name, 'geom')]!;
  const actuator = (name: string) => model.actuators[indexOf(model.actuators, name, 'actuator')]!;

  it('applies main to elements outside any childclass', () => {
    expect(geom('torso_geom')).toMatchObject({ size: [0.05, 0.3], rgba: [0, 0, 1, 1], friction: [0.7, 0.005, 0.0001], contype: 1 });
  });

  it('childclass applies to the body subtree and inherits from the parent class', () => {
    expect(joint('hip')).toMatchObject({ damping: 5, armature: 0.1, range: [-1, 1], stiffness: 0 });
    expect(geom('thigh_geom')).toMatchObject({ rgba: [1, 0, 0, 1], contype: 2, friction: [0.7, 0.005, 0.0001] });
    expect(model.sites[0]!.size).toEqual([0.02, 0.005, 0.005]);
  });

  it('nested childclass overrides the outer one; element attributes override the class', () => {
    expect(joint('ankle')).toMatchObject({ damping: 7, stiffness: 3, armature: 0.1, range: [-1, 1] });
    expect(geom('foot_geom')).toMatchObject({ rgba: [1, 0, 0, 1], friction: [1.5, 0.01, 0.0001], size: [0.05] });
  });

  it('an explicit class attribute beats the childclass', () => {
    expect(geom('plain_geom')).toMatchObject({ rgba: [0, 0, 1, 1], contype: 1 });
  });

  it('size values override the class size only up to the number given (as MuJoCo)', async () => {
    expect(geom('thigh_geom').size).toEqual([0.04, 0.3]);
    const mj = await mujocoCompile(XML);
    expect(mj.geom_size.slice(3, 5)).toEqual([0.04, 0.3]);
  });

  it('freejoint ignores joint defaults', () => {
    expect(model.joints[0]).toMatchObject({ type: 'free', damping: 0, armature: 0 });
  });

  it('motor and position share one actuator default per class', () => {
    expect(actuator('hip_motor')).toMatchObject({ type: 'motor', ctrlrange: [-1, 1], kp: 0 });
    expect(actuator('ankle_servo')).toMatchObject({ type: 'position', ctrlrange: [-1, 1], kp: 40, kv: 0 });
    expect(actuator('ankle_motor')).toMatchObject({ type: 'motor', kp: 0, gear: 1 });
  });
});
