// Play mode: one task simulated on the server with a policy in the loop, recorded as it goes, perturbed by viewers' drags, kicks and goals; skill policies stream their posterior.
import { makeEnv } from '../tasks/index.ts';
import type { Env, Observation, StepInfo } from '../tasks/env.ts';
import { Recorder, simOf, writeBodyPoses, type Recording } from '../tasks/recording.ts';
import { isGoalSettable } from '../tasks/goal.ts';
import type { SimWorld } from '../sim/world.ts';
import { PolicyDriver, type PolicyEntry } from './policies.ts';
import { describeScene, type SceneBody } from './scene.ts';
import { F, FLAG_DONE, FLAG_DRAGGING, FRAME_MAGIC, frameLength, frameSections, type Gallery } from './protocol.ts';
import { SkillPosterior, openDiscriminator, type PosteriorInfo } from './posterior.ts';
import { SkillSurvey, flatObservation, flatObservationSize } from './survey.ts';

type Vec3 = [number, number, number];

/** A live simulation of one task driven by one policy. */
export class PlaySession {
  readonly scene: SceneBody;
  readonly frame: Float32Array;
  private readonly world: SimWorld | null;
  private readonly action: Float32Array;
  private readonly sections: ReturnType<typeof frameSections>;
  private recorder!: Recorder;
  private obs!: Observation;
  private info!: StepInfo;
  private episode = 0;
  private ret = 0;
  private reward = 0;
  /** Wall time (ms) when the episode ended, or null while it runs. */
  doneAt: number | null = null;
  private grab: { body: number; local: Vec3 } | null = null;
  private target: Vec3 = [0, 0, 0];
  private readonly pose = [0, 0, 0];
  private readonly quat = [1, 0, 0, 0];
  private readonly force = new Float64Array(3);
  /** Skill policies with a discriminator: q(z|s) at every step, and the survey of all skills (else null). */
  readonly posterior: SkillPosterior | null = null;
  readonly survey: SkillSurvey | null = null;
  /** Skill policies: whether the posterior is streamed and why (null for other policies). */
  readonly posteriorInfo: PosteriorInfo | null = null;
  /** Set when the gallery's scores changed since the hub last sent them. */
  galleryDirty = false;

  private constructor(readonly env: Env, readonly driver: PolicyDriver, readonly entry: PolicyEntry, private readonly seed: number) {
    this.world = simOf(env);
    const skills = driver.skills;
    if (skills !== null) {
      const obsDim = flatObservationSize(env.spec);
      const { disc, info } = openDiscriminator(entry.discriminatorDir, env.spec.id, skills, obsDim);
      this.posteriorInfo = info;
      if (disc) {
        this.posterior = new SkillPosterior(disc, skills, obsDim);
        this.survey = new SkillSurvey(env.spec.id, entry, skills, () => { this.galleryDirty = true; });
      }
    }
    this.scene = describeScene(env);
    this.action = new Float32Array(env.spec.actionSpace.shape[0]!);
    const nb = this.scene.bodies.length, nt = this.scene.terms.length, ng = this.scene.goal?.dim ?? 0;
    this.frame = new Float32Array(frameLength(nb, nt, ng));
    this.sections = frameSections(nb, nt, ng);
    this.reset();
  }

  /** Makes the task's env and loads the policy; throws with a clear message if they do not fit. */
  static async create(task: string, entry: PolicyEntry, seed = 0): Promise<PlaySession> {
    const env = await makeEnv(task, entry.taskConfig ?? {});
    try {
      const driver = new PolicyDriver(await entry.load(), env);
      return new PlaySession(env, driver, entry, seed);
    } catch (err) {
      env.close();
      throw err;
    }
  }

  get policyName(): string {
    return this.entry.name;
  }

  get task(): string {
    return this.env.spec.id;
  }

  get steps(): number {
    return this.recorder.stepCount;
  }

  /** Starts a new episode (next seed); drags are released. */
  reset(): void {
    this.recorder = new Recorder(this.env, this.seed + this.episode++, { meta: { policy: this.policyName, source: 'paddock view' } });
    const r = this.recorder.reset();
    this.obs = r.obs;
    this.info = r.info;
    this.driver.reset();
    this.ret = 0;
    this.reward = 0;
    this.doneAt = null;
    this.grab = null;
    this.posterior?.reset(flatObservation(this.obs), this.driver.skill);
  }

  /** One environment step with the policy's action (no-op once the episode has ended). */
  step(): void {
    if (this.doneAt !== null) return;
    this.driver.act(this.obs, this.action);
    const r = this.recorder.step(this.action);
    this.obs = r.obs;
    this.info = r.info;
    this.reward = r.reward;
    this.ret += r.reward;
    if (r.terminated || r.truncated) this.doneAt = Date.now();
    if (this.posterior) {
      this.posterior.observe(flatObservation(this.obs), this.steps, this.driver.skill);
      this.galleryDirty = true;
    }
  }

  /** Starts or moves a drag of model body `body`; `local` (m, body frame) is the grabbed point. */
  drag(body: number, local: Vec3 | undefined, target: Vec3): void {
    const name = this.movableName(body);
    const starting = !this.grab || this.grab.body !== body;
    if (starting) {
      const grab = local ?? [0, 0, 0];
      this.recorder.drag({ body: name, point: this.toWorld(body, grab), target });
      this.grab = { body, local: grab };
      this.posterior?.pushed(this.steps);
    } else this.recorder.drag({ body: name, target });
    this.target = target;
  }

