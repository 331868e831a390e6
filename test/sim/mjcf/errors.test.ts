// Malformed MJCF: every rejection names the element path and the attribute at fault.
import { describe, expect, it } from 'vitest';
import { loadMjcf, MjcfError } from '../../../sim/mjcf/index.ts';

/** A minimal valid document around `body` (inside worldbody) and `extra` (after worldbody). */
const doc = (body: string, extra = '', head = ''): string =>
  `<mujoco>${head}<worldbody>${body}</worldbody>${extra}</mujoco>`;

const hinged = (inner: string): string => `<body name="b"><joint name="j"/><geom size="0.1"/>${inner}</body>`;

/** Asserts that loading throws an MjcfError with this path, field and message fragment. */
function rejects(xml: string, path: string, field: string | undefined, fragment: string): void {
  let caught: unknown;
  try {
    loadMjcf(xml);
  } catch (e) {
    caught = e;
  }
  expect(caught).toBeInstanceOf(MjcfError);
  const error = caught as MjcfError;
  expect(error.path).toBe(path);
  expect(error.field).toBe(field);
  const where = field === undefined ? path : `${path}.${field}`;
  expect(error.message).toContain(`${where}: `);
  expect(error.message).toContain(fragment);
}

describe('malformed models', () => {
  it('capsule with one size number', () => {
    rejects(doc('<body name="bthigh"><geom type="capsule" size="0.1"/></body>'), 'worldbody/body[bthigh]/geom[0]', 'size',
      'capsule needs 2 numbers (radius, half-length), got 1');
  });
  it('too many size numbers', () => {
    rejects(doc('<geom size="1 2 3 4"/>'), 'worldbody/geom[0]', 'size', 'got 4');
  });
  it('negative radius', () => {
    rejects(doc('<geom name="ball" size="-0.1"/>'), 'worldbody/geom[ball]', 'size', 'must be positive');
  });
  it('unknown geom type', () => {
    rejects(doc('<geom type="cone" size="1"/>'), 'worldbody/geom[0]', 'type', "got 'cone'");
  });
  it('mesh geoms are not supported', () => {
    rejects(doc('<geom type="mesh" mesh="m"/>'), 'worldbody/geom[0]', 'type', "got 'mesh'");
  });
  it('unknown attribute', () => {
    rejects(doc(hinged('<geom size="0.1" bouncy="yes"/>')), 'worldbody/body[b]/geom[1]', 'bouncy', 'unknown attribute');
  });
  it('unknown element', () => {
    rejects(doc(hinged(''), '<tendon/>'), 'tendon', undefined, 'unsupported element <tendon>');
    rejects(doc(hinged('<composite type="grid"/>')), 'worldbody/body[b]/composite[0]', undefined, 'unsupported element <composite>');
    rejects(doc(hinged(''), '<contact/>'), 'contact', undefined, 'unsupported element <contact>');
    rejects(doc(hinged(''), '<include file="x.xml"/>'), 'include', undefined, 'unsupported element <include>');
  });
  it('zero quaternion', () => {
    rejects(doc('<body name="b" quat="0 0 0 0"><geom size="1"/></body>'), 'worldbody/body[b]', 'quat', 'zero quaternion');
  });
  it('quaternion with the wrong length', () => {
    rejects(doc('<body name="b" quat="1 0 0"><geom size="1"/></body>'), 'worldbody/body[b]', 'quat', 'needs 4 numbers');
  });
  it('zero joint axis', () => {
    rejects(doc('<body name="b"><joint name="hip" axis="0 0 0"/><geom size="1"/></body>'), 'worldbody/body[b]/joint[hip]', 'axis',
      'zero vector');
  });
  it('joint range with lo > hi', () => {
    rejects(doc('<body name="b"><joint range="30 -30"/><geom size="1"/></body>'), 'worldbody/body[b]/joint[0]', 'range',
      'lo must be less than hi');
  });
  it('actuator naming a missing joint', () => {
    rejects(doc(hinged(''), '<actuator><motor name="m" joint="knee"/></actuator>'), 'actuator/motor[m]', 'joint',
      "no joint named 'knee'");
  });
  it('duplicate body name', () => {
    rejects(doc('<body name="a"><geom size="1"/></body><body name="a"><geom size="1"/></body>'), 'worldbody/body[a]', 'name',
      "duplicate body name 'a'");
  });
  it('fromto capsule without a radius', () => {
    rejects(doc('<geom type="capsule" fromto="0 0 0 0 0 1"/>'), 'worldbody/geom[0]', 'size', 'capsule with fromto needs 1 number (radius), got 0');
  });
  it('global coordinates', () => {
    rejects(doc(hinged(''), '', '<compiler coordinate="global"/>'), 'compiler', 'coordinate', 'global coordinates are not supported');
  });
  it('non-numeric value', () => {
    rejects(doc('<body name="b" pos="0 zero 1"><geom size="1"/></body>'), 'worldbody/body[b]', 'pos', "expected a number, got 'zero'");
  });
  it('unknown default class', () => {
    rejects(doc('<body name="b"><geom class="missing" size="1"/></body>'), 'worldbody/body[b]/geom[0]', 'class',
      "unknown default class 'missing'");
    rejects(doc('<body name="b" childclass="nope"><geom size="1"/></body>'), 'worldbody/body[b]', 'childclass',
      "unknown default class 'nope'");
  });
  it('bad values inside a default class name the default', () => {
    rejects(doc(hinged(''), '', '<default><default class="leg"><joint damping="-1"/></default></default>'),
      'default/default[leg]/joint[0]', 'damping', 'must be non-negative');
  });
  it('several orientation specifiers', () => {
    rejects(doc('<body name="b" euler="0 0 1" quat="1 0 0 0"><geom size="1"/></body>'), 'worldbody/body[b]', 'euler',
      'multiple orientation specifiers');
  });
  it('unknown enum value and bad boolean', () => {
    rejects(doc(hinged(''), '', '<compiler angle="gradian"/>'), 'compiler', 'angle', "expected one of degree, radian; got 'gradian'");
    rejects(doc(hinged(''), '', '<compiler autolimits="yes"/>'), 'compiler', 'autolimits', "got 'yes'");
  });
  it('range without autolimits', () => {
    rejects(doc('<body name="b"><joint range="-1 1"/><geom size="1"/></body>', '', '<compiler autolimits="false"/>'),
      'worldbody/body[b]/joint[0]', 'range', 'autolimits is false');
  });
  it('ball joint range must start at 0', () => {
    rejects(doc('<body name="b"><joint type="ball" range="-10 10"/><geom size="1"/></body>'), 'worldbody/body[b]/joint[0]', 'range',
      "'0 max-angle'");
  });
  it('missing required attributes', () => {
    rejects(doc(hinged(''), '<actuator><motor/></actuator>'), 'actuator/motor[0]', 'joint', 'required attribute is missing');
    rejects(doc('<body name="b"><inertial mass="1"/></body>'), 'worldbody/body[b]/inertial[0]', 'pos', 'required attribute is missing');
  });
  it('free joint below the top level', () => {
    rejects(doc(`<body name="a"><geom size="1"/><body name="c"><freejoint/><geom size="1"/></body></body>`), 'worldbody/body[a]/body[c]/freejoint[0]',
      undefined, 'top-level bodies');
  });
  it('massless moving body', () => {
    rejects(doc('<body name="b"><joint/></body>'), 'worldbody/body[b]', undefined, 'positive mass and inertia');
  });
  it('plane on a moving body', () => {
    rejects(doc('<body name="b"><joint/><geom size="1"/><geom type="plane" size="1 1 1"/></body>'), 'worldbody/body[b]/geom[1]', 'type',
      'static bodies');
  });
  it('fromto on a sphere, and pos together with fromto', () => {
    rejects(doc('<geom type="sphere" size="1" fromto="0 0 0 1 0 0"/>'), 'worldbody/geom[0]', 'fromto', 'capsule, cylinder or box');
    rejects(doc('<geom type="capsule" size="1" fromto="0 0 0 1 0 0" pos="1 0 0"/>'), 'worldbody/geom[0]', 'pos', 'both pos and fromto');
  });
  it('inertia violating the triangle inequality', () => {
    rejects(doc('<body name="b"><joint/><inertial pos="0 0 0" mass="1" diaginertia="1 1 3"/></body>'), 'worldbody/body[b]/inertial[0]',
      'diaginertia', 'A + B >= C');
  });
  it('sensor on a missing site, and jointpos on a ball joint', () => {
    rejects(doc(hinged(''), '<sensor><touch name="t" site="foot"/></sensor>'), 'sensor/touch[t]', 'site', "no site named 'foot'");
    rejects(doc('<body name="b"><joint name="j" type="ball"/><geom size="1"/></body>', '<sensor><jointpos joint="j"/></sensor>'),
      'sensor/jointpos[0]', 'joint', 'ball joint');
  });
  it('malformed XML and the wrong root', () => {
    rejects('<mujoco><worldbody></mujoco>', '', undefined, 'malformed XML at line 1');
    rejects('<robot/>', '', undefined, 'root element must be <mujoco>');
  });
  it('prefixes the source name', () => {
    expect(() => loadMjcf(doc('<geom size="-1"/>'), { source: 'cheetah.xml' })).toThrow(/^cheetah\.xml: worldbody\/geom\[0\]\.size: /);
  });
});
