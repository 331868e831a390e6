// Shared compile state: compiler settings, default classes, the model under construction and name registries.
import type { Vec3 } from '../math.ts';
import type { ModelBody, ModelGeom, ModelJoint, ModelSite } from '../model.ts';
import { fail } from './errors.ts';
import type { Defaults } from './defaults.ts';

/** Settings from `<compiler>` (MuJoCo defaults noted per field). */
export interface CompilerSettings {
  /** Unit of euler, axisangle angles and hinge/ball range, ref, springref. Default 'degree'. */
  angle: 'degree' | 'radian';
  /** Euler rotation sequence; lowercase = rotating (intrinsic) axes, uppercase = fixed (extrinsic). Default 'xyz'. */
  eulerseq: string;
  /** Whether body inertia comes from geoms. Default 'auto' (only when the body has no `<inertial>`). */
  inertiafromgeom: 'true' | 'false' | 'auto';
  /** A range given with `limited="auto"` makes the joint/actuator limited. Default true. */
  autolimits: boolean;
  /** When positive, all body masses and inertias are scaled so the total mass is this (kg). Default -1. */
  settotalmass: number;
}

export const DEFAULT_COMPILER: CompilerSettings = {
  angle: 'degree',
  eulerseq: 'xyz',
  inertiafromgeom: 'auto',
  autolimits: true,
  settotalmass: -1,
};

/** Kinds of named objects; names must be unique within a kind. */
export type NameKind = 'body' | 'joint' | 'geom' | 'site' | 'actuator' | 'sensor';

/** Per-kind name → index maps with the element path that declared each name. */
export class NameRegistry {
  private readonly maps = new Map<NameKind, Map<string, { index: number; path: string }>>();

  private map(kind: NameKind): Map<string, { index: number; path: string }> {
    let m = this.maps.get(kind);
    if (!m) this.maps.set(kind, (m = new Map()));
    return m;
  }

  /** Registers `name`; a second object of the same kind with the same name is an error at `path.name`. */
  add(kind: NameKind, name: string, index: number, path: string): void {
    const existing = this.map(kind).get(name);
    if (existing) fail(path, 'name', `duplicate ${kind} name '${name}' (already used by ${existing.path || 'mujoco'})`);
    this.map(kind).set(name, { index, path });
  }

  has(kind: NameKind, name: string): boolean {
    return this.map(kind).has(name);
  }

  /** Index of the named object, or an error at `path.field` listing the known names. */
  find(kind: NameKind, name: string, path: string, field: string): number {
    const hit = this.map(kind).get(name);
    if (hit) return hit.index;
    const known = [...this.map(kind).keys()];
    return fail(path, field, `no ${kind} named '${name}' (known: ${known.join(', ') || 'none'})`);
  }

  /** A name `${prefix}${index}` not yet used by this kind (suffixed with '_' until free). */
  autoName(kind: NameKind, prefix: string, index: number): string {
    let candidate = `${prefix}${index}`;
    while (this.has(kind, candidate)) candidate += '_';
    return candidate;
  }
}

/** Everything the body, actuator and sensor readers share while compiling. */
export interface Context {
  compiler: CompilerSettings;
  defaults: Defaults;
  warnings: string[];
  names: NameRegistry;
  bodies: ModelBody[];
  joints: ModelJoint[];
  geoms: ModelGeom[];
  sites: ModelSite[];
  /** Element path of each body, joint and geom, for errors found after reading. */
  bodyPaths: string[];
  jointPaths: string[];
  geomPaths: string[];
  /** Principal moments of each geom about its centre, in its own frame (kg·m²). */
  geomInertia: Vec3[];
}
