// Policy evaluation: whole episodes on a separate env, with return, reward-term and task-metric summaries.
import type { Env, Observation, StepResult } from '../tasks/env.ts';
import { flattenObs, inputDim } from './obs.ts';

/** Chooses actions for one flat input row (network input order, see agents/obs.ts). */
export type ActFn = (input: Float32Array, out: Float32Array) => void;

export interface EpisodeSummary {
  seed: number;
  return: number;
  length: number;
  terminated: boolean;
  /** Sum over the episode of each weighted reward term. */
  terms: Record<string, number>;
  /** Per numeric `info` entry: its mean over the episode's steps and its final value. */
  infoMean: Record<string, number>;
  infoFinal: Record<string, number>;
}

export interface EvalResult {
  episodes: EpisodeSummary[];
  returnMean: number;
  returnStd: number;
  lengthMean: number;
  /** Fraction of episodes that ended by termination (a fall, for the quadruped). */
  terminatedRate: number;
  terms: Record<string, number>;
  infoMean: Record<string, number>;
  infoFinal: Record<string, number>;
}

function mean(xs: number[]): number {
  return xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : Number.NaN;
}

function std(xs: number[]): number {
  const m = mean(xs);
  return Math.sqrt(mean(xs.map((x) => (x - m) ** 2)));
}

/** Numeric or boolean scalars of an info record (booleans as 0/1). */
function scalars(info: Record<string, unknown>): [string, number][] {
  const out: [string, number][] = [];
  for (const [k, v] of Object.entries(info)) {
    if (typeof v === 'number' && Number.isFinite(v)) out.push([k, v]);
    else if (typeof v === 'boolean') out.push([k, v ? 1 : 0]);
  }
  return out;
}

/** What an episode is played through: the env itself, or a wrapper such as a Recorder (tasks/recording.ts). */
export interface Stepper {
  reset(): { obs: Observation };
  step(action: ArrayLike<number>): StepResult;
}

/** Runs one episode from `seed` with `act` (through `via`, default the env); returns its summary. */
export function runEpisode(env: Env, act: ActFn, seed: number, via?: Stepper): EpisodeSummary {
  const input = new Float32Array(inputDim(env.spec));
  const action = new Float32Array(env.spec.actionSpace.shape[0]!);
  const stepper: Stepper = via ?? { reset: () => env.reset({ seed }), step: (a) => env.step(a) };
  let obs = stepper.reset().obs;
  const terms: Record<string, number> = {};
  const sums: Record<string, number> = {};
  const final: Record<string, number> = {};
  let ret = 0, length = 0, terminated = false;
  for (;;) {
    act(flattenObs(obs, env.spec, input), action);
    const r = stepper.step(action);
    ret += r.reward;
    length++;
    for (const [k, v] of Object.entries(r.info.rewardTerms)) terms[k] = (terms[k] ?? 0) + v;
    for (const [k, v] of scalars(r.info)) {
      sums[k] = (sums[k] ?? 0) + v;
      final[k] = v;
    }
    obs = r.obs;
    if (r.terminated || r.truncated) {
      terminated = r.terminated;
      break;
    }
  }
  const infoMean = Object.fromEntries(Object.entries(sums).map(([k, v]) => [k, v / length]));
  return { seed, return: ret, length, terminated, terms, infoMean, infoFinal: final };
}

function averageRecords(rs: Record<string, number>[]): Record<string, number> {
  const keys = new Set(rs.flatMap((r) => Object.keys(r)));
  return Object.fromEntries([...keys].map((k) => [k, mean(rs.map((r) => r[k]).filter((v): v is number => v !== undefined))]));
}

/** Summarises episodes (means over episodes). */
export function summarize(eps: EpisodeSummary[]): EvalResult {
  const returns = eps.map((e) => e.return);
  return {
    episodes: eps,
    returnMean: mean(returns),
    returnStd: std(returns),
    lengthMean: mean(eps.map((e) => e.length)),
    terminatedRate: mean(eps.map((e) => (e.terminated ? 1 : 0))),
    terms: averageRecords(eps.map((e) => e.terms)),
    infoMean: averageRecords(eps.map((e) => e.infoMean)),
    infoFinal: averageRecords(eps.map((e) => e.infoFinal)),
  };
}

/**
 * Evaluates `act` over `episodes` episodes seeded `seedBase`, `seedBase + 1`, …; `via(k, seed)` may
 * return a wrapper (e.g. a Recorder) to play episode k through.
 */
export function evaluate(env: Env, act: ActFn, episodes: number, seedBase: number, via?: (k: number, seed: number) => Stepper | undefined): EvalResult {
  return summarize(Array.from({ length: episodes }, (_, k) => runEpisode(env, act, seedBase + k, via?.(k, seedBase + k))));
}

/** Flattens an evaluation into `eval/…` metric keys. */
export function evalMetrics(r: EvalResult): Record<string, number> {
  const out: Record<string, number> = {
    'eval/return_mean': r.returnMean, 'eval/return_std': r.returnStd, 'eval/length_mean': r.lengthMean, 'eval/terminated_rate': r.terminatedRate,
  };
  for (const [k, v] of Object.entries(r.terms)) out[`eval/term/${k}`] = v;
  for (const [k, v] of Object.entries(r.infoMean)) out[`eval/info/${k}_mean`] = v;
  for (const [k, v] of Object.entries(r.infoFinal)) out[`eval/info/${k}_final`] = v;
  return out;
}
