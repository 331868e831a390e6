// door: the 7-DoF arm opens the cabinet door to a goal angle (goal-conditioned, Fetch-style actions); dense −|Δangle| reward, 100 steps.
import { z } from 'zod';
import { indexOf } from '../sim/model.ts';
import type { Rng } from '../sim/rng.ts';
import type { Vec3 } from '../sim/math.ts';
import { BaseTaskConfigSchema } from './task.ts';
import type { ObsLayout } from './layout.ts';
import { box } from './spaces.ts';
import { buildRobot, type RobotBuild } from './robots.ts';
import type { TaskEntry } from './registry.ts';
import { ARM_CONFIG_SHAPE, ArmGoalTask, distanceGoalFunctions, goalLayouts, type DistanceGoal, type RewardKind } from './arm/common.ts';

/** The door hinge's upper limit (rad), from cabinet.xml (100°). */
export const DOOR_MAX_ANGLE = 1.745329;
/** A point on the door's vertical hinge line (m, world): the door body's origin in cabinet.xml. */
export const DOOR_HINGE: Vec3 = [0.75, -0.22, 0.732];
/** Height of the door panel's top edge (m, world) and its width from the hinge line to the free edge (m), from cabinet.xml. */
export const DOOR_TOP = 0.982;
export const DOOR_WIDTH = 0.44;
/** Grip height above the handle centre (m) at which the open fingers straddle the bar's top and the hand clears it. */
export const DOOR_GRASP_HEIGHT = 0.053;
/** Finger opening (m) of the 'handle' start: fully open astride the bar. */
const DOOR_FINGER_OPEN = 0.04;

export const DoorConfigSchema = BaseTaskConfigSchema.extend({
  ...ARM_CONFIG_SHAPE,
  /** 'dense' (default): −|angle − goal| (rad); 'sparse': −1 unless within `successThreshold`, else 0. */
  reward: z.enum(['sparse', 'dense']).default('dense'),
  /** Success when |angle − goal| ≤ this (rad). */
  successThreshold: z.number().positive().default(0.05),
  /** Goal angle ~ U[goalRange] (rad), within the hinge range 0 … 1.745. */
  goalRange: z.tuple([z.number().min(0).max(DOOR_MAX_ANGLE), z.number().min(0).max(DOOR_MAX_ANGLE)])
    .refine(([lo, hi]) => lo <= hi, { message: 'goalRange must be [low, high] with low ≤ high' })
    .default([0, Math.PI / 2]),
  /** The gripper is needed to hold the handle, so it is free by default. */
  blockGripper: z.boolean().default(false),
  /**
   * Where the hand starts: 'ready' (the arms' shared ready pose, in front of the door) or 'handle'
   * (fingers open astride the handle bar, as the scripted opener grasps it). From 'ready' random
   * actions never move the door (20 of 20 random episodes measured 0°), so exploration-driven
   * agents need the 'handle' start.
   */
  start: z.enum(['ready', 'handle']).default('ready'),
}).strict();
export type DoorConfig = z.output<typeof DoorConfigSchema>;

export const DOOR_LAYOUT: ObsLayout = [
  { name: 'grip_pos', size: 3, unit: 'm', description: 'grip site position, world frame' },
  { name: 'grip_velp', size: 3, unit: 'm/s', description: 'grip site linear velocity, world frame' },
  { name: 'finger_pos', size: 2, unit: 'm', description: 'left and right finger openings (0 closed, 0.04 open)' },
  { name: 'finger_vel', size: 2, unit: 'm/s', description: 'left and right finger opening rates' },
  { name: 'door_angle', size: 1, unit: 'rad', description: 'door hinge angle (0 closed, positive opens toward the arm)' },
  { name: 'door_vel', size: 1, unit: 'rad/s', description: 'door hinge angular velocity' },
  { name: 'handle_pos', size: 3, unit: 'm', description: 'handle bar centre (site `handle`), world frame' },
  { name: 'handle_rel_pos', size: 3, unit: 'm', description: 'handle bar centre minus grip position' },
];

