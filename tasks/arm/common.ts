// Shared code of the arm tasks (Fetch semantics): config options, goal functions, reward terms and the goal-task base class.
import { z } from 'zod';
import { indexOf, type Model } from '../../sim/model.ts';
import { referenceQpos } from '../../sim/kinematics.ts';
import type { Rng } from '../../sim/rng.ts';
import type { Vec3 } from '../../sim/math.ts';
import type { GoalFunctions, StepInfo } from '../env.ts';
import { RobotTask, type BaseTaskConfig } from '../task.ts';
import type { RewardTerm, RewardTerms } from '../reward.ts';
import type { ObsLayout } from '../layout.ts';
import { box, type BoxSpace } from '../spaces.ts';
import type { RobotBuild } from '../robots.ts';
import type { GoalSettable } from '../goal.ts';
import { ArmController, ArmIk, type ArmControlOptions } from './controller.ts';

/** Table top height (m); the table spans x −0.3 … 0.6, y −0.5 … 0.5. */
export const TABLE_TOP = 0.4;
/** Half the cube's edge (m): its centre rests at TABLE_TOP + CUBE_HALF. */
export const CUBE_HALF = 0.025;
/**
 * Grip position (m, world) every arm episode starts from, hand pointing down. Fetch moves its
 * gripper to a start point above the table before recording the initial gripper position; this one
 * is 0.175 m above a resting cube's centre and far enough from the base (0.4 m) that the whole
 * ±0.15 m sampling square can be reached with the hand pointing down.
 */
export const ARM_START_GRIP: Vec3 = [0.45, 0, 0.6];
/** Where the cube is parked (m, world) in tasks that do not use it: a far corner of the table. */
export const CUBE_PARK: Vec3 = [-0.2, 0.4, TABLE_TOP + CUBE_HALF];
/** Box the grip target is clipped to (m, world): the fingertips stay 6 mm above the table. */
export const ARM_WORKSPACE: ArmControlOptions['workspace'] = { low: [-0.1, -0.5, 0.415], high: [0.85, 0.5, 1.2] };

/** Reference-hold radius of the end-effector layer (m), see ArmController: 10× the servos' static error. */
export const ARM_HOLD_RADIUS = 0.002;

/** Options shared by the arm tasks (each task adds its own and its `blockGripper` default). */
export const ARM_CONFIG_SHAPE = {
  /** 'ee': 4-D (dx, dy, dz, gripper); 'joint': 8-D (7 joint-target deltas, gripper). */
  actionMode: z.enum(['ee', 'joint']).default('ee'),
  /** Grip displacement per step for a unit action (m). */
  eeStep: z.number().positive().max(0.2).default(0.05),
  /** Joint-target change per step for a unit action (rad), joint mode. */
  jointStep: z.number().positive().max(0.5).default(0.05),
};

export type RewardKind = 'sparse' | 'dense';

/** Goal functions with the scalar pieces the tasks use, so the env and relabelling agree exactly. */
export interface DistanceGoal extends GoalFunctions {
  reward: RewardKind;
  /** Success when the distance is at most this (goal units). */
  threshold: number;
  /** Euclidean distance between row `row` of `achieved` and of `desired`. */
  distance(achieved: ArrayLike<number>, desired: ArrayLike<number>, row?: number): number;
}

/**
 * Pure, batched goal functions over rows of `goalDim` values: success is distance ≤ `threshold`;
 * reward is −1 unless successful (sparse) or −distance (dense). They never touch an env.
 */
