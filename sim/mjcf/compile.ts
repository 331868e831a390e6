// Compiles a parsed MJCF element tree into a Model: sections in MuJoCo's order, then whole-model checks.
import type { Model, ModelOption } from '../model.ts';
import { readActuators, readSensors } from './actuators.ts';
import { readAttrs, rejectElement, warnElement } from './attrs.ts';
import { readWorld } from './body.ts';
import { DEFAULT_COMPILER, NameRegistry, type CompilerSettings, type Context } from './context.ts';
import { readDefaults } from './defaults.ts';
import { fail } from './errors.ts';
import { compilerSpec, mujocoSpec, optionSpec } from './schema.ts';
import type { XmlElement } from './xml.ts';

const SECTIONS = ['compiler', 'option', 'size', 'visual', 'statistic', 'asset', 'default', 'worldbody', 'actuator', 'sensor'];
const IGNORED_SECTIONS: Record<string, string> = {
  size: 'memory sizing, not needed',
  visual: 'visual only',
  statistic: 'visual only',
  asset: 'meshes, textures and materials are not supported; visual only',
};
/** Smallest mass or moment MuJoCo accepts for a body that moves (mjMINVAL). */
const MIN_MASS = 1e-15;
const QPOS = { free: 7, ball: 4, hinge: 1, slide: 1 } as const;
const DOFS = { free: 6, ball: 3, hinge: 1, slide: 1 } as const;

/** Builds the Model from the root `<mujoco>` element. */
export function compileModel(root: XmlElement): Model {
  const warnings: string[] = [];
  const { model: name } = readAttrs(root, mujocoSpec, warnings);
  const sections = groupSections(root, warnings);
  const compiler = readCompiler(sections.get('compiler') ?? [], warnings);
  const option = readOption(sections.get('option') ?? [], warnings);
  const ctx: Context = {
    compiler, defaults: readDefaults(sections.get('default') ?? [], warnings), warnings, names: new NameRegistry(),
    bodies: [], joints: [], geoms: [], sites: [], bodyPaths: [], jointPaths: [], geomPaths: [], geomInertia: [],
  };
  readWorld(sections.get('worldbody') ?? [], ctx);
  scaleTotalMass(ctx);
  checkMassive(ctx);
  checkPlanes(ctx);
  nameUnnamed(ctx);
  const { nq, nv } = assignAddresses(ctx);
  const actuators = readActuators(sections.get('actuator') ?? [], ctx);
  const sensors = readSensors(sections.get('sensor') ?? [], ctx);
  return {
    name: name ?? 'MuJoCo Model', option, bodies: ctx.bodies, joints: ctx.joints, geoms: ctx.geoms, sites: ctx.sites,
    actuators, sensors, nq, nv, warnings,
  };
}

/** Top-level children by tag; visual-only sections are warned about, unknown ones rejected. */
function groupSections(root: XmlElement, warnings: string[]): Map<string, XmlElement[]> {
  const sections = new Map<string, XmlElement[]>();
  for (const child of root.children) {
    if (!SECTIONS.includes(child.tag)) rejectElement(child, 'mujoco', SECTIONS);
    const reason = IGNORED_SECTIONS[child.tag];
    if (reason !== undefined) warnElement(child, reason, warnings);
    else sections.set(child.tag, [...(sections.get(child.tag) ?? []), child]);
  }
  return sections;
}

/** Compiler settings from every `<compiler>` element, later ones overriding earlier ones. */
function readCompiler(elements: readonly XmlElement[], warnings: string[]): CompilerSettings {
  const settings = { ...DEFAULT_COMPILER };
  for (const el of elements) {
    const a = readAttrs(el, compilerSpec, warnings);
    for (const child of el.children) rejectElement(child, 'compiler', []);
    if (a.angle !== undefined) settings.angle = a.angle;
    if (a.eulerseq !== undefined) settings.eulerseq = a.eulerseq;
    if (a.inertiafromgeom !== undefined) settings.inertiafromgeom = a.inertiafromgeom;
    if (a.autolimits !== undefined) settings.autolimits = a.autolimits;
    if (a.settotalmass !== undefined) settings.settotalmass = a.settotalmass;
  }
  return settings;
}

/** Timestep (s) and gravity (m/s²) from `<option>`; other option attributes and `<flag>` are warned about. */
function readOption(elements: readonly XmlElement[], warnings: string[]): ModelOption {
  const option: ModelOption = { timestep: 0.002, gravity: [0, 0, -9.81] };
  for (const el of elements) {
    const a = readAttrs(el, optionSpec, warnings);
    if (a.timestep !== undefined) option.timestep = a.timestep;
    if (a.gravity !== undefined) option.gravity = a.gravity;
    for (const child of el.children) {
      if (child.tag === 'flag') warnElement(child, 'simulation flags are not simulated by Paddock', warnings);
      else rejectElement(child, 'option', ['flag']);
    }
  }
  return option;
}

/** Compiler `settotalmass`: scales every body's mass and inertia (and its geoms' masses) so the total matches. */
function scaleTotalMass(ctx: Context): void {
  const target = ctx.compiler.settotalmass;
  const total = ctx.bodies.reduce((s, b) => s + b.mass, 0);
  if (target <= 0 || total <= 0) return;
  const k = target / total;
  for (const body of ctx.bodies) {
    body.mass *= k;
    body.inertia = [body.inertia[0] * k, body.inertia[1] * k, body.inertia[2] * k];
  }
  for (const geom of ctx.geoms) if (geom.body !== 0) geom.mass *= k;
}

/** A body with joints needs positive mass and principal moments (MuJoCo's mjMINVAL check). */
function checkMassive(ctx: Context): void {
  ctx.bodies.forEach((body, i) => {
    if (body.joints.length === 0) return;
    if (body.mass < MIN_MASS || body.inertia.some((x) => x < MIN_MASS)) {
      fail(ctx.bodyPaths[i]!, undefined, `a body with joints needs positive mass and inertia, got mass ${body.mass}, inertia ${body.inertia.join(' ')}`);
    }
  });
}

/** Planes may only sit on static bodies: no joint on the body or any ancestor. */
function checkPlanes(ctx: Context): void {
  const moving: boolean[] = [];
  ctx.bodies.forEach((body, i) => {
    moving[i] = i !== 0 && (body.joints.length > 0 || moving[body.parent]!);
  });
  ctx.geoms.forEach((geom, i) => {
    if (geom.type === 'plane' && moving[geom.body]) fail(ctx.geomPaths[i]!, 'type', 'planes are only allowed in static bodies (no joint on the body or its ancestors)');
  });
}

/** Unnamed bodies, joints and sites become `body{i}`, `joint{i}`, `site{i}` (i = index; '_' appended on clashes). */
function nameUnnamed(ctx: Context): void {
  const lists = [['body', ctx.bodies], ['joint', ctx.joints], ['site', ctx.sites]] as const;
  for (const [kind, items] of lists) {
    items.forEach((item, i) => {
      if (item.name !== '') return;
      item.name = ctx.names.autoName(kind, kind, i);
      ctx.names.add(kind, item.name, i, '');
    });
  }
}

/** qpos/qvel addresses in joint order (free 7/6, ball 4/3, hinge and slide 1/1). */
function assignAddresses(ctx: Context): { nq: number; nv: number } {
  let nq = 0;
  let nv = 0;
  for (const joint of ctx.joints) {
    joint.qposAdr = nq;
    joint.dofAdr = nv;
    nq += QPOS[joint.type];
    nv += DOFS[joint.type];
  }
  return { nq, nv };
}
