// Fidelity against MuJoCo WASM on the same MJCF files: resting height, pendulum period, motor torque against springs and damping.
import { describe, expect, it } from 'vitest';
import { indexOf } from '../../sim/model.ts';
import { SIM_PRESETS } from '../../sim/presets.ts';
import { MujocoSim, loadMujocoModule } from '../../sim/mujoco.ts';
import { assetXml, maxAbsDiff, worldFromXml } from '../support/sim.ts';

/** Times of successive downward zero crossings of a signal sampled every `dt`. */
function period(samples: number[], dt: number): number {
  const crossings: number[] = [];
  for (let i = 1; i < samples.length; i++) {
    const a = samples[i - 1]!, b = samples[i]!;
    if (a > 0 && b <= 0) crossings.push((i - 1 + a / (a - b)) * dt);
  }
  const spans = crossings.slice(1).map((t, i) => t - crossings[i]!);
  return spans.reduce((s, x) => s + x, 0) / spans.length;
}

describe('fidelity against MuJoCo', () => {
  it('the half-cheetah dropped with no control rests at MuJoCo\'s torso height (±2 cm)', async () => {
    const xml = assetXml('half_cheetah.xml');
    const world = await worldFromXml(xml, SIM_PRESETS['half-cheetah']![0]!.settings);
    const mj = new MujocoSim(await loadMujocoModule(), xml);
    const torso = indexOf(world.model.bodies, 'torso', 'body');
    world.step(Math.round(5 / world.dt));
    mj.step(Math.round(5 / mj.dt));
    const pos = [0, 0, 0];
    world.bodyPose(torso, pos);
    const mjHeight = mj.bodyPos(torso)[2];
    expect(Math.abs(pos[2]! - mjHeight), `rapier ${pos[2]} vs mujoco ${mjHeight}`).toBeLessThan(0.02);
    mj.free();
    world.free();
  });

  it('a hinge pendulum swings with MuJoCo\'s period (±2%)', async () => {
    const xml = assetXml('test/pendulum.xml');
    const world = await worldFromXml(xml);
    const mj = new MujocoSim(await loadMujocoModule(), xml);
    const start = 0.2;
    world.setState([start]);
    mj.data.qpos[0] = start;
    const ours: number[] = [];
    const theirs: number[] = [];
    for (let i = 0; i < Math.round(10 / world.dt); i++) {
      world.step();
      mj.step();
      ours.push(world.qpos()[0]!);
      theirs.push(mj.data.qpos[0]!);
    }
    const pOurs = period(ours, world.dt);
    const pTheirs = period(theirs, mj.dt);
    expect(Math.abs(pOurs / pTheirs - 1), `rapier ${pOurs} s vs mujoco ${pTheirs} s`).toBeLessThan(0.02);
    mj.free();
    world.free();
  });

  /** A rod on a hinge in zero gravity, driven by a motor at half its control range (15 N·m). */
  const drivenHinge = (stiffness: number, damping: number, range: string) => `<mujoco><compiler angle="radian"/>
    <option gravity="0 0 0" timestep="0.01"/><worldbody><body name="rod" pos="0 0 1">
      <joint name="j" axis="0 1 0" stiffness="${stiffness}" damping="${damping}" armature="0.1" ${range}/>
      <geom type="box" pos=".25 0 0" size=".25 .02 .02" mass="2"/></body></worldbody>
    <actuator><motor joint="j" gear="30" ctrlrange="-1 1"/></actuator></mujoco>`;

  /** Steps both engines `seconds` with control `u`; returns [rapier, mujoco] (qpos, qvel) of joint 0. */
  async function drive(xml: string, u: number[], seconds: number): Promise<[number, number, number, number]> {
    const world = await worldFromXml(xml, SIM_PRESETS['half-cheetah']![0]!.settings);
    const mj = new MujocoSim(await loadMujocoModule(), xml);
    world.setControl(u);
    mj.setControl(u);
    world.step(Math.round(seconds / world.dt));
    mj.step(Math.round(seconds / mj.dt));
    const out: [number, number, number, number] = [world.qpos()[0]!, world.qvel()[0]!, mj.data.qpos[0]!, mj.data.qvel[0]!];
    mj.free();
    world.free();
    return out;
  }

  it('a motor on a sprung, damped hinge settles at MuJoCo\'s deflection τ/k (±2%)', async () => {
    const [q, , qMj] = await drive(drivenHinge(60, 6, 'range="-1.5 1.5"'), [0.5], 3);
    expect(Math.abs(q / qMj - 1), `rapier ${q} rad vs mujoco ${qMj} rad`).toBeLessThan(0.02);
  });

  it('a motor on a damped hinge reaches MuJoCo\'s speed, on its way to τ/d (±2%)', async () => {
    for (const seconds of [0.2, 1]) {
      const [, v, , vMj] = await drive(drivenHinge(0, 3, ''), [0.5], seconds);
      expect(Math.abs(v / vMj - 1), `after ${seconds} s: rapier ${v} rad/s vs mujoco ${vMj} rad/s`).toBeLessThan(0.02);
    }
  });

  it('the half-cheetah\'s joints under constant controls in zero gravity settle at MuJoCo\'s angles (±0.01 rad)', async () => {
    const xml = assetXml('half_cheetah.xml').replace('gravity="0 0 -9.81"', 'gravity="0 0 0"');
    const world = await worldFromXml(xml, SIM_PRESETS['half-cheetah']![0]!.settings);
    const mj = new MujocoSim(await loadMujocoModule(), xml);
    const u = [0.5, -0.5, 0.5, -0.5, 0.5, -0.5];
    world.setControl(u);
    mj.setControl(u);
    world.step(Math.round(3 / world.dt));
    mj.step(Math.round(3 / mj.dt));
    const ours = world.qpos().slice(3);
    const theirs = Float64Array.from(mj.data.qpos).slice(3);
    expect(maxAbsDiff(ours, theirs), `rapier ${Array.from(ours)} vs mujoco ${Array.from(theirs)}`).toBeLessThan(0.01);
    mj.free();
    world.free();
  });
});
