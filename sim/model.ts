// The compiled robot model: what the MJCF loader produces and the Rapier builder consumes.
import type { Quat, Vec3 } from './math.ts';

/**
 * Conventions (as in MuJoCo):
 * - Lengths in metres, masses in kilograms, angles in radians, time in seconds.
 * - Quaternions are `[w, x, y, z]`, unit length.
 * - Body 0 is the world body; every other body has `parent < index`.
 * - Local poses (`pos`, `quat`) of a body are relative to its parent body's frame;
 *   poses of geoms, sites, joints and inertial frames are relative to their body's frame.
 */
export type GeomType = 'plane' | 'sphere' | 'capsule' | 'box' | 'cylinder';
export type JointType = 'hinge' | 'slide' | 'ball' | 'free';
export type ActuatorType = 'motor' | 'position';
export type SensorType = 'jointpos' | 'jointvel' | 'framepos' | 'touch';

export interface ModelGeom {
  name: string | null;
  body: number;
  type: GeomType;
  /**
   * MuJoCo size semantics: sphere `[r]`; capsule and cylinder `[r, halfLength]` along local z;
   * box `[hx, hy, hz]` half-extents; plane `[hx, hy, gridSpacing]` (hx or hy 0 = infinite).
   */
  size: number[];
  /** Pose in the body frame. */
  pos: Vec3;
  quat: Quat;
  /** Mass in kg (0 for planes and massless geoms). */
  mass: number;
  /** `[sliding, torsional, rolling]` coefficients; only sliding is simulated by Rapier. */
  friction: Vec3;
  contype: number;
  conaffinity: number;
  rgba: [number, number, number, number];
}

export interface ModelSite {
  name: string;
  body: number;
  pos: Vec3;
  quat: Quat;
  size: number[];
  rgba: [number, number, number, number];
}

export interface ModelJoint {
  name: string;
  type: JointType;
  body: number;
  /** Anchor in the body frame. */
  pos: Vec3;
  /** Unit axis in the body frame (hinge, slide). */
  axis: Vec3;
  /** `[lo, hi]` in radians (hinge) or metres (slide), or null when unlimited. */
  range: [number, number] | null;
  /** Viscous damping, N·m·s/rad or N·s/m. */
  damping: number;
  /** Rotor inertia added on the joint's dof, kg·m² or kg. */
  armature: number;
  /** Spring stiffness toward `springref`, N·m/rad or N/m. */
  stiffness: number;
  springref: number;
  /** Joint value at the reference configuration. */
  ref: number;
  /** Address of this joint's first coordinate in qpos (free 7, ball 4, else 1). */
  qposAdr: number;
  /** Address of this joint's first dof in qvel (free 6, ball 3, else 1). */
  dofAdr: number;
}

export interface ModelBody {
  name: string;
  parent: number;
  /** Pose relative to the parent body frame. */
  pos: Vec3;
  quat: Quat;
  /** Total mass in kg (explicit `inertial`, or summed from geoms). */
  mass: number;
  /** Centre of mass and principal inertia frame in the body frame. */
  ipos: Vec3;
  iquat: Quat;
  /** Principal moments of inertia about the centre of mass, kg·m². */
  inertia: Vec3;
  geoms: number[];
  joints: number[];
  sites: number[];
}

export interface ModelActuator {
  name: string;
  type: ActuatorType;
  joint: number;
  gear: number;
  /** Control limits, or null when unlimited. */
  ctrlrange: [number, number] | null;
  /** Limits on the actuator force before the gear is applied (as in MuJoCo), or null when unlimited. */
  forcerange: [number, number] | null;
  /** Position servo gains (position actuators); 0 for motors. */
  kp: number;
  kv: number;
}

export interface ModelSensor {
  name: string;
  type: SensorType;
  /** Joint index (jointpos/jointvel) or site index (framepos/touch). */
  target: number;
  /** Number of values the sensor reports. */
  dim: number;
}

export interface ModelOption {
  /** Physics timestep in seconds. */
  timestep: number;
  /** Gravity in m/s², world frame. */
  gravity: Vec3;
}

export interface Model {
  name: string;
  option: ModelOption;
  bodies: ModelBody[];
  joints: ModelJoint[];
  geoms: ModelGeom[];
  sites: ModelSite[];
  actuators: ModelActuator[];
  sensors: ModelSensor[];
  /** Sizes of the generalized position and velocity vectors. */
  nq: number;
  nv: number;
  /** Things in the source file that were read but are not simulated, each naming its element path. */
  warnings: string[];
}

/** Index of the named element, or throws an error listing what exists. */
export function indexOf<T extends { name: string | null }>(items: T[], name: string, kind: string): number {
  const i = items.findIndex((item) => item.name === name);
  if (i < 0) {
    const known = items.map((item) => item.name).filter((n) => n !== null);
    throw new Error(`no ${kind} named '${name}' (known: ${known.join(', ') || 'none'})`);
  }
  return i;
}