export function distanceGoalFunctions(goalDim: number, threshold: number, reward: RewardKind): DistanceGoal {
  const distance = (a: ArrayLike<number>, d: ArrayLike<number>, row = 0): number => {
    let s = 0;
    for (let k = row * goalDim; k < (row + 1) * goalDim; k++) s += (a[k]! - d[k]!) ** 2;
    return Math.sqrt(s);
  };
  const check = (a: ArrayLike<number>, d: ArrayLike<number>, rows: number): void => {
    if (a.length < rows * goalDim || d.length < rows * goalDim) throw new Error(`goal functions: ${rows} rows need ${rows * goalDim} values in achieved and desired (got ${a.length}, ${d.length})`);
  };
  return {
    goalDim, reward, threshold, distance,
    computeReward(achieved, desired, out) {
      check(achieved, desired, out.length);
      for (let r = 0; r < out.length; r++) {
        const dist = distance(achieved, desired, r);
        out[r] = reward === 'dense' ? -dist : dist > threshold ? -1 : 0;
      }
      return out;
    },
    isSuccess(achieved, desired, out) {
      check(achieved, desired, out.length);
      for (let r = 0; r < out.length; r++) out[r] = distance(achieved, desired, r) <= threshold ? 1 : 0;
      return out;
    },
  };
}

/** The single reward term of a goal task. */
export function goalRewardTerms(goal: DistanceGoal, unit: string): RewardTerm[] {
  return goal.reward === 'dense'
    ? [{ name: 'distance', weight: -1, description: `distance between achieved and desired goal (${unit})` }]
    : [{ name: 'not_at_goal', weight: -1, description: `1 while the achieved goal is farther than ${goal.threshold} ${unit} from the desired goal, else 0` }];
}

/** Observation layout of the goal keys: both goals share one description. */
export function goalLayouts(name: string, size: number, unit: string, what: string): { achieved_goal: ObsLayout; desired_goal: ObsLayout } {
  return {
    achieved_goal: [{ name, size, unit, description: `achieved: ${what}` }],
    desired_goal: [{ name, size, unit, description: `desired: ${what}` }],
  };
}

/** A Gymnasium-Robotics goal observation. */
export type GoalObservation = { observation: Float32Array; achieved_goal: Float32Array; desired_goal: Float32Array };

/** What a concrete arm goal task declares. */
export interface ArmTaskSetup {
  id: string;
  build: RobotBuild;
  config: BaseTaskConfig & { actionMode: 'ee' | 'joint'; eeStep: number; jointStep: number; blockGripper: boolean };
  maxEpisodeSteps: number;
  layout: { observation: ObsLayout; achieved_goal: ObsLayout; desired_goal: ObsLayout };
  goal: DistanceGoal;
  /** Space of both goal keys. */
  goalSpace: BoxSpace;
  goalUnit: string;
}

/** Control step of every arm task (s): Fetch's 20 × 2 ms, here 4 physics steps of 10 ms. */
export const ARM_CONTROL_DT = 0.04;

/**
 * The arm goal tasks' mechanics: the start pose, the action layer (`ArmController`), grip readout,
 * goal bookkeeping, reward and `info.isSuccess`. Subclasses place their scene, sample the goal and
 * write the observation and achieved goal.
 */
export abstract class ArmGoalTask extends RobotTask<GoalObservation> implements GoalSettable {
  readonly controller: ArmController;
  readonly goal: DistanceGoal;
  /** Box goals are sampled from and `setGoal` clamps into; each task fills it in its constructor. */
  readonly goalBounds: { low: Float32Array; high: Float32Array };
  protected readonly obs: GoalObservation;
  protected readonly qpos: Float64Array;
  protected readonly qvel: Float64Array;
  /** Grip site position (m) and linear velocity (m/s), world frame, refreshed by `readArm`. */
  protected readonly gripPos = new Float64Array(3);
  protected readonly gripVel = new Float64Array(3);
  /** qpos/qvel addresses of the two finger slides. */
  protected readonly fingerQ: number[];
  protected readonly fingerV: number[];
  /** Start qpos: arm at ARM_START_GRIP, fingers closed, cube parked, other joints at their reference. */
  protected readonly startQpos: Float64Array;
  /** Grip position (m, world) of `startQpos` (ARM_START_GRIP up to the IK tolerance). */
  protected readonly startGrip: Float64Array;
  protected readonly objectQ: number;
  protected distance = 0;
  private readonly gripSite: number;
  private readonly handBody: number;
  private readonly handPos = new Float64Array(3);
  private readonly handAng = new Float64Array(3);

