// MJCF default classes: nested <default> elements, inheritance, and merging class values into element attributes.
import { readAttrs, rejectElement, warnElement } from './attrs.ts';
import { fail } from './errors.ts';
import {
  actuatorDefaultSpec, defaultSpec, geomDefaultSpec, jointDefaultSpec, motorDefaultSpec, ORIENTATION_KEYS, siteDefaultSpec,
  type AttrsOf,
} from './schema.ts';
import type { XmlElement } from './xml.ts';

/** The attribute values one default class supplies for each element kind. */
export interface DefaultClass {
  name: string;
  path: string;
  geom: AttrsOf<typeof geomDefaultSpec>;
  joint: AttrsOf<typeof jointDefaultSpec>;
  site: AttrsOf<typeof siteDefaultSpec>;
  /** Shared by `motor` and `position`, as in MuJoCo (motors ignore kp / kv). */
  actuator: AttrsOf<typeof actuatorDefaultSpec>;
}

/** Default classes by name; the top-level class is 'main'. */
export type Defaults = Map<string, DefaultClass>;

export const MAIN_CLASS = 'main';
const ALLOWED = ['default', 'geom', 'joint', 'site', 'motor', 'position', 'camera', 'light', 'material', 'mesh'];
const VISUAL_DEFAULTS = new Set(['camera', 'light', 'material', 'mesh']);
/** Array attributes that MuJoCo overwrites only up to the number of values given. */
const PREFIX_ARRAYS = new Set(['size', 'friction', 'gear']);

/**
 * `own` over `base`: `size`, `friction` and `gear` replace only as many leading entries as given
 * (MuJoCo's partial override); any orientation in `own` replaces the base's orientation.
 */
export function mergeAttrs<T extends Record<string, unknown>>(base: T, own: T): T {
  const out: Record<string, unknown> = { ...base };
  const ownRecord: Record<string, unknown> = { ...own };
  if (ORIENTATION_KEYS.some((k) => ownRecord[k] !== undefined)) for (const k of ORIENTATION_KEYS) delete out[k];
  for (const [key, value] of Object.entries(ownRecord)) {
    if (value === undefined) continue;
    const previous = out[key];
    out[key] = PREFIX_ARRAYS.has(key) && Array.isArray(previous) && Array.isArray(value)
      ? [...value, ...previous.slice(value.length)]
      : value;
  }
  return out as T;
}

/** `values` padded with the trailing entries of `fallback`. */
export function padWith(values: readonly number[] | undefined, fallback: readonly number[]): number[] {
  const given = values ?? [];
  return [...given, ...fallback.slice(given.length)];
}

function emptyClass(name: string, path: string): DefaultClass {
  return { name, path, geom: {}, joint: {}, site: {}, actuator: {} };
}

/** Reads all top-level `<default>` elements (class 'main' or unnamed) and their nested classes. */
export function readDefaults(roots: readonly XmlElement[], warnings: string[]): Defaults {
  const defaults: Defaults = new Map([[MAIN_CLASS, emptyClass(MAIN_CLASS, '')]]);
  for (const root of roots) {
    const attrs = readAttrs(root, defaultSpec, warnings);
    if (attrs.class !== undefined && attrs.class !== MAIN_CLASS) {
      fail(root.path, 'class', `the top-level default class must be '${MAIN_CLASS}' (or unnamed), got '${attrs.class}'`);
    }
    const main = defaults.get(MAIN_CLASS)!;
    main.path = root.path;
    readClassBody(root, main, defaults, warnings);
  }
  return defaults;
}

/** Applies the element defaults inside `el` to `cls`, then reads nested classes (which inherit from `cls`). */
function readClassBody(el: XmlElement, cls: DefaultClass, defaults: Defaults, warnings: string[]): void {
  for (const child of el.children) {
    if (child.tag === 'geom') cls.geom = mergeAttrs(cls.geom, readAttrs(child, geomDefaultSpec, warnings));
    else if (child.tag === 'joint') cls.joint = mergeAttrs(cls.joint, readAttrs(child, jointDefaultSpec, warnings));
    else if (child.tag === 'site') cls.site = mergeAttrs(cls.site, readAttrs(child, siteDefaultSpec, warnings));
    else if (child.tag === 'motor') cls.actuator = mergeAttrs(cls.actuator, readAttrs(child, motorDefaultSpec, warnings));
    else if (child.tag === 'position') cls.actuator = mergeAttrs(cls.actuator, readAttrs(child, actuatorDefaultSpec, warnings));
    else if (VISUAL_DEFAULTS.has(child.tag)) warnElement(child, 'visual only', warnings);
    else if (child.tag !== 'default') rejectElement(child, 'default', ALLOWED);
  }
  for (const child of el.children) {
    if (child.tag !== 'default') continue;
    const { class: name } = readAttrs(child, defaultSpec, warnings);
    if (name === undefined) fail(child.path, 'class', 'a nested default needs a class name');
    if (defaults.has(name)) fail(child.path, 'class', `duplicate default class '${name}'`);
    const nested: DefaultClass = { ...structuredClone(cls), name, path: child.path };
    defaults.set(name, nested);
    readClassBody(child, nested, defaults, warnings);
  }
}

/**
 * The class an element uses: its own `class` attribute (`field`), else the inherited one (the enclosing
 * body's childclass, already validated, or 'main'). An unknown name is an error at `path.field`.
 */
export function classFor(defaults: Defaults, name: string | undefined, inherited: string, path: string, field = 'class'): DefaultClass {
  const cls = defaults.get(name ?? inherited);
  if (cls) return cls;
  const known = [...defaults.keys()].join(', ');
  return fail(path, field, `unknown default class '${name ?? inherited}' (defined: ${known})`);
}
