// Batched buffers of a vector env (row-major [numEnvs, dim] Float32Arrays, Uint8Array flags), optionally shared.
import type { Env, Observation } from '../env.ts';
import { boxSize } from '../spaces.ts';

/** Observation keys and sizes of an env (`observation` for flat observations). */
export function obsShapes(env: Env): Record<string, number> {
  const s = env.spec.observationSpace;
  if (s.type === 'box') return { observation: boxSize(s) };
  return Object.fromEntries(Object.entries(s.spaces).map(([k, b]) => [k, boxSize(b)]));
}

/**
 * All arrays a vector env exchanges. `obs` holds each env's current observation (after an
 * automatic reset, the new episode's first one); `finalObs` holds, in the rows of envs whose
 * episode ended this step, the episode's true last observation (`hasFinal` = 1).
 */
export interface Batch {
  numEnvs: number;
  actionDim: number;
  shapes: Record<string, number>;
  actions: Float32Array;
  obs: Record<string, Float32Array>;
  finalObs: Record<string, Float32Array>;
  rewards: Float32Array;
  terminated: Uint8Array;
  truncated: Uint8Array;
  hasFinal: Uint8Array;
  /** Steps taken in each env's current episode, and its return so far. */
  episodeSteps: Int32Array;
  episodeReturn: Float32Array;
  /** Length and return of the episode that ended this step (rows where `hasFinal`). */
  finalSteps: Int32Array;
  finalReturn: Float32Array;
  /** [numEnvs, 2]: world (x, y) in m where each env's current episode started (`info.x_position`, `y_position`; NaN if the env reports none, y 0 if only x). */
  episodeStart: Float32Array;
  /** [numEnvs, 2]: world (x, y) displacement in m over the episode that ended this step (rows where `hasFinal`). */
  finalDisplacement: Float32Array;
}

/** Allocates a batch, in SharedArrayBuffers when `shared` (for worker threads). */
export function allocateBatch(numEnvs: number, actionDim: number, shapes: Record<string, number>, shared: boolean): Batch {
  const alloc = (bytes: number) => (shared ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes));
  const f32 = (n: number) => new Float32Array(alloc(n * 4));
  const perKey = () => Object.fromEntries(Object.entries(shapes).map(([k, d]) => [k, f32(numEnvs * d)]));
  return {
    numEnvs, actionDim, shapes,
    actions: f32(numEnvs * actionDim),
    obs: perKey(),
    finalObs: perKey(),
    rewards: f32(numEnvs),
    terminated: new Uint8Array(alloc(numEnvs)),
    truncated: new Uint8Array(alloc(numEnvs)),
    hasFinal: new Uint8Array(alloc(numEnvs)),
    episodeSteps: new Int32Array(alloc(numEnvs * 4)),
    episodeReturn: f32(numEnvs),
    finalSteps: new Int32Array(alloc(numEnvs * 4)),
    finalReturn: f32(numEnvs),
    episodeStart: f32(numEnvs * 2),
    finalDisplacement: f32(numEnvs * 2),
  };
}

/** Writes the (x, y) position an env reports in `info` into row `i` of `out` ([n, 2]); NaN without `x_position`. */
function writeXY(info: Record<string, unknown>, out: Float32Array, i: number): void {
  const x = info.x_position, y = info.y_position;
  out[2 * i] = typeof x === 'number' ? x : Number.NaN;
  out[2 * i + 1] = typeof x !== 'number' ? Number.NaN : typeof y === 'number' ? y : 0;
}

/** Copies an env's observation into row `i` of `target`. */
export function writeObs(target: Record<string, Float32Array>, shapes: Record<string, number>, i: number, obs: Observation): void {
  if (obs instanceof Float32Array) {
    target.observation!.set(obs, i * shapes.observation!);
    return;
  }
  for (const [k, d] of Object.entries(shapes)) target[k]!.set(obs[k]!, i * d);
}

/** Seed of env `index`'s first episode for a vector env seeded `seed` (independent of the worker layout). */
export function envSeed(seed: number, index: number): number {
  return (seed * 1_000_003 + index * 7919) >>> 0;
}

/**
 * Steps env `i` with its row of `batch.actions`, recording the result in its rows; when the
 * episode ends, records the final observation and resets it at once (same-step autoreset).
 */
export function stepOne(env: Env, batch: Batch, i: number): void {
  const a = batch.actions.subarray(i * batch.actionDim, (i + 1) * batch.actionDim);
  const r = env.step(a);
  batch.rewards[i] = r.reward;
  batch.terminated[i] = r.terminated ? 1 : 0;
  batch.truncated[i] = r.truncated ? 1 : 0;
  batch.episodeSteps[i]! += 1;
  batch.episodeReturn[i]! += r.reward;
  if (!r.terminated && !r.truncated) {
    batch.hasFinal[i] = 0;
    writeObs(batch.obs, batch.shapes, i, r.obs);
    return;
  }
  batch.hasFinal[i] = 1;
  writeObs(batch.finalObs, batch.shapes, i, r.obs);
  batch.finalSteps[i] = batch.episodeSteps[i]!;
  batch.finalReturn[i] = batch.episodeReturn[i]!;
  writeXY(r.info, batch.finalDisplacement, i);
  batch.finalDisplacement[2 * i]! -= batch.episodeStart[2 * i]!;
  batch.finalDisplacement[2 * i + 1]! -= batch.episodeStart[2 * i + 1]!;
  batch.episodeSteps[i] = 0;
  batch.episodeReturn[i] = 0;
  const first = env.reset();
  writeXY(first.info, batch.episodeStart, i);
  writeObs(batch.obs, batch.shapes, i, first.obs);
}

/** Resets env `i` with its derived seed and writes its first observation. */
export function resetOne(env: Env, batch: Batch, i: number, seed: number): void {
  const first = env.reset({ seed: envSeed(seed, i) });
  writeXY(first.info, batch.episodeStart, i);
  writeObs(batch.obs, batch.shapes, i, first.obs);
  batch.hasFinal[i] = 0;
  batch.terminated[i] = 0;
  batch.truncated[i] = 0;
  batch.episodeSteps[i] = 0;
  batch.episodeReturn[i] = 0;
}
