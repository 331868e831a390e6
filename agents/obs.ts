// Flat network inputs from env observations: a Box as is, a goal Dict as observation ‖ desired_goal.
import type { EnvSpec, Observation } from '../tasks/env.ts';
import { boxSize } from '../tasks/spaces.ts';

/** Keys concatenated, in order, to form the network input of an env with this spec. */
export function inputKeys(spec: EnvSpec): string[] {
  const s = spec.observationSpace;
  if (s.type === 'box') return ['observation'];
  if (!s.spaces.observation || !s.spaces.desired_goal) throw new Error(`${spec.id}: dict observations need 'observation' and 'desired_goal' keys`);
  return ['observation', 'desired_goal'];
}

/** Size of each key's rows. */
export function keySizes(spec: EnvSpec): Record<string, number> {
  const s = spec.observationSpace;
  if (s.type === 'box') return { observation: boxSize(s) };
  return Object.fromEntries(Object.entries(s.spaces).map(([k, b]) => [k, boxSize(b)]));
}

/** Network input size for an env with this spec. */
export function inputDim(spec: EnvSpec): number {
  const sizes = keySizes(spec);
  return inputKeys(spec).reduce((n, k) => n + sizes[k]!, 0);
}

/** Concatenates `n` rows of the keyed arrays (row-major per key) into `out` ([n, Σ sizes]). */
export function concatRows(parts: Record<string, ArrayLike<number>>, keys: string[], sizes: Record<string, number>, n: number, out: Float32Array): Float32Array {
  const width = keys.reduce((w, k) => w + sizes[k]!, 0);
  for (let i = 0; i < n; i++) {
    let o = i * width;
    for (const k of keys) {
      const d = sizes[k]!, src = parts[k]!;
      for (let j = 0; j < d; j++) out[o + j] = src[i * d + j]!;
      o += d;
    }
  }
  return out;
}

/** One observation (flat or dict) as a network input row. */
export function flattenObs(obs: Observation, spec: EnvSpec, out: Float32Array): Float32Array {
  const parts = obs instanceof Float32Array ? { observation: obs } : obs;
  return concatRows(parts, inputKeys(spec), keySizes(spec), 1, out);
}
