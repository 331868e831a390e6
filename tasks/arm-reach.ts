// arm-reach: FetchReach-v4 semantics on Paddock's 7-DoF arm: move the grip to a goal point; sparse −1/0 reward, 50 steps.
import { z } from 'zod';
import type { Rng } from '../sim/rng.ts';
import { BaseTaskConfigSchema } from './task.ts';
import type { ObsLayout } from './layout.ts';
import { box } from './spaces.ts';
import { buildRobot, type RobotBuild } from './robots.ts';
import type { TaskEntry } from './registry.ts';
import { ARM_CONFIG_SHAPE, ArmGoalTask, TABLE_TOP, distanceGoalFunctions, goalLayouts, type DistanceGoal, type RewardKind } from './arm/common.ts';

export const ArmReachConfigSchema = BaseTaskConfigSchema.extend({
  ...ARM_CONFIG_SHAPE,
  /** 'sparse': −1 unless within `distanceThreshold`, else 0; 'dense': −distance (m). */
  reward: z.enum(['sparse', 'dense']).default('sparse'),
  /** Success radius around the goal (m). */
  distanceThreshold: z.number().positive().default(0.05),
  /** Goal = start grip + U(±targetRange)³ (m); also the box `setGoal` clamps into. */
  targetRange: z.number().min(0).max(0.3).default(0.15),
  /** Keep the fingers closed and ignore the gripper action (Fetch blocks them for reach). */
  blockGripper: z.boolean().default(true),
}).strict();
export type ArmReachConfig = z.output<typeof ArmReachConfigSchema>;

/** Lowest goal height (m): 5 cm above the table top. */
export const REACH_MIN_GOAL_Z = TABLE_TOP + 0.05;

export const ARM_REACH_LAYOUT: ObsLayout = [
  { name: 'grip_pos', size: 3, unit: 'm', description: 'grip site position (between the fingertips), world frame' },
  { name: 'finger_pos', size: 2, unit: 'm', description: 'left and right finger openings (0 closed, 0.04 open)' },
  { name: 'grip_velp', size: 3, unit: 'm/s', description: 'grip site linear velocity, world frame' },
  { name: 'finger_vel', size: 2, unit: 'm/s', description: 'left and right finger opening rates' },
];

/** Reach's goal functions (goal = grip position, 3 values in m), pure and batched for relabelling. */
export function reachGoalFunctions(opts: { reward?: RewardKind; distanceThreshold?: number } = {}): DistanceGoal {
  return distanceGoalFunctions(3, opts.distanceThreshold ?? 0.05, opts.reward ?? 'sparse');
}

export class ArmReachTask extends ArmGoalTask {
  constructor(build: RobotBuild, readonly config: ArmReachConfig) {
    super({
      id: 'arm-reach', build, config, maxEpisodeSteps: 50,
      layout: { observation: ARM_REACH_LAYOUT, ...goalLayouts('grip_pos', 3, 'm', 'grip site position, world frame') },
      goal: reachGoalFunctions(config), goalSpace: box(3, -Infinity, Infinity), goalUnit: 'm',
    });
    const { low, high } = this.goalBounds, r = config.targetRange;
    for (let k = 0; k < 3; k++) {
      low[k] = this.startGrip[k]! - r;
      high[k] = this.startGrip[k]! + r;
    }
    low[2] = Math.max(REACH_MIN_GOAL_Z, low[2]!);
    high[2] = Math.max(low[2]!, high[2]!);
  }

  protected placeScene(): void {}

  /** Goal = start grip + U(±targetRange)³, raised to at least REACH_MIN_GOAL_Z. */
  protected sampleGoal(rng: Rng, out: Float32Array): void {
    const r = this.config.targetRange;
    for (let k = 0; k < 3; k++) out[k] = this.startGrip[k]! + rng.range(-r, r);
    out[2] = Math.max(REACH_MIN_GOAL_Z, out[2]!);
  }

  protected writeAchieved(out: Float32Array): void {
    out.set(this.gripPos);
  }

  protected writeObservation(out: Float32Array): void {
    out.set(this.gripPos, 0);
    out.set(this.gripVel, 5);
    this.writeFingers(out, 3, 8);
  }
}

export const armReachEntry: TaskEntry<typeof ArmReachConfigSchema> = {
  id: 'arm-reach',
  summary: 'FetchReach-v4 semantics on the 7-DoF arm: move the grip to a goal point within 5 cm; action (dx, dy, dz, gripper) moves the grip up to eeStep (5 cm) per step through IK, or actionMode "joint" takes 7 joint-target deltas + gripper; sparse −1/0 reward; 50 steps',
  configSchema: ArmReachConfigSchema,
  create: async (config) => new ArmReachTask(await buildRobot('arm', 'arm.xml'), config),
};
