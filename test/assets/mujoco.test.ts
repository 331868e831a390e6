// Loads every robot/scene file under assets/ in the official MuJoCo WASM build and checks it is physically sensible.
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import loadMujoco from '@mujoco/mujoco';
import { beforeAll, describe, expect, it } from 'vitest';

const ASSETS = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'assets');
const readAsset = (name: string): string => readFileSync(join(ASSETS, name), 'utf8');

// mjtObj values used with mj_name2id.
const OBJ = { body: 1, joint: 3, geom: 5, site: 6, actuator: 19 } as const;

type Mujoco = Awaited<ReturnType<typeof loadMujoco>>;
let mj: Mujoco;

beforeAll(async () => {
  mj = await loadMujoco();
});

/** Loads an XML string, hands model and data to `fn`, and frees both afterwards. */
function withModel<T>(xml: string, fn: (m: any, d: any) => T): T {
  const m = mj.MjModel.from_xml_string(xml);
  const d = new mj.MjData(m);
  try {
    return fn(m, d);
  } finally {
    d.delete();
    m.delete();
  }
}

const id = (m: any, type: number, name: string): number => {
  const i = mj.mj_name2id(m, type, name);
  if (i < 0) throw new Error(`no object ${name} of type ${type}`);
  return i;
};
type Vec3 = [number, number, number];
/** The i-th 3-vector of a MuJoCo array view (xpos, site_xpos, ...). */
const vec3 = (a: any, i: number): Vec3 => [a[3 * i], a[3 * i + 1], a[3 * i + 2]];
const dist = (a: Vec3, b: Vec3): number => Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]);
const step = (m: any, d: any, n: number): void => {
  for (let i = 0; i < n; i++) mj.mj_step(m, d);
};
const allFinite = (a: ArrayLike<number>): boolean => Array.from(a).every(Number.isFinite);
const totalMass = (m: any, first = 1, last = m.nbody - 1): number => {
  let s = 0;
  for (let b = first; b <= last; b++) s += m.body_mass[b];
  return s;
};

/** Merges the children of the cabinet's worldbody into the arm's worldbody (how tasks compose the scene). */
function composeArmCabinet(): string {
  const arm = readAsset('arm.xml');
  const cab = readAsset('cabinet.xml');
  const open = '<worldbody>';
  const inner = cab.slice(cab.indexOf(open) + open.length, cab.indexOf('</worldbody>'));
  return arm.replace('</worldbody>', `${inner}</worldbody>`);
}

const FILES = [
  'half_cheetah.xml',
  'ant.xml',
  'arm.xml',
  'cabinet.xml',
  'test/pendulum.xml',
  'test/box_drop.xml',
];

// The MJCF subset Paddock's loader accepts: element -> allowed attributes.
const BODY_POSE = ['pos', 'quat', 'euler', 'axisangle'];
const SUBSET: Record<string, string[]> = {
  mujoco: ['model'],
  compiler: ['angle', 'inertiafromgeom', 'settotalmass', 'autolimits'],
  option: ['timestep', 'gravity'],
  default: ['class'],
  worldbody: [],
  body: ['name', 'childclass', ...BODY_POSE],
  inertial: ['pos', 'mass', 'diaginertia'],
  geom: ['name', 'class', 'type', 'size', 'fromto', 'density', 'mass', 'friction', 'contype', 'conaffinity', 'rgba', ...BODY_POSE],
  site: ['name', 'class', 'pos', 'size', 'rgba'],
  joint: ['name', 'class', 'type', 'pos', 'axis', 'range', 'limited', 'damping', 'armature', 'stiffness', 'springref', 'ref'],
  freejoint: ['name'],
  actuator: [],
  motor: ['name', 'class', 'joint', 'gear', 'ctrlrange', 'ctrllimited', 'forcerange'],
  position: ['name', 'class', 'joint', 'kp', 'kv', 'ctrlrange', 'forcerange'],
  sensor: [],
  jointpos: ['name', 'joint'],
  jointvel: ['name', 'joint'],
  framepos: ['name', 'objtype', 'objname'],
  touch: ['name', 'site'],
};

