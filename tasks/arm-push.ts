// arm-push: FetchPush-v4 semantics on Paddock's 7-DoF arm: push the cube across the table to a goal; sparse −1/0 reward, 50 steps.
import { z } from 'zod';
import { indexOf } from '../sim/model.ts';
import type { Rng } from '../sim/rng.ts';
import { BaseTaskConfigSchema } from './task.ts';
import type { ObsLayout } from './layout.ts';
import { box } from './spaces.ts';
import { buildRobot, type RobotBuild } from './robots.ts';
import type { TaskEntry } from './registry.ts';
import { ARM_CONFIG_SHAPE, ArmGoalTask, CUBE_HALF, TABLE_TOP, distanceGoalFunctions, goalLayouts, type DistanceGoal, type RewardKind } from './arm/common.ts';

export const ArmPushConfigSchema = BaseTaskConfigSchema.extend({
  ...ARM_CONFIG_SHAPE,
  /** 'sparse': −1 unless the cube is within `distanceThreshold` of the goal, else 0; 'dense': −distance (m). */
  reward: z.enum(['sparse', 'dense']).default('sparse'),
  /** Success radius around the goal (m). */
  distanceThreshold: z.number().positive().default(0.05),
  /** Cube start = start grip xy + U(±objRange)² (m), resampled until `minObjectDistance` from the grip. */
  objRange: z.number().min(0).max(0.2).default(0.12),
  /** Smallest horizontal distance (m) between the cube's start and the initial grip. */
  minObjectDistance: z.number().min(0).max(0.2).default(0.1),
  /** Goal = start grip xy + U(±targetRange)² on the table (m); also the box `setGoal` clamps into. */
  targetRange: z.number().min(0).max(0.2).default(0.12),
  /** Keep the fingers closed and ignore the gripper action (Fetch blocks them for push). */
  blockGripper: z.boolean().default(true),
}).strict().refine((c) => c.minObjectDistance < c.objRange * Math.SQRT2, { message: 'minObjectDistance must be below objRange·√2 (else no start can be sampled)', path: ['minObjectDistance'] });
export type ArmPushConfig = z.output<typeof ArmPushConfigSchema>;

/** Height (m) of a resting cube's centre, and so of every push goal. */
export const PUSH_GOAL_Z = TABLE_TOP + CUBE_HALF;

export const ARM_PUSH_LAYOUT: ObsLayout = [
  { name: 'grip_pos', size: 3, unit: 'm', description: 'grip site position, world frame' },
  { name: 'object_pos', size: 3, unit: 'm', description: 'cube centre position, world frame' },
  { name: 'object_rel_pos', size: 3, unit: 'm', description: 'cube centre minus grip position' },
  { name: 'finger_pos', size: 2, unit: 'm', description: 'left and right finger openings (0 closed, 0.04 open)' },
  { name: 'object_rot', size: 3, unit: 'rad', description: 'cube orientation as roll, pitch, yaw (R = Rz(yaw)·Ry(pitch)·Rx(roll))' },
  { name: 'object_velp', size: 3, unit: 'm/s', description: 'cube linear velocity relative to the grip (as Fetch), world frame' },
  { name: 'object_velr', size: 3, unit: 'rad/s', description: 'cube angular velocity, world frame' },
  { name: 'grip_velp', size: 3, unit: 'm/s', description: 'grip site linear velocity, world frame' },
  { name: 'finger_vel', size: 2, unit: 'm/s', description: 'left and right finger opening rates' },
];

/** Push's goal functions (goal = cube centre, 3 values in m), pure and batched for relabelling. */
export function pushGoalFunctions(opts: { reward?: RewardKind; distanceThreshold?: number } = {}): DistanceGoal {
  return distanceGoalFunctions(3, opts.distanceThreshold ?? 0.05, opts.reward ?? 'sparse');
}

/** Roll, pitch, yaw (rad) of a unit quaternion (w, x, y, z) into `out[o..o+3]`. */
export function quatToEuler(w: number, x: number, y: number, z: number, out: Float32Array, o: number): void {
  out[o] = Math.atan2(2 * (w * x + y * z), 1 - 2 * (x * x + y * y));
  out[o + 1] = Math.asin(Math.max(-1, Math.min(1, 2 * (w * y - z * x))));
  out[o + 2] = Math.atan2(2 * (w * z + x * y), 1 - 2 * (y * y + z * z));
}