/** The door's goal functions (goal = hinge angle, 1 value in rad), pure and batched for relabelling. */
export function doorGoalFunctions(opts: { reward?: RewardKind; successThreshold?: number } = {}): DistanceGoal {
  return distanceGoalFunctions(1, opts.successThreshold ?? 0.05, opts.reward ?? 'dense');
}

export class DoorTask extends ArmGoalTask {
  /** qpos and qvel addresses of `door_hinge`. */
  readonly hingeQ: number;
  readonly hingeV: number;
  private readonly handleSite: number;
  private readonly handle = new Float64Array(3);

  /**
   * 100 steps × 0.04 s = 4 s. The scripted DoorOpener (tasks/controllers) needs about 25 steps to
   * grasp the handle and up to about 93 to open the door to 90°.
   */
  constructor(build: RobotBuild, readonly config: DoorConfig) {
    super({
      id: 'door', build, config, maxEpisodeSteps: 100,
      layout: { observation: DOOR_LAYOUT, ...goalLayouts('door_angle', 1, 'rad', 'door hinge angle') },
      goal: doorGoalFunctions(config), goalSpace: box(1, -Math.PI, Math.PI), goalUnit: 'rad',
    });
    const m = build.model;
    const hinge = m.joints[indexOf(m.joints, 'door_hinge', 'joint')]!;
    this.hingeQ = hinge.qposAdr;
    this.hingeV = hinge.dofAdr;
    this.handleSite = indexOf(m.sites, 'handle', 'site');
    this.goalBounds.low[0] = config.goalRange[0];
    this.goalBounds.high[0] = config.goalRange[1];
    if (config.start === 'handle') this.startAtHandle();
  }

  /** Rewrites the start pose: grip over the handle bar's centre by the opener's grasp height, fingers open. */
  private startAtHandle(): void {
    const h = this.world.sitePos(this.handleSite, this.handle);
    const target = [h[0]!, h[1]!, h[2]! + DOOR_GRASP_HEIGHT];
    const ik = this.controller.ik, arm = new Float64Array(ik.chain.dof);
    const err = ik.reach(ik.rest, target, arm);
    if (err > 2e-3) throw new Error(`door: IK misses the handle start ${target.map((v) => v.toFixed(3)).join(', ')} by ${err.toFixed(4)} m`);
    ik.chain.qposAdr.forEach((a, i) => { this.startQpos[a] = arm[i]!; });
    for (const q of this.fingerQ) this.startQpos[q] = DOOR_FINGER_OPEN;
  }

  /** The door starts closed (its reference angle, in `startQpos`). */
  protected placeScene(): void {}

  protected sampleGoal(rng: Rng, out: Float32Array): void {
    const [lo, hi] = this.config.goalRange;
    out[0] = rng.range(lo, hi);
  }

  protected writeAchieved(out: Float32Array): void {
    out[0] = this.qpos[this.hingeQ]!;
  }

  protected writeObservation(out: Float32Array): void {
    const g = this.gripPos, h = this.world.sitePos(this.handleSite, this.handle);
    for (let k = 0; k < 3; k++) {
      out[k] = g[k]!;
      out[3 + k] = this.gripVel[k]!;
      out[12 + k] = h[k]!;
      out[15 + k] = h[k]! - g[k]!;
    }
    this.writeFingers(out, 6, 8);
    out[10] = this.qpos[this.hingeQ]!;
    out[11] = this.qvel[this.hingeV]!;
  }
}

export const doorEntry: TaskEntry<typeof DoorConfigSchema> = {
  id: 'door',
  summary: 'The 7-DoF arm (composed with a cabinet) opens the door to a goal hinge angle drawn from goalRange (default 0–90°); actions as arm-reach, gripper free; reward −|angle − goal| (dense) or −1/0 (sparse), success within 0.05 rad; 100 steps',
  configSchema: DoorConfigSchema,
  create: async (config) => new DoorTask(await buildRobot('arm', 'arm.xml', ['cabinet.xml']), config),
};