describe('asset files', () => {
  it('holds every file this suite checks', () => {
    const top = readdirSync(ASSETS).filter((f) => f.endsWith('.xml'));
    const test = readdirSync(join(ASSETS, 'test')).filter((f) => f.endsWith('.xml')).map((f) => `test/${f}`);
    expect([...top, ...test]).toEqual(expect.arrayContaining(FILES));
  });

  for (const file of FILES) {
    describe(file, () => {
      const xml = readAsset(file);

      it('starts with a one-line comment header', () => {
        expect(xml.split('\n')[0]).toMatch(/^<!-- .+ -->$/);
      });

      it('uses only the MJCF subset Paddock loads', () => {
        const body = xml.replace(/<!--[\s\S]*?-->/g, '');
        const problems: string[] = [];
        for (const tag of body.matchAll(/<([A-Za-z_]\w*)([^>]*?)\/?>/g)) {
          const name = tag[1] ?? '';
          const attrs = tag[2] ?? '';
          const allowed = SUBSET[name];
          if (!allowed) {
            problems.push(`element <${name}>`);
            continue;
          }
          for (const a of attrs.matchAll(/([A-Za-z_]\w*)\s*=/g)) {
            const attr = a[1] ?? '';
            if (!allowed.includes(attr)) problems.push(`<${name} ${attr}=…>`);
          }
        }
        expect(problems).toEqual([]);
      });

      it('compiles in MuJoCo and steps to a finite state', () => {
        withModel(xml, (m, d) => {
          step(m, d, 10);
          expect(allFinite(d.qpos)).toBe(true);
          expect(allFinite(d.qvel)).toBe(true);
        });
      });
    });
  }
});

describe('half_cheetah.xml', () => {
  const xml = readAsset('half_cheetah.xml');

  it('has the published structure: 9 dofs, 6 motors, 14 kg', () => {
    withModel(xml, (m) => {
      expect(m.nq).toBe(9);
      expect(m.nv).toBe(9);
      expect(m.nu).toBe(6);
      expect(totalMass(m)).toBeCloseTo(14, 6);
      expect(m.opt.timestep).toBeCloseTo(0.01, 12);
      const gears = Array.from({ length: 6 }, (_, i) => m.actuator_gear[6 * i]);
      expect(gears).toEqual([120, 90, 60, 120, 60, 30]);
      for (const name of ['rootx', 'rootz', 'rooty']) {
        const j = id(m, OBJ.joint, name);
        // (jnt_limited is a byte array the WASM bindings cannot expose; unlimited joints have range 0 0)
        expect([m.jnt_range[2 * j], m.jnt_range[2 * j + 1]]).toEqual([0, 0]);
        expect(m.dof_damping[m.jnt_dofadr[j]]).toBe(0);
        expect(m.dof_armature[m.jnt_dofadr[j]]).toBe(0);
        expect(m.jnt_stiffness[j]).toBe(0);
      }
      const bthigh = id(m, OBJ.joint, 'bthigh');
      expect(m.jnt_stiffness[bthigh]).toBe(240);
      expect(m.dof_damping[m.jnt_dofadr[bthigh]]).toBe(6);
      expect(m.dof_armature[m.jnt_dofadr[bthigh]]).toBeCloseTo(0.1, 12);
      expect([m.jnt_range[2 * bthigh], m.jnt_range[2 * bthigh + 1]]).toEqual([-0.52, 1.05]);
    });
  });

  it('settles on the floor with zero control and stays finite for 10 s', () => {
    withModel(xml, (m, d) => {
      const torso = id(m, OBJ.body, 'torso');
      for (let i = 0; i < 1000; i++) {
        mj.mj_step(m, d);
        if (!allFinite(d.qpos)) throw new Error(`non-finite state at t=${d.time}`);
      }
      const z = d.xpos[3 * torso + 2];
      expect(z).toBeGreaterThan(0.2);
      expect(z).toBeLessThan(0.8);
      expect(Math.abs(d.qvel[1])).toBeLessThan(0.05);
      // both feet carry the weight: touch sensors sum to m g
      const touch = d.sensordata[m.nsensordata - 2] + d.sensordata[m.nsensordata - 1];
      expect(touch).toBeGreaterThan(0.8 * 14 * 9.81);
      expect(touch).toBeLessThan(1.2 * 14 * 9.81);
    });
  });
});

