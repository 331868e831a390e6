// Delivers explicit forces to Rapier bodies: as velocity impulses F·h (impulse joints) or persistent forces (multibody).
import type RAPIER from '@dimforge/rapier3d-compat';

/**
 * Rapier multibody links take their velocities from the multibody's generalized velocities,
 * so impulses applied to them are lost; they need forces, which persist until reset. Bodies on
 * impulse joints take impulses, which cost no reset calls. Both give the same `h·F` per step.
 */
export class ForceSink {
  private readonly v = { x: 0, y: 0, z: 0 };

  constructor(readonly asForces: boolean) {}

  /** Clears last step's persistent forces (force mode only). */
  reset(bodies: RAPIER.RigidBody[]): void {
    if (!this.asForces) return;
    for (const b of bodies) {
      if (!b.isDynamic()) continue;
      b.resetForces(false);
      b.resetTorques(false);
    }
  }

  /** Torque (N·m, world) for one step of `h` seconds. */
  torque(body: RAPIER.RigidBody, x: number, y: number, z: number, h: number): void {
    const v = this.v;
    if (this.asForces) {
      v.x = x; v.y = y; v.z = z;
      body.addTorque(v, false);
    } else {
      v.x = x * h; v.y = y * h; v.z = z * h;
      body.applyTorqueImpulse(v, false);
    }
  }

  /** Force (N, world) at a world point for one step of `h` seconds. */
  forceAt(body: RAPIER.RigidBody, x: number, y: number, z: number, point: RAPIER.Vector, h: number): void {
    const v = this.v;
    if (this.asForces) {
      v.x = x; v.y = y; v.z = z;
      body.addForceAtPoint(v, point, true);
    } else {
      v.x = x * h; v.y = y * h; v.z = z * h;
      body.applyImpulseAtPoint(v, point, true);
    }
  }
}
