// Sensor readout in declaration order: jointpos, jointvel, framepos (site) and touch.
import type { SimWorld } from './world.ts';

/** Total number of sensor values. */
export function sensorDim(world: SimWorld): number {
  return world.model.sensors.reduce((n, s) => n + s.dim, 0);
}

/** Writes every sensor's values into `out` (allocated when omitted). */
export function readSensors(world: SimWorld, out: Float64Array = new Float64Array(sensorDim(world))): Float64Array {
  const model = world.model;
  const qpos = world.qpos();
  const qvel = world.qvel();
  let k = 0;
  for (const s of model.sensors) {
    switch (s.type) {
      case 'jointpos':
        out[k] = qpos[model.joints[s.target]!.qposAdr]!;
        break;
      case 'jointvel':
        out[k] = qvel[model.joints[s.target]!.dofAdr]!;
        break;
      case 'framepos':
        out.set(world.sitePos(s.target), k);
        break;
      case 'touch':
        out[k] = world.touch(s.target);
        break;
    }
    k += s.dim;
  }
  return out;
}
