// Push-sweep planning: the seeded trial plan (episode seed, push step, direction) and the step counts of the push window.
import { Rng } from '../sim/rng.ts';
import type { EnvSpec } from '../tasks/env.ts';
import type { ResolvedSettings } from './perturb-schema.ts';

/** One trial's draws, shared by every policy, slope, target and impulse (common random numbers). */
export interface TrialPlan {
  trial: number;
  /** Reset seed of the episode. */
  seed: number;
  /** Seed of the policy's action noise (stochastic mode). */
  policySeed: number;
  /** The push is applied after this many steps. */
  pushStep: number;
  /** Direction index (trial mod directions). */
  direction: number;
}

/** Step counts derived from the settings and the task. */
export interface Timing {
  dt: number;
  /** Earliest and latest push step. */
  pushFirst: number;
  pushLast: number;
  /** T in steps: failures starting within this many steps after the push count; returns are summed over it. */
  windowSteps: number;
  /** Steps to run after the push: the window plus the time a failure needs to be confirmed. */
  afterSteps: number;
}

/** Converts the sweep's times into steps and checks that push and window fit into one episode. */
export function settleTiming(s: ResolvedSettings, spec: EnvSpec, confirmSeconds: number): Timing {
  const dt = spec.dt;
  const pushFirst = Math.max(1, Math.ceil(s.pushTime[0] / dt - 1e-9));
  const pushLast = Math.floor(s.pushTime[1] / dt + 1e-9);
  if (pushLast < pushFirst) throw new Error(`sweep.pushTime: [${s.pushTime.join(', ')}] s holds no control step after the first (steps are ${dt} s)`);
  const windowSteps = Math.max(1, Math.round(s.window / dt));
  const confirmSteps = confirmSeconds > 0 ? Math.floor(confirmSeconds / dt + 1e-9) + 1 : 0;
  const afterSteps = windowSteps + confirmSteps;
  const room = spec.maxEpisodeSteps - afterSteps;
  if (pushLast > room) {
    const latest = (room * dt).toFixed(3);
    throw new Error(`sweep.pushTime: the latest push (${s.pushTime[1]} s) plus the window (${s.window} s${confirmSteps ? ` and ${confirmSeconds} s to confirm a failure` : ''}) runs past the episode (${spec.maxEpisodeSteps * dt} s): push no later than ${latest} s or shorten the window`);
  }
  return { dt, pushFirst, pushLast, windowSteps, afterSteps };
}

/** The trial plan: trial k draws its episode seed, policy seed and push step from one Rng(seed) stream; its direction is k mod `directions`. */
export function planTrials(seed: number, trials: number, directions: number, timing: Timing): TrialPlan[] {
  const rng = new Rng(seed);
  const span = timing.pushLast - timing.pushFirst + 1;
  return Array.from({ length: trials }, (_, trial) => ({
    trial,
    seed: rng.nextU32(),
    policySeed: rng.nextU32(),
    pushStep: timing.pushFirst + rng.int(span),
    direction: trial % directions,
  }));
}
