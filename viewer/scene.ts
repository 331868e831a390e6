// Scene descriptions for the page: geoms per body from the task's model, the followed body and the goal marker (a point, or the door's hinge ghost).
import type { Env } from '../tasks/env.ts';
import { simOf } from '../tasks/recording.ts';
import { isGoalSettable } from '../tasks/goal.ts';
import { DoorTask } from '../tasks/door.ts';
import type { Model } from '../sim/model.ts';
import type { SimWorld } from '../sim/world.ts';
import { add, normalize, quatMul, rotate, type Quat, type Vec3 } from '../sim/math.ts';
import type { GoalInfo, HingeGoal, Scene } from './protocol.ts';

/** The parts of a scene message that depend only on the env. */
export type SceneBody = Pick<Scene, 'bodies' | 'follow' | 'terms' | 'dt' | 'goal'>;

/** Describes an env for drawing: every body's geoms (local poses), which bodies can be dragged, the goal. */
export function describeScene(env: Env): SceneBody {
  const world = simOf(env);
  return {
    bodies: world ? describeBodies(world) : [],
    follow: world ? followedBody(world) : null,
    terms: env.spec.rewardTerms.map((t) => t.name),
    dt: env.spec.dt,
    goal: goalInfo(env),
  };
}

function describeBodies(world: SimWorld): Scene['bodies'] {
  const m: Model = world.model;
  return m.bodies.map((body, b) => ({
    name: body.name,
    movable: b > 0 && !world.plan.rigids[world.plan.bodies[b]!.rigid]!.fixed,
    geoms: body.geoms
      .map((g) => m.geoms[g]!)
      .filter((g) => g.rgba[3] > 0)
      .map((g) => ({ type: g.type, size: [...g.size], pos: [...g.pos] as [number, number, number], quat: [...g.quat] as [number, number, number, number], rgba: [...g.rgba] as [number, number, number, number] })),
  }));
}

/**
 * The root of the largest moving robot: a child of the world with joints and at least one child
 * body of its own (a loose object such as the arm tasks' cube is not followed). Null when the
 * robot is bolted down (the arm), so the camera stays put.
 */
function followedBody(world: SimWorld): number | null {
  const m = world.model;
  const size = new Array<number>(m.bodies.length).fill(1);
  for (let b = m.bodies.length - 1; b > 0; b--) size[m.bodies[b]!.parent]! += size[b]!;
  let best: number | null = null;
  for (let b = 1; b < m.bodies.length; b++) {
    const body = m.bodies[b]!;
    const moving = body.parent === 0 && body.joints.length > 0 && !world.plan.rigids[world.plan.bodies[b]!.rigid]!.fixed;
    if (moving && size[b]! > 1 && (best === null || size[b]! > size[best]!)) best = b;
  }
  return best;
}

/** How the page shows and edits the desired goal of a goal task (null for other tasks): sliders span the task's goal bounds. */
export function goalInfo(env: Env): GoalInfo | null {
  const space = env.spec.observationSpace;
  if (space.type !== 'dict' || !space.spaces.desired_goal) return null;
  const desired = space.spaces.desired_goal;
  const dim = desired.shape[0]!;
  const entry = env.spec.obsLayout.desired_goal?.[0];
  const unit = entry?.unit ?? '';
  const box = isGoalSettable(env) ? env.goalBounds : desired;
  const bound = (v: number, fallback: number) => (Number.isFinite(v) ? v : fallback);
  return {
    dim,
    kind: dim === 3 && unit === 'm' ? 'point' : 'value',
    unit,
    label: entry?.name ?? 'goal',
    low: Array.from(box.low, (v) => bound(v, -2)),
    high: Array.from(box.high, (v) => bound(v, 2)),
    hinge: hingeGoal(env),
  };
}

/**
 * The door task's goal is the angle of its `door_hinge` joint: the hinged body's world pose at the
 * joint's reference angle (from the model's body chain), and the hinge line in world coordinates.
 */
export function hingeGoal(env: Env): HingeGoal | null {
  const world = simOf(env);
  if (!(env instanceof DoorTask) || !world) return null;
  const m = world.model;
  const joint = m.joints.find((j) => j.type === 'hinge' && j.qposAdr === env.hingeQ);
  if (!joint) return null;
  const { pos, quat } = referencePose(m, joint.body);
  return { body: joint.body, anchor: add(pos, rotate(quat, joint.pos)), axis: normalize(rotate(quat, joint.axis)), pos, quat, ref: joint.ref };
}

/** World pose (m; w x y z) of model body `b` with every joint at its reference value: its parents' relative poses composed. */
function referencePose(m: Model, b: number): { pos: Vec3; quat: Quat } {
  let pos: Vec3 = [0, 0, 0], quat: Quat = [1, 0, 0, 0];
  for (let i = b; i > 0; i = m.bodies[i]!.parent) {
    const body = m.bodies[i]!;
    pos = add(body.pos, rotate(body.quat, pos));
    quat = quatMul(body.quat, quat);
  }
  return { pos, quat };
}
