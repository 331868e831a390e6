// Loads every robot/scene file under assets/ in the official MuJoCo WASM build and checks it is physically sensible.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  ASSETS,
  OBJ,
  allFinite,
  dist,
  id,
  initMujoco,
  readAsset,
  step,
  totalMass,
  vec3,
  withModel,
  type Mujoco,
} from './mujoco-harness.ts';

let mj: Mujoco;

beforeAll(async () => {
  mj = await initMujoco();
});

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
