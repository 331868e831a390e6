// Fidelity against MuJoCo WASM on the same MJCF files: resting height after a drop, pendulum period.
import { describe, expect, it } from 'vitest';
import { indexOf } from '../../sim/model.ts';
import { SIM_PRESETS } from '../../sim/presets.ts';
import { MujocoSim, loadMujocoModule } from '../../cli/bench/mujoco.ts';
import { assetXml, worldFromXml } from '../support/sim.ts';

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
});
