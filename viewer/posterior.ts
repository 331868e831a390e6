// The DIAYN skill posterior in play mode: q(z|s) from the saved discriminator at every step, argmax agreement per skill, and a push probe (dip and recovery).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { argmax, loadDiscriminator, type Discriminator } from '../agents/discriminator.ts';
import { MAX_TRACE, type Posterior, type SkillScore } from './protocol.ts';

/** Steps before a push whose q(z|s) is averaged into the probe's baseline. */
export const BASELINE_STEPS = 20;
/** q(z|s) back at this fraction of the baseline, after dipping below it, counts as recovered. */
export const RECOVERY_FRACTION = 0.9;

/** What the scene message says about the posterior of a skill policy. */
export interface PosteriorInfo {
  available: boolean;
  note: string;
}

/**
 * Loads the discriminator saved beside a skill policy and checks that it fits: same task, same
 * number of skills, and observation indices inside the task's observation of `obsDim` values.
 * Returns null with the reason when there is none or it does not fit (the policy still plays).
 */
export function openDiscriminator(dir: string | undefined, task: string, skills: number, obsDim: number): { disc: Discriminator | null; info: PosteriorInfo } {
  if (!dir || !existsSync(join(dir, 'model.json'))) return { disc: null, info: { available: false, note: 'no discriminator was saved beside this policy' } };
  let disc: Discriminator;
  try {
    disc = loadDiscriminator(dir);
  } catch (err) {
    return { disc: null, info: { available: false, note: (err as Error).message } };
  }
  const m = disc.meta, worst = Math.max(...m.features);
  const problem = m.task !== task ? `it was trained on '${m.task}', not '${task}'`
    : m.skills !== skills ? `it has ${m.skills} skills, the policy ${skills}`
      : worst >= obsDim ? `it reads observation index ${worst}, but ${task} gives ${obsDim} values` : null;
  if (problem) {
    disc.dispose();
    return { disc: null, info: { available: false, note: `discriminator ${dir} ignored: ${problem}` } };
  }
  return { disc, info: { available: true, note: `q(z|s) over ${m.skills} skills from ${m.features.length} of ${obsDim} observation values` } };
}

type Probe = NonNullable<Posterior['push']>;

/** Rounds a probability for the wire (6 decimals), inside [0, 1]. */
export function wire(v: number): number {
  return Math.min(1, Math.max(0, Math.round(v * 1e6) / 1e6));
}

/** Per-step posterior of one play session; buffers are allocated once (the tfjs call allocates its own tensors). */
export class SkillPosterior {
  /** q(z|s) of the last observed state, one value per skill. */
  readonly row: Float32Array;
  step = 0;
  skill = 0;
  probe: Probe | null = null;
  private readonly seen: Int32Array;
  private readonly hits: Int32Array;
  private readonly sumQ: Float64Array;
  private readonly trace = new Float32Array(MAX_TRACE);
  private traceLen = 0;
  private readonly history = new Float32Array(BASELINE_STEPS);
  private historyLen = 0;

  constructor(private readonly disc: Discriminator, readonly skills: number, private readonly obsDim: number) {
    this.row = new Float32Array(skills);
    this.seen = new Int32Array(skills);
    this.hits = new Int32Array(skills);
    this.sumQ = new Float64Array(skills);
  }

  /** A new episode: clears the trace, the pre-push history and the probe, then observes the first state (not scored). */
  reset(obs: Float32Array, skill: number): void {
    this.traceLen = 0;
    this.historyLen = 0;
    this.probe = null;
    this.observe(obs, 0, skill, false);
  }

  /**
   * q(z|s) for the state `obs` (the flat observation) reached at play step `step` while `skill`
   * played; `score` adds it to that skill's argmax agreement.
   */
  observe(obs: Float32Array, step: number, skill: number, score = true): void {
    if (skill !== this.skill) this.select(skill);
    this.row.set(this.disc.posterior(obs, 1, this.obsDim));
    this.step = step;
    const q = this.row[skill]!;
    if (score) {
      this.seen[skill]!++;
      if (argmax(this.row, 0, this.skills) === skill) this.hits[skill]!++;
      this.sumQ[skill]! += q;
    }
    if (this.traceLen === MAX_TRACE) this.trace.copyWithin(0, 1);
    this.trace[Math.min(this.traceLen, MAX_TRACE - 1)] = q;
    this.traceLen = Math.min(MAX_TRACE, this.traceLen + 1);
    this.updateProbe(q, step);
    this.history[this.historyLen % BASELINE_STEPS] = q;
    this.historyLen++;
  }

  /** A kick or the start of a drag at play step `step`: the baseline is q of the playing skill over the steps before it. */
  pushed(step: number): void {
    const n = Math.min(this.historyLen, BASELINE_STEPS);
    let before = this.row[this.skill]!;
    if (n > 0) {
      before = 0;
      for (let k = 0; k < n; k++) before += this.history[k]!;
      before /= n;
    }
    this.probe = { step, before: wire(before), min: wire(this.row[this.skill]!), minStep: step, recovered: null, dipped: false };
  }

  /** The posterior message for this step; `drain` empties the trace (broadcasts), otherwise it is sent empty (a page that just joined). */
  message(scene: number, drain: boolean): Posterior {
    const trace = drain ? Array.from(this.trace.subarray(0, this.traceLen), wire) : [];
    if (drain) this.traceLen = 0;
    return { type: 'posterior', scene, step: this.step, skill: this.skill, q: Array.from(this.row, wire), trace, push: this.probe && { ...this.probe } };
  }

  /** Argmax agreement and mean q(z|s) per skill over the states scored while it played. */
  scores(): SkillScore[] {
    return Array.from(this.seen, (n, k) => ({
      steps: n, agreement: n > 0 ? wire(this.hits[k]! / n) : null, meanPosterior: n > 0 ? wire(this.sumQ[k]! / n) : null,
    }));
  }

  /** The user picked another skill: the trace, push baseline and probe refer to the old one and are dropped. */
  select(skill: number): void {
    this.skill = skill;
    this.traceLen = 0;
    this.historyLen = 0;
    this.probe = null;
  }

  dispose(): void {
    this.disc.dispose();
  }

  private updateProbe(q: number, step: number): void {
    const p = this.probe;
    if (!p || step <= p.step || p.recovered !== null) return;
    if (q < p.min) { p.min = wire(q); p.minStep = step; }
    const level = RECOVERY_FRACTION * p.before;
    if (q < level) p.dipped = true;
    else if (p.dipped) p.recovered = step;
  }
}
