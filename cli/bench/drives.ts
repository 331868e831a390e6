// Random open-loop action drives in [−1, 1] (white, pink, held bang-bang, square waves), for probing what random exploration reaches.
import { Rng } from '../../sim/rng.ts';

export const DRIVES = ['white', 'pink', 'hold', 'square'] as const;
export type DriveKind = (typeof DRIVES)[number];

/** Options shared by every drive. */
export interface DriveOptions {
  /** Gain on the Gaussian noise before tanh (white, pink). */
  scale: number;
  /** Octaves of the pink generator (Voss–McCartney rows): flat spectrum below 2^−octaves of the step rate. */
  octaves: number;
  /** Zeta exponent μ of the hold durations (hold): P(n) ∝ n^−μ, as εz-greedy (Dabney et al. 2021). */
  mu: number;
  /** Longest hold (steps); longer draws are redrawn. */
  maxHold: number;
}

/** An action source: `reset` at each episode start, then `next(t, out)` fills one action per step. */
export interface Drive {
  reset(): void;
  next(t: number, out: Float32Array): void;
}

/** Standard normal from two uniforms (Box–Muller). */
export function gaussian(rng: Rng): number {
  return Math.sqrt(-2 * Math.log(1 - rng.uniform())) * Math.cos(2 * Math.PI * rng.uniform());
}

/** tanh(scale·ε), ε i.i.d. N(0, 1) per step and action: SAC's exploration noise around a zero mean. */
function white(rng: Rng, o: DriveOptions): Drive {
  return { reset() {}, next(_t, out) { for (let j = 0; j < out.length; j++) out[j] = Math.tanh(o.scale * gaussian(rng)); } };
}

/**
 * tanh(scale·ε) with ε pink (≈1/f) Gaussian noise of unit variance: the Voss–McCartney sum of
 * `octaves` rows, row r redrawn every 2^r steps, divided by √octaves.
 */
function pink(rng: Rng, o: DriveOptions, dim: number): Drive {
  const K = o.octaves, rows = new Float64Array(dim * K);
  return {
    reset() { for (let i = 0; i < rows.length; i++) rows[i] = gaussian(rng); },
    next(t, out) {
      for (let j = 0; j < dim; j++) {
        let s = 0;
        for (let r = 0; r < K; r++) {
          if (t % (1 << r) === 0) rows[j * K + r] = gaussian(rng);
          s += rows[j * K + r]!;
        }
        out[j] = Math.tanh(o.scale * s / Math.sqrt(K));
      }
    },
  };
}

/** A random corner of the action box (each entry ±1), held for n ~ zeta(μ) steps, n ≤ maxHold. */
function hold(rng: Rng, o: DriveOptions, dim: number): Drive {
  const held = new Float32Array(dim);
  let left = 0;
  const duration = () => {
    for (;;) {
      const n = Math.floor(Math.pow(1 - rng.uniform(), -1 / (o.mu - 1)));
      if (n <= o.maxHold) return n;
    }
  };
  return {
    reset() { left = 0; },
    next(_t, out) {
      if (left-- <= 0) {
        left = duration() - 1;
        for (let j = 0; j < dim; j++) held[j] = rng.uniform() < 0.5 ? -1 : 1;
      }
      out.set(held);
    },
  };
}

/**
 * Square waves: per episode one frequency f ~ U[0.5, 3.5] Hz and per action a phase ~ U[0, 2π) and an
 * amplitude (1 with probability ½, else U[0, 1]); a_j = amp_j · sign(sin(2π f t dt + φ_j)).
 */
function square(rng: Rng, dim: number, dt: number): Drive {
  const phase = new Float64Array(dim), amp = new Float64Array(dim);
  let f = 1;
  return {
    reset() {
      f = 0.5 + 3 * rng.uniform();
      for (let j = 0; j < dim; j++) {
        phase[j] = 2 * Math.PI * rng.uniform();
        amp[j] = rng.uniform() < 0.5 ? 1 : rng.uniform();
      }
    },
    next(t, out) { for (let j = 0; j < dim; j++) out[j] = amp[j]! * Math.sign(Math.sin(2 * Math.PI * f * t * dt + phase[j]!)); },
  };
}

/** A drive of `kind` for `dim` actions at control period `dt` (s), seeded by `seed`. */
export function makeDrive(kind: DriveKind, dim: number, dt: number, o: DriveOptions, seed: number): Drive {
  const rng = new Rng(seed);
  if (kind === 'white') return white(rng, o);
  if (kind === 'pink') return pink(rng, o, dim);
  if (kind === 'hold') return hold(rng, o, dim);
  return square(rng, dim, dt);
}