describe('ant.xml', () => {
  const xml = readAsset('ant.xml');

  it('has the published structure: free torso, 8 motors of gear 150, density 5', () => {
    withModel(xml, (m) => {
      expect(m.nq).toBe(15);
      expect(m.nv).toBe(14);
      expect(m.nu).toBe(8);
      for (let i = 0; i < 8; i++) expect(m.actuator_gear[6 * i]).toBe(150);
      expect(totalMass(m)).toBeGreaterThan(0.85);
      expect(totalMass(m)).toBeLessThan(0.95);
      const ankle1 = id(m, OBJ.joint, 'ankle_1');
      expect(m.jnt_range[2 * ankle1]).toBeCloseTo((30 * Math.PI) / 180, 9);
      expect(m.jnt_range[2 * ankle1 + 1]).toBeCloseTo((70 * Math.PI) / 180, 9);
    });
  });

  it('settles upright with zero control', () => {
    withModel(xml, (m, d) => {
      const torso = id(m, OBJ.body, 'torso');
      step(m, d, 500);
      expect(allFinite(d.qpos)).toBe(true);
      const z = d.xpos[3 * torso + 2];
      expect(z).toBeGreaterThan(0.2);
      expect(z).toBeLessThan(1.0);
      expect(d.xmat[9 * torso + 8]).toBeGreaterThan(0.95); // torso z axis still points up
    });
  });
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

describe('test/pendulum.xml', () => {
  const xml = readAsset('test/pendulum.xml');

  it('has the moment of inertia the geometry implies', () => {
    withModel(xml, (m, d) => {
      mj.mj_forward(m, d);
      // ball: 2/5 m r^2 + m l^2; rod (0.95 m, 0.01 kg): ~ m L^2 / 3
      const analytic = 0.4 * 1 * 0.05 ** 2 + 1 * 1 ** 2 + (0.01 * 0.95 ** 2) / 3;
      expect(Math.abs(d.M[0] - analytic) / analytic).toBeLessThan(1e-4);
      expect(m.body_mass[1]).toBeCloseTo(1.01, 9);
    });
  });

  it('swings with the small-amplitude period 2π√(I/(m g l)) within 1%', () => {
    withModel(xml, (m, d) => {
      d.qpos[0] = 0.02;
      mj.mj_forward(m, d);
      const inertia = d.M[0];
      const mass = m.body_subtreemass[1];
      const l = dist(vec3(d.xanchor, 0), vec3(d.subtree_com, 1));
      const g = -m.opt.gravity[2];
      const expected = 2 * Math.PI * Math.sqrt(inertia / (mass * g * l));
      // time upward zero crossings of the angle, interpolated within the step
      const crossings: number[] = [];
      let prev = d.qpos[0];
      while (d.time < 10) {
        mj.mj_step(m, d);
        const q = d.qpos[0];
        if (prev < 0 && q >= 0) crossings.push(d.time - m.opt.timestep * (q / (q - prev)));
        prev = q;
      }
      expect(crossings.length).toBeGreaterThan(4);
      const period = (crossings[crossings.length - 1]! - crossings[0]!) / (crossings.length - 1);
      expect(Math.abs(period - expected) / expected).toBeLessThan(0.01);
      expect(expected).toBeCloseTo(2.0053, 3);
    });
  });
});

describe('test/box_drop.xml', () => {
  it('falls onto the plane and comes to rest on its face', () => {
    withModel(readAsset('test/box_drop.xml'), (m, d) => {
      const box = id(m, OBJ.body, 'box');
      step(m, d, 1500);
      expect(d.xpos[3 * box + 2]).toBeGreaterThan(0.095);
      expect(d.xpos[3 * box + 2]).toBeLessThan(0.101);
      expect(Math.hypot(d.qvel[0], d.qvel[1], d.qvel[2])).toBeLessThan(1e-3);
    });
  });
});

// ---------------------------------------------------------------------------------------------
// helpers for the arm: joint-space interpolation and a small damped-least-squares IK on MuJoCo kinematics

/** Ramps the first 7 servo targets from `from` to `to` over `steps` physics steps. */
function moveTo(m: any, d: any, from: number[], to: number[], steps: number): void {
  for (let s = 1; s <= steps; s++) {
    for (let i = 0; i < 7; i++) d.ctrl[i] = from[i]! + ((to[i]! - from[i]!) * s) / steps;
    mj.mj_step(m, d);
  }
}

type IKMode = 'down' | 'forward' | 'none';
interface IKResult {
  q: number[];
  /** Remaining position error, m. */
  pos: number;
  /** Remaining (weighted) orientation error. */
  ori: number;
}

/** Solves A x = b for a small dense square system (Gaussian elimination with partial pivoting). */
function solveDense(A: number[][], b: number[]): number[] {
  const n = b.length;
  const M = A.map((row, i) => [...row, b[i]!]);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(M[r]![c]!) > Math.abs(M[p]![c]!)) p = r;
    [M[c], M[p]] = [M[p]!, M[c]!];
    const pivot = M[c]!;
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const row = M[r]!;
      const f = row[c]! / pivot[c]!;
      for (let k = c; k <= n; k++) row[k] = row[k]! - f * pivot[k]!;
    }
  }
  return M.map((row, i) => row[n]! / row[i]!);
}

