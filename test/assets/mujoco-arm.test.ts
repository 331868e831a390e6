// arm.xml, cabinet.xml and the two composed, in the MuJoCo WASM build: structure, servo tracking, grasping and door opening.
import { beforeAll, describe, expect, it } from 'vitest';
import {
  OBJ,
  allFinite,
  composeArmCabinet,
  dist,
  id,
  initMujoco,
  makeIK,
  moveTo,
  readAsset,
  step,
  totalMass,
  vec3,
  withModel,
  type Mujoco,
  type Vec3,
} from './mujoco-harness.ts';

let mj: Mujoco;

beforeAll(async () => {
  mj = await initMujoco();
});

describe('arm.xml', () => {
  const xml = readAsset('arm.xml');

  it('has 7 arm joints, 2 fingers, a free object and 9 position servos', () => {
    withModel(xml, (m, d) => {
      expect(m.nq).toBe(16);
      expect(m.nv).toBe(15);
      expect(m.nu).toBe(9);
      const arm = totalMass(m, id(m, OBJ.body, 'base'), id(m, OBJ.body, 'right_finger'));
      expect(arm).toBeGreaterThan(15);
      expect(arm).toBeLessThan(20);
      expect(m.body_mass[id(m, OBJ.body, 'object')]).toBeCloseTo(0.1, 9);
      // servo ctrlrange equals the joint range, and qpos0 (the ready pose) is inside it
      for (let a = 0; a < m.nu; a++) {
        const j = m.actuator_trnid[2 * a];
        expect(m.actuator_ctrlrange[2 * a]).toBeCloseTo(m.jnt_range[2 * j], 9);
        expect(m.actuator_ctrlrange[2 * a + 1]).toBeCloseTo(m.jnt_range[2 * j + 1], 9);
        const q = d.qpos[m.jnt_qposadr[j]];
        expect(q).toBeGreaterThanOrEqual(m.jnt_range[2 * j]);
        expect(q).toBeLessThanOrEqual(m.jnt_range[2 * j + 1]);
      }
    });
  });

  it('starts in the ready pose with the grip site above the table, pointing down', () => {
    withModel(xml, (m, d) => {
      mj.mj_forward(m, d);
      const ready = [0, -Math.PI / 4, 0, (-3 * Math.PI) / 4, 0, Math.PI / 2, Math.PI / 4];
      ready.forEach((q, i) => expect(d.qpos[i]).toBeCloseTo(q, 6));
      const grip = vec3(d.site_xpos, id(m, OBJ.site, 'grip'));
      expect(grip[0]).toBeCloseTo(0.307, 3);
      expect(grip[1]).toBeCloseTo(0, 6);
      expect(grip[2]).toBeCloseTo(0.887, 3);
      const hand = id(m, OBJ.body, 'hand');
      expect(d.xmat[9 * hand + 8]).toBeCloseTo(-1, 6); // hand z (approach) points down
    });
  });

  it('holds the end effector within 2 cm for 2 s under gravity with ctrl = current joint positions', () => {
    withModel(xml, (m, d) => {
      mj.mj_forward(m, d);
      for (let a = 0; a < m.nu; a++) d.ctrl[a] = d.qpos[m.jnt_qposadr[m.actuator_trnid[2 * a]]];
      const site = id(m, OBJ.site, 'grip');
      const start = vec3(d.site_xpos, site);
      let worst = 0;
      for (let i = 0; i < 1000; i++) {
        mj.mj_step(m, d);
        worst = Math.max(worst, dist(vec3(d.site_xpos, site), start));
      }
      expect(worst).toBeLessThan(0.02);
      expect(Math.max(...Array.from(d.qvel as Float64Array).slice(0, 9).map(Math.abs))).toBeLessThan(1e-3);
    });
  });

  it('tracks a large multi-joint position command', () => {
    withModel(xml, (m, d) => {
      const target = [1.5, 0.5, -1, -1.2, 1.5, 2.5, -2];
      target.forEach((q, i) => (d.ctrl[i] = q));
      step(m, d, 1500);
      expect(allFinite(d.qpos)).toBe(true);
      target.forEach((q, i) => expect(Math.abs(d.qpos[i] - q)).toBeLessThan(0.03));
    });
  });

  it('opens and closes the gripper', () => {
    withModel(xml, (m, d) => {
      for (let a = 0; a < 7; a++) d.ctrl[a] = d.qpos[a];
      d.ctrl[7] = d.ctrl[8] = 0.04;
      step(m, d, 250);
      expect(d.qpos[7]).toBeGreaterThan(0.038);
      expect(d.qpos[8]).toBeGreaterThan(0.038);
      mj.mj_forward(m, d);
      const l = vec3(d.xpos, id(m, OBJ.body, 'left_finger'));
      const r = vec3(d.xpos, id(m, OBJ.body, 'right_finger'));
      expect(dist(l, r)).toBeCloseTo(0.08, 3);
      expect(l[1]).toBeGreaterThan(r[1]); // left finger is on the +y side in the ready pose
      d.ctrl[7] = d.ctrl[8] = 0;
      step(m, d, 250);
      expect(d.qpos[7]).toBeLessThan(0.002);
      expect(d.qpos[8]).toBeLessThan(0.002);
    });
  });

  it('rests the object box on the table', () => {
    withModel(xml, (m, d) => {
      for (let a = 0; a < 7; a++) d.ctrl[a] = d.qpos[a];
      const obj = id(m, OBJ.body, 'object');
      step(m, d, 1000);
      const p = vec3(d.xpos, obj);
      expect(p[0]).toBeCloseTo(0.5, 3);
      expect(p[1]).toBeCloseTo(0, 3);
      expect(Math.abs(p[2] - 0.425)).toBeLessThan(0.002);
      expect(d.xmat[9 * obj + 8]).toBeGreaterThan(0.999);
    });
  });

  it('can grasp a cube from above and lift it', () => {
    withModel(xml, (m, d) => {
      const kin = new mj.MjData(m);
      try {
        const grip = id(m, OBJ.site, 'grip');
        const hand = id(m, OBJ.body, 'hand');
        const ik = makeIK(m, kin, grip, hand);
        const q0 = Array.from(d.qpos as Float64Array).slice(0, 7);
        const above = ik.solve(q0, [0.5, 0, 0.55], 'down');
        const at = ik.solve(above.q, [0.5, 0, 0.43], 'down');
        expect(above.pos + at.pos).toBeLessThan(1e-3);
        const obj = id(m, OBJ.body, 'object');
        d.ctrl[7] = d.ctrl[8] = 0.04;
        moveTo(m, d, q0, above.q, 400);
        moveTo(m, d, above.q, at.q, 400);
        step(m, d, 250);
        d.ctrl[7] = d.ctrl[8] = 0;
        step(m, d, 300);
        expect(d.qpos[7]).toBeGreaterThan(0.015); // fingers stopped by the 5 cm cube
        moveTo(m, d, at.q, above.q, 500);
        step(m, d, 250);
        expect(d.xpos[3 * obj + 2]).toBeGreaterThan(0.5);
      } finally {
        kin.delete();
      }
    });
  });
});

