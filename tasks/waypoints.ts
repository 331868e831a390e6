// quadruped-waypoints: the ant walks to a sequence of waypoints on the floor (a downstream task for skills), composed around the walker task.
import { z } from 'zod';
import type { Env, EnvSpec, PushRecord, ResetOptions, StepInfo, StepResult } from './env.ts';
import { box } from './spaces.ts';
import type { ObsLayout } from './layout.ts';
import { RewardTerms } from './reward.ts';
import { Rng } from '../sim/rng.ts';
import type { SimWorld } from '../sim/world.ts';
import type { DragSpec, PushSpec } from './push.ts';
import { QuadrupedConfigSchema, QuadrupedTask } from './quadruped.ts';
import { buildRobot } from './robots.ts';
import type { TaskEntry } from './registry.ts';

/** The walker's options (the quadruped task's, incl. time limit, action policy, randomisation, pushes) plus the waypoints'. */
export const WaypointsConfigSchema = QuadrupedConfigSchema.extend({
  /** Distance (m) from one waypoint to the next (and from the start to the first). */
  spacing: z.number().positive().default(3),
  /** Largest turn (rad) between successive legs; the first leg's direction is uniform. */
  maxTurn: z.number().min(0).max(Math.PI).default(Math.PI / 2),
  /** A waypoint counts as reached within this radius (m). */
  radius: z.number().positive().default(0.5),
  /** Bonus for each waypoint reached. */
  reachBonus: z.number().min(0).default(10),
  /** Weight of the progress term (m/s toward the current waypoint). */
  progressWeight: z.number().default(1),
}).strict();
export type WaypointsConfig = z.output<typeof WaypointsConfigSchema>;

/**
 * GoToTarget-style composition: a walker env (the quadruped task, with its own termination) plus
 * waypoints. Observation = walker observation ‖ vector to the current waypoint (world x, y).
 * Reward = progress toward the waypoint + bonus on reaching it − control cost.
 */
export class WaypointsTask implements Env<Float32Array> {
  readonly spec: EnvSpec;
  private readonly obs: Float32Array;
  private readonly terms: RewardTerms;
  private readonly info: StepInfo = { rewardTerms: {}, pushes: [] };
  private rng = new Rng(0);
  private readonly goal = [0, 0];
  private heading = 0;
  private reached = 0;
  private distBefore = 0;
  private readonly wd: number;

  constructor(readonly walker: QuadrupedTask, readonly config: WaypointsConfig) {
    const inner = walker.spec;
    this.wd = inner.observationSpace.type === 'box' ? inner.observationSpace.shape[0]! : 0;
    const layout: ObsLayout = [...inner.obsLayout.observation!, { name: 'waypoint_rel', size: 2, unit: 'm', description: 'current waypoint minus torso position (world x, y)' }];
    this.spec = {
      id: 'quadruped-waypoints', dt: inner.dt, maxEpisodeSteps: inner.maxEpisodeSteps,
      observationSpace: box(this.wd + 2, -Infinity, Infinity), actionSpace: inner.actionSpace, obsLayout: { observation: layout },
      rewardTerms: [
        { name: 'progress', weight: config.progressWeight, description: 'speed toward the current waypoint (m/s)' },
        { name: 'reached', weight: config.reachBonus, description: '1 on the step a waypoint is reached' },
        { name: 'ctrl_cost', weight: -config.ctrlCostWeight, description: 'squared norm of the action' },
      ],
    };
    this.obs = new Float32Array(this.wd + 2);
    this.terms = new RewardTerms(this.spec.rewardTerms);
  }

  /** The walker's simulation (the viewer draws it and pushes go to it). */
  get world(): SimWorld {
    return this.walker.world;
  }

  reset(opts: ResetOptions = {}): { obs: Float32Array; info: StepInfo } {
    if (opts.seed !== undefined) this.rng = new Rng(opts.seed);
    const r = this.walker.reset({ seed: this.rng.nextU32() });
    this.reached = 0;
    this.heading = this.rng.range(-Math.PI, Math.PI);
    this.placeWaypoint(Number(r.info.x_position), Number(r.info.y_position));
    this.terms.values.fill(0);
    this.fill(r.info);
    return { obs: this.observe(r.obs as Float32Array, r.info), info: this.info };
  }

  private placeWaypoint(x: number, y: number): void {
    this.goal[0] = x + this.config.spacing * Math.cos(this.heading);
    this.goal[1] = y + this.config.spacing * Math.sin(this.heading);
    this.distBefore = Math.hypot(this.goal[0] - x, this.goal[1] - y);
  }

  step(action: ArrayLike<number>): StepResult<Float32Array> {
    const r = this.walker.step(action);
    const x = Number(r.info.x_position), y = Number(r.info.y_position);
    const dist = Math.hypot(this.goal[0]! - x, this.goal[1]! - y);
    let ctrl = 0;
    for (let i = 0; i < action.length; i++) ctrl += Number(action[i]) ** 2;
    this.terms.set('progress', (this.distBefore - dist) / this.spec.dt);
    this.terms.set('ctrl_cost', ctrl);
    this.terms.set('reached', dist <= this.config.radius ? 1 : 0);
    this.distBefore = dist;
    if (dist <= this.config.radius) {
      this.reached++;
      this.heading += this.rng.range(-this.config.maxTurn, this.config.maxTurn);
      this.placeWaypoint(x, y);
    }
    this.fill(r.info);
    return { obs: this.observe(r.obs as Float32Array, r.info), reward: this.terms.total(), terminated: r.terminated, truncated: r.truncated, info: this.info };
  }

  private fill(inner: StepInfo): void {
    this.terms.record(this.info.rewardTerms);
    this.info.pushes = inner.pushes;
    this.info.x_position = inner.x_position;
    this.info.y_position = inner.y_position;
    this.info.waypoints_reached = this.reached;
    this.info.waypoint_distance = this.distBefore;
  }

  private observe(inner: Float32Array, info: StepInfo): Float32Array {
    this.obs.set(inner.subarray(0, this.wd));
    this.obs[this.wd] = this.goal[0]! - Number(info.x_position);
    this.obs[this.wd + 1] = this.goal[1]! - Number(info.y_position);
    return this.obs;
  }

  applyPush(p: PushSpec): PushRecord {
    return this.walker.applyPush(p);
  }

  applyDrag(d: DragSpec): PushRecord {
    return this.walker.applyDrag(d);
  }

  close(): void {
    this.walker.close();
  }
}

export const waypointsEntry: TaskEntry<typeof WaypointsConfigSchema> = {
  id: 'quadruped-waypoints',
  summary: 'the quadruped walks to successive waypoints 3 m apart (turns up to 90°); reward = progress toward the waypoint + 10 per waypoint − 0.5‖a‖²; the walker\'s fall ends the episode',
  configSchema: WaypointsConfigSchema,
  create: async (config) => new WaypointsTask(new QuadrupedTask(await buildRobot('quadruped', 'ant.xml'), config), config),
};
