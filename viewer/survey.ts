// Skill survey for the gallery: plays every skill of a DIAYN policy in a separate env, between simulation ticks, and scores its posterior.
import { makeEnv } from '../tasks/index.ts';
import type { Env, EnvSpec, Observation } from '../tasks/env.ts';
import type { Discriminator } from '../agents/discriminator.ts';
import { PolicyDriver, type PolicyEntry } from './policies.ts';
import { argmax } from '../agents/discriminator.ts';
import { openDiscriminator, wire } from './posterior.ts';
import type { Gallery, SkillScore } from './protocol.ts';

export type SurveyStatus = Gallery['survey'];

/** Env steps between yields to the event loop (a few ms of work, so the real-time simulation keeps its pace). */
const CHUNK = 5;

const empty = (): SkillScore => ({ steps: 0, agreement: null, meanPosterior: null });

/** The flat observation a DIAYN discriminator reads (the `observation` entry of dict observations). */
export function flatObservation(obs: Observation): Float32Array {
  return obs instanceof Float32Array ? obs : obs.observation!;
}

/** Number of values in `flatObservation` for an env. */
export function flatObservationSize(spec: EnvSpec): number {
  const space = spec.observationSpace;
  return space.type === 'dict' ? space.spaces.observation!.shape[0]! : space.shape[0]!;
}

/**
 * One survey at a time per play session: skill z = 0 … N−1 each plays one episode from the same
 * seed, with the mean action, for up to `steps` steps; its score is the fraction of the states
 * reached where argmax q(z|s) = z, and the mean q(z|s).
 */
export class SkillSurvey {
  status: SurveyStatus;
  private running = false;
  private stopRequested = false;

  /** `changed` is called after every skill and when the survey starts or ends. */
  constructor(private readonly task: string, private readonly entry: PolicyEntry, readonly skills: number, private readonly changed: () => void) {
    this.status = { state: 'idle', steps: 0, done: 0, scores: Array.from({ length: skills }, empty), message: '' };
  }

  get busy(): boolean {
    return this.running;
  }

  /** Starts a survey of `steps` steps per skill from episode seed `seed`; resolves when it ends. Throws at once when one is running. */
  start(steps: number, seed: number): Promise<void> {
    if (this.running) throw new Error('a skill survey is running: stop it first');
    if (!this.entry.discriminatorDir) throw new Error(`policy '${this.entry.name}' has no discriminator to survey with`);
    this.running = true;
    this.stopRequested = false;
    this.status = { state: 'running', steps, done: 0, scores: Array.from({ length: this.skills }, empty), message: `seed ${seed}, mean action` };
    this.changed();
    return this.run(steps, seed).finally(() => { this.running = false; this.changed(); });
  }

  stop(): void {
    this.stopRequested = true;
  }

  private async run(steps: number, seed: number): Promise<void> {
    let env: Env | null = null, driver: PolicyDriver | null = null, disc: Discriminator | null = null;
    try {
      env = await makeEnv(this.task, this.entry.taskConfig ?? {});
      driver = new PolicyDriver(await this.entry.load(), env);
      const obsDim = flatObservationSize(env.spec);
      const opened = openDiscriminator(this.entry.discriminatorDir, this.task, this.skills, obsDim);
      if (!opened.disc) throw new Error(opened.info.note);
      disc = opened.disc;
      const rows = new Float32Array(steps * obsDim), action = new Float32Array(env.spec.actionSpace.shape[0]!);
      for (let z = 0; z < this.skills && !this.stopRequested; z++) {
        const n = await this.rollout(env, driver, z, seed, rows, action);
        if (n === null) break;
        this.status.scores[z] = scoreSkill(disc.posterior(rows, n, obsDim), n, z, this.skills);
        this.status.done = z + 1;
        this.changed();
      }
      this.status.state = this.stopRequested ? 'stopped' : 'done';
    } catch (err) {
      this.status.state = 'error';
      this.status.message = (err as Error).message;
    } finally {
      disc?.dispose();
      driver?.dispose();
      env?.close();
    }
  }

  /** Plays skill `z` for one episode (at most the survey's steps), writing the states reached into `rows`; null when stopped. */
  private async rollout(env: Env, driver: PolicyDriver, z: number, seed: number, rows: Float32Array, action: Float32Array): Promise<number | null> {
    driver.skill = z;
    driver.reset();
    let obs = env.reset({ seed }).obs;
    const od = flatObservation(obs).length, steps = rows.length / od;
    for (let t = 0; t < steps; t++) {
      driver.act(obs, action);
      const r = env.step(action);
      obs = r.obs;
      rows.set(flatObservation(obs), t * od);
      if (r.terminated || r.truncated) return t + 1;
      if ((t + 1) % CHUNK === 0) {
        await new Promise((resolve) => setImmediate(resolve));
        if (this.stopRequested) return null;
      }
    }
    return steps;
  }
}

/** Agreement (argmax q = z) and mean q(z|s) over `n` posterior rows of skill `z`. */
export function scoreSkill(q: Float32Array, n: number, z: number, skills: number): SkillScore {
  let hits = 0, sum = 0;
  for (let i = 0; i < n; i++) {
    if (argmax(q, i * skills, skills) === z) hits++;
    sum += q[i * skills + z]!;
  }
  return { steps: n, agreement: n > 0 ? wire(hits / n) : null, meanPosterior: n > 0 ? wire(sum / n) : null };
}
