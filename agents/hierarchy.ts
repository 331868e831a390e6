// A hierarchical controller's env: each action picks one of a frozen skill policy's skills, which then acts for K steps.
import type { Env, EnvSpec, Observation, StepInfo, StepResult } from '../tasks/env.ts';
import { box, boxSize } from '../tasks/spaces.ts';
import type { ObsLayout } from '../tasks/layout.ts';
import type { Policy } from './policy.ts';

/**
 * Wraps `base` so that an agent chooses skills: action ∈ [−1, 1]^N, skill = argmax; the skill
 * policy (mean action, input = the first `obsDim − N` observation values ‖ one-hot(skill)) then
 * acts for `k` base steps. Reward (and each reward term) = the base ones summed over those steps;
 * the episode ends when the base one does. `relative`: observation indices the skill reads as
 * offsets from their value when it was chosen (e.g. the torso's x, y, so that skills trained
 * from the origin see every choice as a fresh start).
 */
export class SkillSelectorEnv implements Env<Float32Array> {
  readonly spec: EnvSpec;
  private readonly input: Float32Array;
  private readonly action: Float32Array;
  private readonly od: number;
  private obs: Float32Array;
  private readonly anchor: Float32Array;
  private readonly info: StepInfo = { rewardTerms: {}, pushes: [] };
  /** Base env steps taken in total (the budget flat SAC is compared on). */
  baseSteps = 0;

  constructor(readonly base: Env, readonly skills: Policy, readonly k: number, readonly relative: readonly number[] = []) {
    const N = skills.skills;
    if (!N) throw new Error('the skill policy has no skills (train it with --agent diayn)');
    if (base.spec.observationSpace.type !== 'box') throw new Error(`${base.spec.id}: skill selection needs flat observations`);
    this.od = skills.obsDim - N;
    if (boxSize(base.spec.observationSpace) < this.od) throw new Error(`${base.spec.id}: observations are shorter than the skills' ${this.od} inputs`);
    this.spec = {
      ...base.spec, id: `${base.spec.id}/skills`, dt: base.spec.dt * k, maxEpisodeSteps: Math.ceil(base.spec.maxEpisodeSteps / k),
      actionSpace: box(N, -1, 1), rewardTerms: base.spec.rewardTerms, baseStepsPerStep: k * (base.spec.baseStepsPerStep ?? 1),
    };
    this.input = new Float32Array(skills.obsDim);
    this.action = new Float32Array(skills.actDim);
    this.obs = new Float32Array(boxSize(base.spec.observationSpace));
    const bad = relative.find((i) => !Number.isInteger(i) || i < 0 || i >= this.od);
    if (bad !== undefined) throw new Error(`relative index ${bad} is outside the skills' ${this.od} observation inputs`);
    this.anchor = new Float32Array(relative.length);
  }

  reset(opts: { seed?: number; options?: Record<string, unknown> } = {}): { obs: Float32Array; info: StepInfo } {
    const r = this.base.reset(opts);
    this.obs = r.obs as Float32Array;
    return { obs: this.obs, info: r.info };
  }

  step(choice: ArrayLike<number>): StepResult<Float32Array> {
    let z = 0;
    for (let i = 1; i < choice.length; i++) if (Number(choice[i]) > Number(choice[z])) z = i;
    let reward = 0;
    let last!: StepResult<Observation>;
    const terms: Record<string, number> = {};
    for (let k = 0; k < this.relative.length; k++) this.anchor[k] = this.obs[this.relative[k]!]!;
    for (let t = 0; t < this.k; t++) {
      this.input.set(this.obs.subarray(0, this.od));
      for (let k = 0; k < this.relative.length; k++) this.input[this.relative[k]!]! -= this.anchor[k]!;
      this.input.fill(0, this.od);
      this.input[this.od + z] = 1;
      this.skills.act(this.input, this.action, 1, true);
      last = this.base.step(this.action);
      this.baseSteps++;
      reward += last.reward;
      for (const [name, v] of Object.entries(last.info.rewardTerms)) terms[name] = (terms[name] ?? 0) + v;
      this.obs = last.obs as Float32Array;
      if (last.terminated || last.truncated) break;
    }
    Object.assign(this.info, last.info, { skill: z, rewardTerms: terms });
    return { obs: this.obs, reward, terminated: last.terminated, truncated: last.truncated && !last.terminated, info: this.info };
  }

  close(): void {
    this.base.close();
  }
}

/**
 * Why `base` cannot feed the skills, or null when it can: the skills read the observation their
 * task had (`skillLayout`), and `base` must start with the same entries (name and size), in order.
 */
export function skillInputMismatch(skillLayout: ObsLayout, baseLayout: ObsLayout): string | null {
  const show = (l: ObsLayout): string => l.map((e) => `${e.name}[${e.size}]`).join(', ');
  for (let i = 0; i < skillLayout.length; i++) {
    const want = skillLayout[i]!;
    const got = baseLayout[i];
    if (!got || got.name !== want.name || got.size !== want.size) {
      return `the skills read ${show(skillLayout)}, but the task's observation starts ${show(baseLayout.slice(0, skillLayout.length))} (entry ${i}: ${want.name}[${want.size}])`;
    }
  }
  return null;
}
