// Model structure: qpos/qvel addresses vs MuJoCo, body order and naming, options, sensors, and the warnings list.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadMjcf, loadMjcfFile } from '../../../sim/mjcf/index.ts';
import { mujocoCompile } from './mujoco.ts';

const JOINTS = `<mujoco><worldbody>
  <body name="base"><freejoint name="root"/><geom size="0.1"/>
    <body name="shoulder"><joint name="ball" type="ball"/><geom size="0.1"/>
      <body name="elbow"><joint name="hinge" axis="0 1 0"/><joint name="slide" type="slide" axis="1 0 0"/><geom size="0.1"/></body>
    </body>
    <body name="wrist"><joint name="ball2" type="ball"/><geom size="0.1"/></body>
  </body>
  <body name="pendulum"><joint name="swing" axis="0 2 0"/><geom size="0.1"/></body>
  <body name="puck"><joint type="free"/><geom size="0.1"/></body>
</worldbody></mujoco>`;

describe('joint addresses', () => {
  it('match MuJoCo jnt_qposadr, jnt_dofadr, nq and nv', async () => {
    const model = loadMjcf(JOINTS);
    const mj = await mujocoCompile(JOINTS);
    expect(model.joints.map((j) => j.qposAdr)).toEqual(mj.jnt_qposadr);
    expect(model.joints.map((j) => j.dofAdr)).toEqual(mj.jnt_dofadr);
    expect([model.nq, model.nv]).toEqual([mj.nq, mj.nv]);
    expect([model.nq, model.nv]).toEqual([7 + 4 + 1 + 1 + 4 + 1 + 7, 6 + 3 + 1 + 1 + 3 + 1 + 6]);
  });

  it('records types, bodies, normalised axes and auto-names unnamed joints', () => {
    const model = loadMjcf(JOINTS);
    expect(model.joints.map((j) => j.type)).toEqual(['free', 'ball', 'hinge', 'slide', 'ball', 'hinge', 'free']);
    expect(model.joints.map((j) => j.name)).toEqual(['root', 'ball', 'hinge', 'slide', 'ball2', 'swing', 'joint6']);
    expect(model.joints[5]!.axis).toEqual([0, 1, 0]);
    expect(model.bodies.map((b) => b.parent)).toEqual([0, 0, 1, 2, 1, 0, 0]);
    expect(model.bodies[6]!.joints).toEqual([6]);
  });
});

describe('bodies, geoms, sites, actuators, sensors', () => {
  const XML = `<mujoco model="demo"><option timestep="0.005" gravity="0 0 -1"/>
    <worldbody><geom name="floor" type="plane" size="0 0 0.1"/>
      <body name="arm" pos="0 0 1" quat="2 0 0 0"><joint name="j" limited="false" range="-1 1"/><geom size="0.1"/>
        <site name="tip" pos="0 0 0.5" size="0.02"/><site/>
      </body>
    </worldbody>
    <actuator><motor joint="j" gear="50 0 0 0 0 0" forcerange="-3 3"/><position name="servo" joint="j" kp="20" kv="2" ctrllimited="true" ctrlrange="-1 1"/></actuator>
    <sensor><jointpos joint="j"/><jointvel name="jv" joint="j"/><framepos objtype="site" objname="tip"/><framepos site="tip"/><touch site="tip"/></sensor>
  </mujoco>`;
  const model = loadMjcf(XML);

  it('reads model name, option and the world body', () => {
    expect(model.name).toBe('demo');
    expect(model.option).toEqual({ timestep: 0.005, gravity: [0, 0, -1] });
    expect(model.bodies[0]).toMatchObject({ name: 'world', mass: 0, geoms: [0] });
    expect(model.geoms[0]).toMatchObject({ name: 'floor', body: 0, type: 'plane', size: [0, 0, 0.1] });
  });

  it('normalises quaternions and honours limited="false"', () => {
    expect(model.bodies[1]!.quat).toEqual([1, 0, 0, 0]);
    expect(model.joints[0]!.range).toBeNull();
  });

  it('auto-names sites and stores their size', () => {
    expect(model.sites.map((s) => s.name)).toEqual(['tip', 'site1']);
    expect(model.sites[0]!.size).toEqual([0.02, 0.005, 0.005]);
  });

  it('reads motor and position actuators', () => {
    expect(model.actuators).toEqual([
      { name: 'actuator0', type: 'motor', joint: 0, gear: 50, ctrlrange: null, forcerange: [-3, 3], kp: 0, kv: 0 },
      { name: 'servo', type: 'position', joint: 0, gear: 1, ctrlrange: [-1, 1], forcerange: null, kp: 20, kv: 2 },
    ]);
  });

  it('reads sensors with targets and dimensions', () => {
    expect(model.sensors.map((s) => [s.name, s.type, s.target, s.dim])).toEqual([
      ['sensor0', 'jointpos', 0, 1], ['jv', 'jointvel', 0, 1], ['sensor2', 'framepos', 0, 3], ['sensor3', 'framepos', 0, 3],
      ['sensor4', 'touch', 0, 1],
    ]);
  });

  it('uses MuJoCo defaults for everything not given', () => {
    const m = loadMjcf('<mujoco><worldbody><body><joint/><geom size="0.1"/></body></worldbody></mujoco>');
    expect(m.option).toEqual({ timestep: 0.002, gravity: [0, 0, -9.81] });
    expect(m.geoms[0]).toMatchObject({ type: 'sphere', friction: [1, 0.005, 0.0001], contype: 1, conaffinity: 1, rgba: [0.5, 0.5, 0.5, 1] });
    expect(m.joints[0]).toMatchObject({ type: 'hinge', axis: [0, 0, 1], range: null, damping: 0, armature: 0, stiffness: 0 });
    expect(m.bodies[1]!.name).toBe('body1');
  });
});

