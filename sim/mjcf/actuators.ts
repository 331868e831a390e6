// Reads <actuator> (motor, position; joint transmissions only) and <sensor> (jointpos, jointvel, framepos, touch).
import type { ModelActuator, ModelSensor } from '../model.ts';
import { readAttrs, rejectElement } from './attrs.ts';
import type { Context } from './context.ts';
import { classFor, MAIN_CLASS, mergeAttrs } from './defaults.ts';
import { resolveLimit } from './elements.ts';
import { fail } from './errors.ts';
import { emptySpec, frameposSpec, jointSensorSpec, motorSpec, positionSpec, touchSpec } from './schema.ts';
import type { XmlElement } from './xml.ts';

const ACTUATORS = ['motor', 'position'];
const SENSORS = ['jointpos', 'jointvel', 'framepos', 'touch'];

/** Index of the named hinge or slide joint, else an error at `path.field`. */
function scalarJoint(name: string, path: string, field: string, what: string, ctx: Context): number {
  const index = ctx.names.find('joint', name, path, field);
  const type = ctx.joints[index]!.type;
  if (type !== 'hinge' && type !== 'slide') fail(path, field, `joint '${name}' is a ${type} joint; ${what} needs a hinge or slide joint`);
  return index;
}

/** Reads all `<actuator>` sections. Ranges are not angle-converted (MuJoCo does not convert ctrlrange). */
export function readActuators(sections: readonly XmlElement[], ctx: Context): ModelActuator[] {
  const out: ModelActuator[] = [];
  for (const section of sections) {
    readAttrs(section, emptySpec, ctx.warnings);
    for (const el of section.children) {
      if (el.tag !== 'motor' && el.tag !== 'position') rejectElement(el, 'actuator', ACTUATORS);
      out.push(readActuator(el, el.tag as 'motor' | 'position', out.length, ctx));
    }
  }
  return out;
}

/** One motor (force = gear × ctrl) or position servo (force = kp·(ctrl − q) − kv·q̇, times gear). */
function readActuator(el: XmlElement, type: 'motor' | 'position', index: number, ctx: Context): ModelActuator {
  const own = type === 'motor' ? readAttrs(el, motorSpec, ctx.warnings) : readAttrs(el, positionSpec, ctx.warnings);
  const base = { ...classFor(ctx.defaults, own.class, MAIN_CLASS, el.path).actuator };
  if (type === 'motor') {
    delete base.kp;
    delete base.kv;
  }
  const a = mergeAttrs(base, own);
  const joint = scalarJoint(own.joint!, el.path, 'joint', 'an actuator', ctx);
  const name = own.name ?? ctx.names.autoName('actuator', 'actuator', index);
  ctx.names.add('actuator', name, index, el.path);
  const { autolimits } = ctx.compiler;
  return {
    name, type, joint, gear: (a.gear ?? [1])[0]!,
    ctrlrange: resolveLimit(a.ctrllimited, a.ctrlrange, autolimits, el.path, 'ctrlrange', 'ctrllimited'),
    forcerange: resolveLimit(a.forcelimited, a.forcerange, autolimits, el.path, 'forcerange', 'forcelimited'),
    kp: type === 'position' ? (a.kp ?? 1) : 0,
    kv: type === 'position' ? (a.kv ?? 0) : 0,
  };
}

/** Reads all `<sensor>` sections. */
export function readSensors(sections: readonly XmlElement[], ctx: Context): ModelSensor[] {
  const out: ModelSensor[] = [];
  for (const section of sections) {
    readAttrs(section, emptySpec, ctx.warnings);
    for (const el of section.children) {
      if (!SENSORS.includes(el.tag)) rejectElement(el, 'sensor', SENSORS);
      const { name, ...sensor } = readSensor(el, ctx);
      const finalName = name ?? ctx.names.autoName('sensor', 'sensor', out.length);
      ctx.names.add('sensor', finalName, out.length, el.path);
      out.push({ name: finalName, ...sensor });
    }
  }
  return out;
}

type SensorRead = Omit<ModelSensor, 'name'> & { name: string | undefined };

function readSensor(el: XmlElement, ctx: Context): SensorRead {
  if (el.tag === 'jointpos' || el.tag === 'jointvel') {
    const a = readAttrs(el, jointSensorSpec, ctx.warnings);
    return { name: a.name, type: el.tag, target: scalarJoint(a.joint!, el.path, 'joint', `a ${el.tag} sensor`, ctx), dim: 1 };
  }
  if (el.tag === 'touch') {
    const a = readAttrs(el, touchSpec, ctx.warnings);
    return { name: a.name, type: 'touch', target: ctx.names.find('site', a.site!, el.path, 'site'), dim: 1 };
  }
  const a = readAttrs(el, frameposSpec, ctx.warnings);
  if (a.site !== undefined && (a.objtype !== undefined || a.objname !== undefined)) {
    fail(el.path, 'site', 'give either site or objtype + objname, not both');
  }
  if (a.site !== undefined) return { name: a.name, type: 'framepos', target: ctx.names.find('site', a.site, el.path, 'site'), dim: 3 };
  if (a.objtype === undefined) fail(el.path, 'objtype', "required attribute is missing (only objtype='site' is supported)");
  if (a.objname === undefined) fail(el.path, 'objname', 'required attribute is missing');
  return { name: a.name, type: 'framepos', target: ctx.names.find('site', a.objname, el.path, 'objname'), dim: 3 };
}