describe('cabinet.xml', () => {
  const xml = readAsset('cabinet.xml');

  it('loads alone: one hinge, no actuators, handle site where documented', () => {
    withModel(xml, (m, d) => {
      expect(m.nq).toBe(1);
      expect(m.nu).toBe(0);
      mj.mj_forward(m, d);
      const door = id(m, OBJ.body, 'door');
      const hinge = id(m, OBJ.joint, 'door_hinge');
      expect(m.jnt_range[2 * hinge]).toBe(0);
      expect(m.jnt_range[2 * hinge + 1]).toBeCloseTo((100 * Math.PI) / 180, 5);
      expect(vec3(d.xpos, door).map((x) => +x.toFixed(6))).toEqual([0.75, -0.22, 0.732]);
      expect(vec3(d.xanchor, hinge).map((x) => +x.toFixed(6))).toEqual([0.75, -0.22, 0.732]);
      expect(vec3(d.site_xpos, id(m, OBJ.site, 'handle')).map((x) => +x.toFixed(6))).toEqual([0.705, 0.16, 0.732]);
      expect(d.ncon).toBe(0);
    });
  });

  it('stays shut with no load', () => {
    withModel(xml, (m, d) => {
      step(m, d, 1000);
      expect(Math.abs(d.qpos[0])).toBeLessThan(1e-6);
    });
  });

  it('swings open under a torque, stops at 100 degrees, and closes back to 0', () => {
    withModel(xml, (m, d) => {
      d.qfrc_applied[0] = 2;
      let max = 0;
      for (let i = 0; i < 2000; i++) {
        mj.mj_step(m, d);
        max = Math.max(max, d.qpos[0]);
      }
      const hi = (100 * Math.PI) / 180;
      expect(d.qpos[0]).toBeGreaterThan(hi - 0.03);
      expect(max).toBeLessThan(hi + 0.03);
      d.qfrc_applied[0] = -2;
      let min = Infinity;
      for (let i = 0; i < 2000; i++) {
        mj.mj_step(m, d);
        min = Math.min(min, d.qpos[0]);
      }
      expect(d.qpos[0]).toBeLessThan(0.03);
      expect(min).toBeGreaterThan(-0.03);
    });
  });

  it('opens outward (toward -x) when the handle is pulled toward the arm', () => {
    withModel(xml, (m, d) => {
      const door = id(m, OBJ.body, 'door');
      const handle = id(m, OBJ.site, 'handle');
      mj.mj_forward(m, d);
      const p0 = vec3(d.site_xpos, handle);
      for (let i = 0; i < 500; i++) {
        // 5 N along -x at the handle, as a world-frame force applied at the door's COM plus the matching torque
        const h = vec3(d.site_xpos, handle);
        const c = vec3(d.xipos, door);
        const r: Vec3 = [h[0] - c[0], h[1] - c[1], h[2] - c[2]];
        const f: Vec3 = [-5, 0, 0];
        const t: Vec3 = [r[1] * f[2] - r[2] * f[1], r[2] * f[0] - r[0] * f[2], r[0] * f[1] - r[1] * f[0]];
        for (let k = 0; k < 3; k++) {
          d.xfrc_applied[6 * door + k] = f[k];
          d.xfrc_applied[6 * door + 3 + k] = t[k];
        }
        mj.mj_step(m, d);
      }
      expect(d.qpos[0]).toBeGreaterThan(0.3);
      expect(d.site_xpos[3 * handle]).toBeLessThan(p0[0] - 0.05);
    });
  });
});