describe('warnings', () => {
  it('name every element and attribute that is read but not simulated', () => {
    const xml = `<mujoco>
      <option integrator="RK4" cone="elliptic"><flag contact="disable"/></option>
      <size njmax="500"/><visual><quality shadowsize="2048"/></visual><statistic extent="2"/>
      <asset><texture name="t" type="2d" builtin="checker" width="8" height="8"/><material name="m" texture="t"/></asset>
      <default><geom condim="3" solref="0.02 1"/><camera fovy="45"/></default>
      <worldbody><light pos="0 0 3"/><camera name="cam" pos="0 0 1"/>
        <geom name="floor" type="plane" size="1 1 0.1" material="m" group="2" priority="1" margin="0.01" gap="0.001" solimp="0.9 0.95 0.001"/>
        <body name="b"><joint name="j" margin="0.1"/><geom size="0.1"/><site name="s" group="3"/></body>
      </worldbody>
      <sensor><touch site="s" noise="0.1"/></sensor>
    </mujoco>`;
    const { warnings } = loadMjcf(xml);
    const expected = [
      'option.integrator', 'option.cone', 'option/flag[0]: <flag>', 'size: <size>', 'visual: <visual>', 'statistic: <statistic>',
      'asset: <asset>', 'default/geom[0].condim', 'default/geom[0].solref', 'default/camera[0]: <camera>', 'worldbody/light[0]: <light>',
      'worldbody/camera[cam]: <camera>', 'worldbody/geom[floor].material', 'worldbody/geom[floor].group', 'worldbody/geom[floor].priority',
      'worldbody/geom[floor].margin', 'worldbody/geom[floor].gap', 'worldbody/geom[floor].solimp', 'worldbody/body[b]/joint[j].margin',
      'worldbody/body[b]/site[s].group', 'sensor/touch[0].noise',
    ];
    for (const prefix of expected) expect(warnings.some((w) => w.startsWith(prefix)), prefix).toBe(true);
    expect(warnings).toHaveLength(expected.length);
  });

  it('a clean model has no warnings', () => {
    expect(loadMjcf('<mujoco><worldbody><geom size="1"/></worldbody></mujoco>').warnings).toEqual([]);
  });
});

describe('loadMjcfFile', () => {
  it('reads a file and prefixes errors with its name', () => {
    const dir = mkdtempSync(join(tmpdir(), 'paddock-mjcf-'));
    writeFileSync(join(dir, 'good.xml'), '<mujoco model="m"><worldbody><geom size="1"/></worldbody></mujoco>');
    writeFileSync(join(dir, 'bad.xml'), '<mujoco><worldbody><geom size="0"/></worldbody></mujoco>');
    expect(loadMjcfFile(join(dir, 'good.xml')).name).toBe('m');
    expect(() => loadMjcfFile(join(dir, 'bad.xml'))).toThrow(/^bad\.xml: worldbody\/geom\[0\]\.size: sphere radius must be positive/);
  });
});