  constructor(setup: ArmTaskSetup) {
    const { build, config, layout, goal } = setup;
    const obsSpace = box(layout.observation.reduce((n, e) => n + e.size, 0), -Infinity, Infinity);
    const controlOptions: ArmControlOptions = { mode: config.actionMode, eeStep: config.eeStep, jointStep: config.jointStep, blockGripper: config.blockGripper, holdRadius: ARM_HOLD_RADIUS, workspace: ARM_WORKSPACE };
    const controller = new ArmController(build.model, controlOptions);
    super(build.R, {
      id: setup.id, model: build.model, preset: build.preset, controlDt: ARM_CONTROL_DT, maxEpisodeSteps: setup.maxEpisodeSteps,
      observationSpace: { type: 'dict', spaces: { observation: obsSpace, achieved_goal: setup.goalSpace, desired_goal: setup.goalSpace } },
      actionSpace: box(controller.actionSize, -1, 1),
      obsLayout: layout, rewardTerms: goalRewardTerms(goal, setup.goalUnit), goal,
    }, config);
    this.controller = controller;
    this.goal = goal;
    const m = build.model;
    this.obs = { observation: new Float32Array(obsSpace.shape[0]!), achieved_goal: new Float32Array(goal.goalDim), desired_goal: new Float32Array(goal.goalDim) };
    this.goalBounds = { low: new Float32Array(goal.goalDim).fill(-Infinity), high: new Float32Array(goal.goalDim).fill(Infinity) };
    this.qpos = new Float64Array(m.nq);
    this.qvel = new Float64Array(m.nv);
    const fingers = ['finger_left', 'finger_right'].map((n) => m.joints[indexOf(m.joints, n, 'joint')]!);
    this.fingerQ = fingers.map((j) => j.qposAdr);
    this.fingerV = fingers.map((j) => j.dofAdr);
    this.gripSite = indexOf(m.sites, 'grip', 'site');
    this.handBody = m.sites[this.gripSite]!.body;
    this.objectQ = m.joints[indexOf(m.joints, 'object', 'joint')]!.qposAdr;
    this.startQpos = armStartQpos(m, controller.ik, this.objectQ);
    controller.ik.chain.forward(controller.ik.rest);
    this.startGrip = controller.ik.chain.sitePos.slice();
  }

  /** Moves the scene away from `startQpos` (already copied into `qpos`), e.g. places the cube. */
  protected abstract placeScene(rng: Rng, options: Record<string, unknown>, qpos: Float64Array): void;
  /** Samples the desired goal into `out` (within `goalBounds`), after the scene is posed. */
  protected abstract sampleGoal(rng: Rng, out: Float32Array): void;
  /** Writes the achieved goal (after `readArm`). */
  protected abstract writeAchieved(out: Float32Array): void;
  /** Writes the observation vector (after `readArm`). */
  protected abstract writeObservation(out: Float32Array): void;

  protected resetTask(rng: Rng, options: Record<string, unknown>): void {
    this.qpos.set(this.startQpos);
    this.placeScene(rng, options, this.qpos);
    this.world.setState(this.qpos);
    this.controller.reset(this.world, 0);
    this.readArm();
    this.sampleGoal(rng, this.obs.desired_goal);
    const given = options.goal;
    if (given === undefined) this.score();
    else if (Array.isArray(given) || ArrayBuffer.isView(given)) this.setGoal(given as ArrayLike<number>);
    else throw new Error(`${this.spec.id}: options.goal must be an array of ${this.goal.goalDim} numbers`);
  }

