// Replay and live modes: a recorded episode re-simulated once into per-step frames, played back at real time with a scrubber.
import { parseRecording, replayRecording, type Recording } from '../tasks/recording.ts';
import type { Env, Observation } from '../tasks/env.ts';
import { describeScene, type SceneBody } from './scene.ts';
import { F, FLAG_DONE, FRAME_MAGIC, frameLength, frameSections } from './protocol.ts';

/** A re-simulated episode with everything the page shows at each step. */
export class TrackSession {
  readonly scene: SceneBody;
  readonly frame: Float32Array;
  readonly steps: number;
  /** Index of the frame shown: 0 = after reset, `steps` = the end. */
  index = 0;
  private readonly poses: Float32Array;
  private readonly terms: Float64Array;
  private readonly returns: Float64Array;
  private readonly rewards: Float64Array;
  private readonly goals: Float32Array;
  private readonly sections: ReturnType<typeof frameSections>;

  private constructor(readonly recording: Recording, scene: SceneBody, replay: Awaited<ReturnType<typeof replayRecording>>, goals: Float32Array) {
    this.scene = scene;
    this.steps = recording.actions.length;
    this.poses = replay.poses;
    this.terms = replay.terms;
    this.rewards = replay.rewards;
    this.returns = new Float64Array(this.steps + 1);
    for (let t = 0; t < this.steps; t++) this.returns[t + 1] = this.returns[t]! + replay.rewards[t]!;
    this.goals = goals;
    const nb = scene.bodies.length, nt = scene.terms.length, ng = scene.goal?.dim ?? 0;
    this.frame = new Float32Array(frameLength(nb, nt, ng));
    this.sections = frameSections(nb, nt, ng);
  }

  /** Validates and re-simulates a recording (throws naming the bad field, or the unknown task). */
  static async create(value: unknown): Promise<TrackSession> {
    const recording = parseRecording(value);
    let scene: SceneBody | null = null;
    let goals = new Float32Array(0);
    let dim = 0;
    const keep = (t: number, obs: Observation) => {
      if (obs instanceof Float32Array || !obs.desired_goal || !obs.achieved_goal) return;
      goals.set(obs.desired_goal, t * 2 * dim);
      goals.set(obs.achieved_goal, t * 2 * dim + dim);
    };
    const replay = await replayRecording(recording, (t, env: Env, obs) => {
      if (t === 0) {
        scene = describeScene(env);
        dim = scene.goal?.dim ?? 0;
        goals = new Float32Array((recording.actions.length + 1) * 2 * dim);
      }
      keep(t, obs);
    });
    return new TrackSession(recording, scene!, replay, goals);
  }

  get task(): string {
    return this.recording.task;
  }

  get policyName(): string {
    const p = this.recording.meta.policy;
    return typeof p === 'string' ? p : 'recorded';
  }

  get atEnd(): boolean {
    return this.index >= this.steps;
  }

  /** Moves one frame forward; returns false at the end. */
  advance(): boolean {
    if (this.atEnd) return false;
    this.index++;
    return true;
  }

  seek(step: number): void {
    this.index = Math.max(0, Math.min(this.steps, step));
  }

  /** Fills and returns the pose frame for the current index (see protocol.ts). */
  writeFrame(sceneId: number, flags: number, speed: number): Float32Array {
    const f = this.frame, s = this.sections, t = this.index;
    const nb = this.scene.bodies.length, nt = this.scene.terms.length, ng = this.scene.goal?.dim ?? 0;
    f.fill(0);
    f[F.magic] = FRAME_MAGIC; f[F.scene] = sceneId; f[F.step] = t; f[F.time] = t * this.recording.dt;
    f[F.ret] = this.returns[t]!; f[F.reward] = t > 0 ? this.rewards[t - 1]! : 0;
    f[F.flags] = flags | (this.atEnd ? FLAG_DONE : 0);
    f[F.nbodies] = nb; f[F.nterms] = nt; f[F.ngoal] = ng; f[F.speed] = speed; f[F.steps] = this.steps;
    if (t > 0) for (let k = 0; k < nt; k++) f[s.terms + k] = this.terms[(t - 1) * nt + k]!;
    if (ng > 0) f.set(this.goals.subarray(t * 2 * ng, (t + 1) * 2 * ng), s.goal);
    f.set(this.poses.subarray(t * nb * 7, (t + 1) * nb * 7), s.bodies);
    return f;
  }
}
