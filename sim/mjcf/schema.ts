// Attribute schemas of each supported MJCF element, plus the attributes that are read only to be warned about.
import { z } from 'zod';
import {
  axisAngle, bitmask, bool, direction, interval, keyword, name, nonNegatives, numbers, quaternion, real, rgba, tristate, vector,
} from './parse.ts';

/** Attribute schema of one element: every attribute optional unless listed in `required`. */
export interface ElementSpec<S extends Record<string, z.ZodType>> {
  schema: z.ZodObject<{ [K in keyof S]: z.ZodOptional<S[K]> }, z.core.$strict>;
  /** MuJoCo attributes that are accepted but not simulated, with the reason given in the warning. */
  warned: Readonly<Record<string, string>>;
  required: readonly string[];
}

/** The typed attributes an element spec produces. */
export type AttrsOf<T> = T extends ElementSpec<infer S> ? { [K in keyof S]?: z.output<S[K]> } : never;

function spec<S extends Record<string, z.ZodType>>(
  shape: S,
  warned: Record<string, string> = {},
  required: (keyof S & string)[] = [],
): ElementSpec<S> {
  const optional = Object.fromEntries(Object.entries(shape).map(([k, v]) => [k, v.optional()]));
  return { schema: z.strictObject(optional) as ElementSpec<S>['schema'], warned, required };
}

const VISUAL = 'visual only';
const SOLVER = 'contact/solver tuning, not simulated';
const VISUAL_ATTRS = { group: VISUAL, material: VISUAL };
const CONTACT_ATTRS = { condim: SOLVER, margin: SOLVER, gap: SOLVER, solref: SOLVER, solimp: SOLVER, solmix: SOLVER, priority: SOLVER };
const JOINT_SOLVER_ATTRS = { margin: SOLVER, solreflimit: SOLVER, solimplimit: SOLVER, solreffriction: SOLVER, solimpfriction: SOLVER };

const vec3 = vector(3, 'x y z');
const xyaxes = vector(6, 'x axis, y axis').refine((v) => v.slice(0, 3).some((x) => x !== 0) && v.slice(3).some((x) => x !== 0), {
  message: 'axes must not be zero vectors',
});

/** Alternative orientation specifiers; at most one may be given. Angles in compiler units. */
export const ORIENTATION_KEYS = ['quat', 'axisangle', 'euler', 'xyaxes', 'zaxis'] as const;
const orientation = { quat: quaternion, axisangle: axisAngle, euler: vec3, xyaxes, zaxis: direction };
const pose = { pos: vec3, ...orientation };

export const mujocoSpec = spec({ model: z.string() });

export const compilerSpec = spec(
  {
    angle: keyword(['degree', 'radian']),
    inertiafromgeom: tristate,
    settotalmass: real(),
    coordinate: keyword(['local', 'global']).refine((v) => v === 'local', {
      message: "global coordinates are not supported (MuJoCo removed them); use 'local'",
    }),
    eulerseq: z.string().regex(/^[xyzXYZ]{3}$/, { message: 'must be 3 letters from x, y, z, X, Y, Z' }),
    autolimits: bool,
  },
  { meshdir: 'assets unused', texturedir: 'assets unused', assetdir: 'assets unused', discardvisual: VISUAL },
);

const OPTION_WARNED = [
  'apirate', 'impratio', 'tolerance', 'ls_tolerance', 'noslip_tolerance', 'ccd_tolerance', 'sleep_tolerance', 'wind', 'magnetic',
  'density', 'viscosity', 'o_margin', 'o_solref', 'o_solimp', 'o_friction', 'integrator', 'cone', 'jacobian', 'solver',
  'iterations', 'ls_iterations', 'noslip_iterations', 'ccd_iterations', 'sdf_iterations', 'sdf_initpoints', 'actuatorgroupdisable',
];
export const optionSpec = spec(
  { timestep: real('positive'), gravity: vec3 },
  Object.fromEntries(OPTION_WARNED.map((k) => [k, 'solver/physics option not simulated by Paddock'])),
);

export const GEOM_TYPES = ['plane', 'sphere', 'capsule', 'box', 'cylinder'] as const;
const geomShape = {
  type: keyword(GEOM_TYPES, 'ellipsoid, mesh, hfield and sdf geoms are not supported'),
  size: numbers(1, 3, 'up to 3 size parameters'),
  fromto: vector(6, 'x1 y1 z1 x2 y2 z2'),
  ...pose,
  density: real('nonnegative'),
  mass: real('nonnegative'),
  friction: nonNegatives(1, 3, 'sliding, torsional, rolling'),
  contype: bitmask,
  conaffinity: bitmask,
  rgba,
};
const geomWarned = { ...CONTACT_ATTRS, ...VISUAL_ATTRS };
export const geomSpec = spec({ name, class: name, ...geomShape }, geomWarned);
export const geomDefaultSpec = spec(geomShape, geomWarned);

export const JOINT_TYPES = ['hinge', 'slide', 'ball', 'free'] as const;
const jointShape = {
  type: keyword(JOINT_TYPES),
  pos: vec3,
  axis: direction,
  range: interval,
  limited: tristate,
  damping: real('nonnegative'),
  armature: real('nonnegative'),
  stiffness: real('nonnegative'),
  springref: real(),
  ref: real(),
};
const jointWarned = { ...JOINT_SOLVER_ATTRS, group: VISUAL };
export const jointSpec = spec({ name, class: name, ...jointShape }, jointWarned);
export const jointDefaultSpec = spec(jointShape, jointWarned);
export const freejointSpec = spec({ name }, { group: VISUAL });

export const SITE_TYPES = ['sphere', 'capsule', 'ellipsoid', 'cylinder', 'box'] as const;
const siteShape = { type: keyword(SITE_TYPES), size: nonNegatives(1, 3, 'up to 3 size parameters'), ...pose, rgba };
export const siteSpec = spec({ name, class: name, ...siteShape }, VISUAL_ATTRS);
export const siteDefaultSpec = spec(siteShape, VISUAL_ATTRS);

export const bodySpec = spec({ name, childclass: name, ...pose });

export const inertialSpec = spec(
  { pos: vec3, ...orientation, mass: real('nonnegative'), diaginertia: nonNegatives(3, 3, 'ixx iyy izz'), fullinertia: vector(6, 'ixx iyy izz ixy ixz iyz') },
  {},
  ['pos', 'mass'],
);

const motorShape = {
  gear: numbers(1, 6, 'up to 6 gear values'),
  ctrlrange: interval,
  ctrllimited: tristate,
  forcerange: interval,
  forcelimited: tristate,
};
const actuatorShape = { ...motorShape, kp: real('nonnegative'), kv: real('nonnegative') };
export const motorSpec = spec({ name, class: name, joint: name, ...motorShape }, { group: VISUAL }, ['joint']);
export const positionSpec = spec({ name, class: name, joint: name, ...actuatorShape }, { group: VISUAL }, ['joint']);
/** Defaults shared by `motor` and `position` (MuJoCo keeps one actuator default per class). */
export const actuatorDefaultSpec = spec(actuatorShape, { group: VISUAL });
export const motorDefaultSpec = spec(motorShape, { group: VISUAL });

const NOISE = { noise: 'MuJoCo does not apply sensor noise either' };
export const jointSensorSpec = spec({ name, joint: name }, NOISE, ['joint']);
export const frameposSpec = spec({ name, objtype: keyword(['site'], 'only site frames are supported'), objname: name, site: name }, NOISE);
export const touchSpec = spec({ name, site: name }, NOISE, ['site']);

export const defaultSpec = spec({ class: name });
export const emptySpec = spec({});