/**
 * IK for the 7 arm joints on a scratch MjData: site position to a target plus an optional hand orientation.
 * 'down': hand z (approach) along -z world, fingers closing horizontally.
 * 'forward': hand z along +x world, fingers closing horizontally (to straddle a vertical bar).
 */
function makeIK(m: any, kin: any, site: number, hand: number) {
  const residual = (q: number[], target: Vec3, mode: IKMode): number[] => {
    for (let i = 0; i < 7; i++) kin.qpos[i] = q[i];
    mj.mj_kinematics(m, kin);
    const p = vec3(kin.site_xpos, site);
    const R = kin.xmat;
    const o = 9 * hand;
    const z: Vec3 = [R[o + 2], R[o + 5], R[o + 8]];
    const x: Vec3 = [R[o], R[o + 3], R[o + 6]];
    const e = [p[0] - target[0], p[1] - target[1], p[2] - target[2]];
    const w = 0.3;
    if (mode === 'down') e.push(w * z[0], w * z[1], w * (z[2] + 1), w * x[2]);
    if (mode === 'forward') e.push(w * (z[0] - 1), w * z[1], w * z[2], w * x[0], w * x[1]);
    return e;
  };
  const summarize = (q: number[], target: Vec3, mode: IKMode): IKResult => {
    const e = residual(q, target, mode);
    return { q, pos: Math.hypot(...e.slice(0, 3)), ori: Math.hypot(...e.slice(3)) };
  };
  const solve = (q0: number[], target: Vec3, mode: IKMode): IKResult => {
    const q = q0.slice();
    for (let it = 0; it < 300; it++) {
      const e = residual(q, target, mode);
      if (Math.hypot(...e) < 1e-8) break;
      // J[j][a] = d e_a / d q_j by forward differences
      const J = q.map((_, j) => {
        const dq = q.slice();
        dq[j] = dq[j]! + 1e-6;
        return residual(dq, target, mode).map((v, k) => (v - e[k]!) / 1e-6);
      });
      // damped least squares: dq = -J^T (J J^T + λI)^-1 e
      const A = e.map((_, a) => e.map((_, b) => J.reduce((s, Jj) => s + Jj[a]! * Jj[b]!, a === b ? 1e-4 : 0)));
      const y = solveDense(A, e);
      for (let j = 0; j < 7; j++) {
        const delta = J[j]!.reduce((s, v, a) => s + v * y[a]!, 0);
        const lo = m.jnt_range[2 * j] + 0.02;
        const hi = m.jnt_range[2 * j + 1] - 0.02;
        q[j] = Math.min(hi, Math.max(lo, q[j]! - 0.5 * delta));
      }
    }
    return summarize(q, target, mode);
  };
  /** Like solve, with deterministic random restarts inside the joint ranges. */
  const best = (q0: number[], target: Vec3, mode: IKMode, tries = 60): IKResult => {
    let seed = 1;
    const rnd = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
    let result = solve(q0, target, mode);
    for (let t = 0; t < tries && result.pos + result.ori > 1e-4; t++) {
      const start = q0.map((_, j) => m.jnt_range[2 * j] + (m.jnt_range[2 * j + 1] - m.jnt_range[2 * j]) * rnd());
      const r = solve(start, target, mode);
      if (r.pos + r.ori < result.pos + result.ori) result = r;
    }
    return result;
  };
  return { solve, best };
}