  release(): void {
    if (!this.grab) return;
    this.recorder.drag({ body: this.scene.bodies[this.grab.body]!.name, target: null });
    this.grab = null;
  }

  /** An impulse (N·s, world) at the centre of mass of model body `body`. */
  kick(body: number, impulse: Vec3): void {
    this.recorder.push({ body: this.movableName(body), impulse });
    this.posterior?.pushed(this.steps);
  }

  setGoal(goal: number[]): void {
    const g = this.scene.goal;
    if (!g || !isGoalSettable(this.env)) throw new Error(`${this.task} has no goal to set`);
    if (goal.length !== g.dim) throw new Error(`goal must have ${g.dim} values for ${this.task}`);
    this.recorder.setGoal(goal);
  }

  set skill(k: number) {
    const n = this.driver.skills;
    if (n === null) throw new Error(`policy '${this.policyName}' has no skills`);
    if (k >= n) throw new Error(`skill must be below ${n}`);
    this.driver.skill = k;
    this.posterior?.select(k);
  }

  get skill(): number {
    return this.driver.skill;
  }

  /** The env's current desired goal (goal tasks), else null. */
  desiredGoal(): Float32Array | null {
    return this.obs instanceof Float32Array ? null : this.obs.desired_goal ?? null;
  }

  /** Starts a survey of every skill (`steps` steps each, from this session's seed); resolves when it ends. */
  startSurvey(steps: number): Promise<void> {
    if (!this.survey) throw new Error(`policy '${this.policyName}' has no skill posterior: ${this.posteriorInfo?.note ?? 'not a skill policy'}`);
    return this.survey.start(steps, this.seed);
  }

  /** The gallery message (skill policies with a posterior), else null. */
  gallery(scene: number): Gallery | null {
    if (!this.posterior || !this.survey) return null;
    const survey = this.survey.status;
    return { type: 'gallery', scene, skills: this.posterior.skills, live: this.posterior.scores(), survey: { ...survey, scores: [...survey.scores] } };
  }

  recording(): Recording {
    return this.recorder.recording();
  }

  /** Fills and returns the pose frame (see protocol.ts). */
  writeFrame(sceneId: number, flags: number, speed: number): Float32Array {
    const f = this.frame, s = this.sections, terms = this.scene.terms;
    f[F.magic] = FRAME_MAGIC; f[F.scene] = sceneId; f[F.step] = this.steps; f[F.time] = this.steps * this.env.spec.dt;
    f[F.ret] = this.ret; f[F.reward] = this.reward;
    f[F.flags] = flags | (this.doneAt !== null ? FLAG_DONE : 0) | (this.grab ? FLAG_DRAGGING : 0);
    f[F.nbodies] = this.scene.bodies.length; f[F.nterms] = terms.length; f[F.ngoal] = this.scene.goal?.dim ?? 0;
    f[F.speed] = speed; f[F.steps] = 0;
    for (let k = 0; k < terms.length; k++) f[s.terms + k] = this.info.rewardTerms[terms[k]!] ?? 0;
    if (!(this.obs instanceof Float32Array) && this.scene.goal) {
      f.set(this.obs.desired_goal!, s.goal);
      f.set(this.obs.achieved_goal!, s.achieved);
    }
    this.writeDrag(f);
    if (this.world) writeBodyPoses(this.world, f, s.bodies);
    return f;
  }

  close(): void {
    this.survey?.stop();
    this.posterior?.dispose();
    this.driver.dispose();
    this.env.close();
  }

  private writeDrag(f: Float32Array): void {
    f.fill(0, F.grab, F.force + 3);
    if (!this.grab || !this.world) return;
    const p = this.toWorld(this.grab.body, this.grab.local);
    this.world.dragForce(this.force);
    for (let k = 0; k < 3; k++) {
      f[F.grab + k] = p[k]!;
      f[F.target + k] = this.target[k]!;
      f[F.force + k] = this.force[k]!;
    }
  }

  private movableName(body: number): string {
    const b = this.scene.bodies[body];
    if (!b) throw new Error(`no body ${body} in ${this.task}`);
    if (!b.movable) throw new Error(`body '${b.name}' is fixed and cannot be pushed`);
    return b.name;
  }

  /** World position (m) of a point given in model body `body`'s frame. */
  private toWorld(body: number, local: Vec3): Vec3 {
    if (!this.world) throw new Error(`${this.task} has no simulation to push`);
    const p = this.pose, q = this.quat;
    this.world.bodyPose(body, p, q);
    const [w, x, y, z] = q as [number, number, number, number];
    const [lx, ly, lz] = local;
    const tx = 2 * (y * lz - z * ly), ty = 2 * (z * lx - x * lz), tz = 2 * (x * ly - y * lx);
    return [
      p[0]! + lx + w * tx + (y * tz - z * ty),
      p[1]! + ly + w * ty + (z * tx - x * tz),
      p[2]! + lz + w * tz + (x * ty - y * tx),
    ];
  }
}