export class ArmPushTask extends ArmGoalTask {
  private readonly objectBody: number;
  private readonly objPos = new Float64Array(3);
  private readonly objQuat = new Float64Array(4);
  private readonly objVel = new Float64Array(3);
  private readonly objAng = new Float64Array(3);

  constructor(build: RobotBuild, readonly config: ArmPushConfig) {
    super({
      id: 'arm-push', build, config, maxEpisodeSteps: 50,
      layout: { observation: ARM_PUSH_LAYOUT, ...goalLayouts('object_pos', 3, 'm', 'cube centre position, world frame') },
      goal: pushGoalFunctions(config), goalSpace: box(3, -Infinity, Infinity), goalUnit: 'm',
    });
    this.objectBody = indexOf(build.model.bodies, 'object', 'body');
    const { low, high } = this.goalBounds, r = config.targetRange;
    for (let k = 0; k < 2; k++) {
      low[k] = this.startGrip[k]! - r;
      high[k] = this.startGrip[k]! + r;
    }
    low[2] = PUSH_GOAL_Z;
    high[2] = PUSH_GOAL_Z;
  }

  /**
   * Places the cube on the table at the initial grip xy + U(±objRange)², at least
   * `minObjectDistance` away; `options.objectPos` ([x, y], m) places it explicitly.
   */
  protected placeScene(rng: Rng, options: Record<string, unknown>, qpos: Float64Array): void {
    const g = this.startGrip, r = this.config.objRange;
    let x: number, y: number;
    do {
      x = g[0]! + rng.range(-r, r);
      y = g[1]! + rng.range(-r, r);
    } while (Math.hypot(x - g[0]!, y - g[1]!) < this.config.minObjectDistance);
    const given = options.objectPos;
    if (given !== undefined) {
      if (!Array.isArray(given) || given.length !== 2 || !given.every(Number.isFinite)) throw new Error('arm-push: options.objectPos must be [x, y] in metres');
      [x, y] = given as [number, number];
    }
    qpos.set([x, y, PUSH_GOAL_Z, 1, 0, 0, 0], this.objectQ);
  }

  /** Goal = start grip xy + U(±targetRange)², on the table (a resting cube's centre height). */
  protected sampleGoal(rng: Rng, out: Float32Array): void {
    const r = this.config.targetRange;
    out[0] = this.startGrip[0]! + rng.range(-r, r);
    out[1] = this.startGrip[1]! + rng.range(-r, r);
    out[2] = PUSH_GOAL_Z;
  }

  protected writeAchieved(out: Float32Array): void {
    this.world.bodyPose(this.objectBody, this.objPos, this.objQuat);
    out.set(this.objPos);
  }

  protected writeObservation(out: Float32Array): void {
    const p = this.objPos, g = this.gripPos, q = this.objQuat;
    this.world.bodyPose(this.objectBody, p, q);
    this.world.bodyVelocity(this.objectBody, this.objVel, this.objAng);
    for (let k = 0; k < 3; k++) {
      out[k] = g[k]!;
      out[3 + k] = p[k]!;
      out[6 + k] = p[k]! - g[k]!;
      out[14 + k] = this.objVel[k]! - this.gripVel[k]!;
      out[17 + k] = this.objAng[k]!;
      out[20 + k] = this.gripVel[k]!;
    }
    quatToEuler(q[0]!, q[1]!, q[2]!, q[3]!, out, 11);
    this.writeFingers(out, 9, 23);
  }
}

export const armPushEntry: TaskEntry<typeof ArmPushConfigSchema> = {
  id: 'arm-push',
  summary: 'FetchPush-v4 semantics on the 7-DoF arm: push the cube across the table to within 5 cm of a goal; actions as arm-reach (fingers blocked); sparse −1/0 reward; 50 steps',
  configSchema: ArmPushConfigSchema,
  create: async (config) => new ArmPushTask(await buildRobot('arm', 'arm.xml'), config),
};