  /** See GoalSettable: validates, clamps into `goalBounds`, and rescores against the new goal. */
  setGoal(goal: ArrayLike<number>): void {
    const n = this.goal.goalDim, { low, high } = this.goalBounds;
    if (goal?.length !== n) throw new Error(`${this.spec.id}: a goal needs ${n} values, got ${goal?.length ?? 'none'}`);
    for (let k = 0; k < n; k++) {
      if (!Number.isFinite(Number(goal[k]))) throw new Error(`${this.spec.id}: goal[${k}] is ${goal[k]}; goals must be finite numbers`);
    }
    for (let k = 0; k < n; k++) this.obs.desired_goal[k] = Math.min(high[k]!, Math.max(low[k]!, Number(goal[k])));
    this.score();
  }

  protected applyAction(action: Float32Array): void {
    this.controller.apply(this.world, action);
  }

  protected scoreStep(_action: Float32Array, terms: RewardTerms): void {
    this.score();
    const d = this.distance;
    if (this.goal.reward === 'dense') terms.set('distance', d);
    else terms.set('not_at_goal', d > this.goal.threshold ? 1 : 0);
  }

  protected override describe(info: StepInfo): void {
    info.isSuccess = this.distance <= this.goal.threshold;
    info.distance = this.distance;
  }

  protected observe(): GoalObservation {
    this.readArm();
    this.writeAchieved(this.obs.achieved_goal);
    this.writeObservation(this.obs.observation);
    return this.obs;
  }

  /** Refreshes qpos, qvel and the grip's position and velocity. */
  protected readArm(): void {
    const w = this.world;
    w.qpos(this.qpos);
    w.qvel(this.qvel);
    w.sitePos(this.gripSite, this.gripPos);
    w.bodyPose(this.handBody, this.handPos);
    w.bodyVelocity(this.handBody, this.gripVel, this.handAng);
    const a = this.handAng, rx = this.gripPos[0]! - this.handPos[0]!, ry = this.gripPos[1]! - this.handPos[1]!, rz = this.gripPos[2]! - this.handPos[2]!;
    this.gripVel[0] = this.gripVel[0]! + a[1]! * rz - a[2]! * ry;
    this.gripVel[1] = this.gripVel[1]! + a[2]! * rx - a[0]! * rz;
    this.gripVel[2] = this.gripVel[2]! + a[0]! * ry - a[1]! * rx;
  }

  /** Writes finger positions (m) and velocities (m/s) at `out[p..p+2]` and `out[v..v+2]`. */
  protected writeFingers(out: Float32Array, p: number, v: number): void {
    for (let i = 0; i < 2; i++) {
      out[p + i] = this.qpos[this.fingerQ[i]!]!;
      out[v + i] = this.qvel[this.fingerV[i]!]!;
    }
  }

  /** Distance from the achieved to the desired goal, from the float32 goal arrays (as relabelling sees them). */
  private score(): void {
    this.readArm();
    this.writeAchieved(this.obs.achieved_goal);
    this.distance = this.goal.distance(this.obs.achieved_goal, this.obs.desired_goal);
  }
}

/** Full start qpos: arm joints solved by IK for ARM_START_GRIP from the rest pose, cube parked; the start becomes the IK's rest posture. */
function armStartQpos(model: Model, ik: ArmIk, objectQ: number): Float64Array {
  const q = referenceQpos(model);
  const arm = new Float64Array(ik.chain.dof);
  const err = ik.reach(ik.rest, ARM_START_GRIP, arm);
  if (err > 1e-3) throw new Error(`arm start pose: IK misses ${ARM_START_GRIP.join(', ')} by ${err.toFixed(4)} m`);
  ik.chain.qposAdr.forEach((a, i) => { q[a] = arm[i]!; });
  ik.rest.set(arm);
  q.set(CUBE_PARK, objectQ);
  q.set([1, 0, 0, 0], objectQ + 3);
  return q;
}
