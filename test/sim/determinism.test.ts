// Determinism: same model, seed and controls give bit-identical states; snapshots restore exactly.
import { describe, expect, it } from 'vitest';
import { Rng } from '../../sim/rng.ts';
import { worldFromAsset } from '../support/sim.ts';
import type { SimWorld } from '../../sim/world.ts';

function drive(world: SimWorld, seed: number, steps: number): void {
  const rng = new Rng(seed);
  const ctrl = new Float64Array(world.model.actuators.length);
  for (let i = 0; i < steps; i++) {
    for (let k = 0; k < ctrl.length; k++) ctrl[k] = rng.range(-1, 1);
    world.setControl(ctrl);
    world.step(5);
  }
}

describe('determinism', () => {
  for (const file of ['half_cheetah.xml', 'ant.xml']) {
    it(`two ${file} worlds with the same controls stay bit-identical`, async () => {
      const a = await worldFromAsset(file);
      const b = await worldFromAsset(file);
      drive(a, 11, 200);
      drive(b, 11, 200);
      expect(Array.from(a.qpos())).toEqual(Array.from(b.qpos()));
      expect(Array.from(a.qvel())).toEqual(Array.from(b.qvel()));
      a.free();
      b.free();
    });
  }

  it('snapshot then restore replays the same trajectory bit for bit', async () => {
    const world = await worldFromAsset('half_cheetah.xml');
    drive(world, 1, 50);
    const snap = world.snapshot();
    drive(world, 2, 100);
    const first = [...world.qpos(), ...world.qvel(), world.time];
    world.restore(snap);
    drive(world, 2, 100);
    expect([...world.qpos(), ...world.qvel(), world.time]).toEqual(first);
    world.free();
  });

  it('refuses use after free', async () => {
    const world = await worldFromAsset('half_cheetah.xml');
    world.free();
    expect(() => world.step()).toThrow(/freed/);
  });
});