describe('arm.xml + cabinet.xml composed', () => {
  const xml = composeArmCabinet();

  it('loads with no initial contacts between the arm, the cabinet and the door', () => {
    const settle = (m: any, d: any): number => {
      for (let a = 0; a < 7; a++) d.ctrl[a] = d.qpos[a];
      step(m, d, 10);
      return d.ncon as number;
    };
    const armAlone = withModel(readAsset('arm.xml'), settle);
    withModel(xml, (m, d) => {
      expect(m.nq).toBe(17);
      expect(armAlone).toBe(4); // the cube's bottom face on the table
      expect(settle(m, d)).toBe(armAlone);
    });
  });

  it('lets the gripper reach the handle, hook it and pull the door open', () => {
    withModel(xml, (m, d) => {
      const kin = new mj.MjData(m);
      try {
        const grip = id(m, OBJ.site, 'grip');
        const hand = id(m, OBJ.body, 'hand');
        const handle = id(m, OBJ.site, 'handle');
        const doorQ = m.jnt_qposadr[id(m, OBJ.joint, 'door_hinge')];
        const ik = makeIK(m, kin, grip, hand);
        mj.mj_forward(m, d);
        const H = vec3(d.site_xpos, handle);
        const q0 = Array.from(d.qpos as Float64Array).slice(0, 7);
        const pre = ik.best(q0, [H[0] - 0.12, H[1], H[2]], 'forward');
        const at = ik.solve(pre.q, H, 'forward');
        expect(pre.pos).toBeLessThan(1e-3);
        expect(at.pos).toBeLessThan(1e-3);
        expect(at.ori).toBeLessThan(1e-3);
        // start at the pre-grasp pose with the fingers open, move in, close, then follow the handle's arc
        for (let i = 0; i < 7; i++) d.qpos[i] = d.ctrl[i] = pre.q[i];
        d.qpos[7] = d.qpos[8] = d.ctrl[7] = d.ctrl[8] = 0.04;
        step(m, d, 250);
        moveTo(m, d, pre.q, at.q, 500);
        step(m, d, 250);
        d.ctrl[7] = d.ctrl[8] = 0;
        step(m, d, 250);
        const hinge: [number, number] = [0.75, -0.22];
        const radius = Math.hypot(H[0] - hinge[0], H[1] - hinge[1]);
        const a0 = Math.atan2(H[1] - hinge[1], H[0] - hinge[0]);
        let q = at.q;
        for (let k = 1; k <= 60; k++) {
          const a = a0 + (k * 1.2) / 60;
          const next = ik.solve(q, [hinge[0] + radius * Math.cos(a), hinge[1] + radius * Math.sin(a), H[2]], 'none').q;
          moveTo(m, d, q, next, 20);
          q = next;
        }
        step(m, d, 250);
        expect(allFinite(d.qpos)).toBe(true);
        expect(d.qpos[doorQ]).toBeGreaterThan(0.6);
      } finally {
        kin.delete();
      }
    });
  });
});
