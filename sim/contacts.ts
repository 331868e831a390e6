// Contact forces per Rapier body (normal forces, world frame) and touch-sensor readings, from the last Rapier step.
import type RAPIER from '@dimforge/rapier3d-compat';
import type { RapierParts } from './instantiate.ts';

/** Scratch objects reused across calls so reading contacts allocates nothing per contact. */
const normal = { x: 0, y: 0, z: 0 };
const local = { x: 0, y: 0, z: 0 };
const rot = { x: 0, y: 0, z: 0, w: 1 };
const pos = { x: 0, y: 0, z: 0 };

/**
 * Sum of contact normal forces (N, world frame) acting on each rigid body during the last
 * Rapier step (impulse / step time), written to `out[rigid * 3 .. + 3]`. Friction is not included.
 */
export function contactForces(world: RAPIER.World, parts: RapierParts, stepTime: number, out: Float64Array): void {
  out.fill(0);
  parts.colliderHandles.forEach((handles, rigid) => {
    for (const h of handles) {
      const c1 = world.getCollider(h);
      world.contactPairsWith(c1, (c2) => {
        world.contactPair(c1, c2, (manifold, flipped) => {
          manifold.normal(normal);
          const sign = flipped ? 1 : -1;
          for (let i = 0; i < manifold.numContacts(); i++) {
            const f = (sign * manifold.contactImpulse(i)) / stepTime;
            out[rigid * 3] = out[rigid * 3]! + f * normal.x;
            out[rigid * 3 + 1] = out[rigid * 3 + 1]! + f * normal.y;
            out[rigid * 3 + 2] = out[rigid * 3 + 2]! + f * normal.z;
          }
        });
      });
    }
  });
}

/**
 * Touch: total normal force magnitude (N) of contacts on `rigid` whose contact point lies
 * within `radius` of the world point `centre` (MuJoCo's touch sensor over a spherical site).
 */
export function touchForce(world: RAPIER.World, parts: RapierParts, rigid: number, centre: ArrayLike<number>, radius: number, stepTime: number): number {
  let total = 0;
  for (const h of parts.colliderHandles[rigid] ?? []) {
    const c1 = world.getCollider(h);
    world.contactPairsWith(c1, (c2) => {
      world.contactPair(c1, c2, (manifold, flipped) => {
        c1.translation(pos);
        c1.rotation(rot);
        for (let i = 0; i < manifold.numContacts(); i++) {
          const p = flipped ? manifold.localContactPoint2(i, local) : manifold.localContactPoint1(i, local);
          if (!p) continue;
          const [x, y, z] = rotateVec(rot, p.x, p.y, p.z);
          const dx = x + pos.x - centre[0]!, dy = y + pos.y - centre[1]!, dz = z + pos.z - centre[2]!;
          if (dx * dx + dy * dy + dz * dz <= radius * radius) total += Math.abs(manifold.contactImpulse(i)) / stepTime;
        }
      });
    });
  }
  return total;
}

function rotateVec(q: { x: number; y: number; z: number; w: number }, x: number, y: number, z: number): [number, number, number] {
  const tx = 2 * (q.y * z - q.z * y);
  const ty = 2 * (q.z * x - q.x * z);
  const tz = 2 * (q.x * y - q.y * x);
  return [x + q.w * tx + (q.y * tz - q.z * ty), y + q.w * ty + (q.z * tx - q.x * tz), z + q.w * tz + (q.x * ty - q.y * tx)];
}
