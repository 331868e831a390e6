// Composes models: attaches another model's world (its bodies, geoms, sites, actuators, sensors) to a base model.
import type { Model } from './model.ts';

/**
 * Returns a new model: `base` with everything of `extra` attached to the world, as dm_control
 * attaches an arena or prop. Options (timestep, gravity) come from `base`. Names must be unique.
 */
export function attachModel(base: Model, extra: Model): Model {
  checkUnique(base, extra);
  const bodyOffset = base.bodies.length - 1;
  const mapBody = (b: number) => (b === 0 ? 0 : b + bodyOffset);
  const joints = base.joints.length;
  const geoms = base.geoms.length;
  const sites = base.sites.length;
  const worldBody = { ...base.bodies[0]!, geoms: [...base.bodies[0]!.geoms], sites: [...base.bodies[0]!.sites] };
  worldBody.geoms.push(...extra.bodies[0]!.geoms.map((g) => g + geoms));
  worldBody.sites.push(...extra.bodies[0]!.sites.map((s) => s + sites));
  return {
    name: `${base.name}+${extra.name}`,
    option: base.option,
    bodies: [
      worldBody,
      ...base.bodies.slice(1),
      ...extra.bodies.slice(1).map((b) => ({
        ...b,
        parent: mapBody(b.parent),
        geoms: b.geoms.map((g) => g + geoms),
        joints: b.joints.map((j) => j + joints),
        sites: b.sites.map((s) => s + sites),
      })),
    ],
    joints: [...base.joints, ...extra.joints.map((j) => ({ ...j, body: mapBody(j.body), qposAdr: j.qposAdr + base.nq, dofAdr: j.dofAdr + base.nv }))],
    geoms: [...base.geoms, ...extra.geoms.map((g) => ({ ...g, body: mapBody(g.body) }))],
    sites: [...base.sites, ...extra.sites.map((s) => ({ ...s, body: mapBody(s.body) }))],
    actuators: [...base.actuators, ...extra.actuators.map((a) => ({ ...a, joint: a.joint + joints }))],
    sensors: [...base.sensors, ...extra.sensors.map((s) => ({ ...s, target: s.target + (s.type === 'jointpos' || s.type === 'jointvel' ? joints : sites) }))],
    nq: base.nq + extra.nq,
    nv: base.nv + extra.nv,
    warnings: [...base.warnings, ...extra.warnings],
  };
}

function checkUnique(base: Model, extra: Model): void {
  const kinds = ['bodies', 'joints', 'sites', 'actuators', 'sensors'] as const;
  for (const kind of kinds) {
    const names = new Set(base[kind].slice(kind === 'bodies' ? 1 : 0).map((x) => x.name));
    for (const item of extra[kind].slice(kind === 'bodies' ? 1 : 0)) {
      if (names.has(item.name)) throw new Error(`cannot attach '${extra.name}' to '${base.name}': both have ${kind.replace(/ies$/, 'y').replace(/s$/, '')} '${item.name}'`);
    }
  }
}
