// Door goal marker: the scene carries the door's hinge from the model, and the ghost pose at an angle is where the simulation puts the door at that angle.
import { describe, expect, it } from 'vitest';
import { makeEnv } from '../../tasks/index.ts';
import { DOOR_HINGE, DOOR_WIDTH, DoorTask } from '../../tasks/door.ts';
import { describeScene } from '../../viewer/scene.ts';
import { hingePose } from '../../viewer/hinge.ts';
import { parseServerMessage } from '../../viewer/protocol.ts';
import { add, rotate, type Quat, type Vec3 } from '../../sim/math.ts';

describe('door ghost marker', () => {
  it('describes the hinge of the door body: anchor on the hinge line, vertical axis, closed pose', async () => {
    const env = await makeEnv('door', {});
    const scene = describeScene(env);
    const h = scene.goal!.hinge!;
    expect(scene.bodies[h.body]!.name).toBe('door');
    h.anchor.forEach((v, k) => expect(v).toBeCloseTo(DOOR_HINGE[k]!, 9));
    expect(h.axis).toEqual([0, 0, 1]);
    expect(h.ref).toBe(0);
    const panel = scene.bodies[h.body]!.geoms.find((g) => g.type === 'box')!;
    expect(panel.size[1]! * 2, 'panel width (m)').toBeCloseTo(DOOR_WIDTH, 9);
    const msg = { type: 'scene', id: 1, mode: 'play', task: 'door', policy: 'zero', ...scene, skills: null, posterior: null, steps: null };
    expect(parseServerMessage(JSON.stringify(msg))).toEqual({ ok: true, msg: JSON.parse(JSON.stringify(msg)) });
    expect(describeScene(await makeEnv('arm-reach', {})).goal!.hinge, 'a point goal has no hinge').toBeNull();
    env.close();
  });

  it('puts the ghost where the simulation puts the door at the same hinge angle', async () => {
    const env = await makeEnv('door', {});
    if (!(env instanceof DoorTask)) throw new Error('door should be a DoorTask');
    env.reset({ seed: 0 });
    const h = describeScene(env).goal!.hinge!;
    const world = env.world;
    const pos = [0, 0, 0], quat = [1, 0, 0, 0], simPos = [0, 0, 0], simQuat = [1, 0, 0, 0];
    for (const angle of [0, 0.4, 1.1, 1.7]) {
      const qpos = world.qpos();
      qpos[env.hingeQ] = angle;
      world.setState(qpos);
      world.bodyPose(h.body, simPos, simQuat);
      hingePose(h, angle, pos, quat);
      pos.forEach((v, k) => expect(v, `position ${k} at ${angle} rad`).toBeCloseTo(simPos[k]!, 5));
      const sign = Math.sign(quat[0]! * simQuat[0]! + quat[3]! * simQuat[3]!) || 1;
      quat.forEach((v, k) => expect(v, `quaternion ${k} at ${angle} rad`).toBeCloseTo(sign * simQuat[k]!, 5));
    }
    const panel = describeScene(env).bodies[h.body]!.geoms.find((g) => g.type === 'box')!;
    hingePose(h, Math.PI / 2, pos, quat);
    const centre = add(pos as Vec3, rotate(quat as Quat, panel.pos));
    expect(centre[0], 'the panel of a door open 90° swings toward −x (the arm)').toBeCloseTo(DOOR_HINGE[0] - DOOR_WIDTH / 2, 6);
    expect(centre[1], 'and sits on the hinge side').toBeCloseTo(DOOR_HINGE[1] + 0.01, 6);
    env.close();
  });
});
