// zod parsers for MJCF attribute strings: numbers, fixed-length vectors, enums, booleans.
import { z } from 'zod';

type Ctx = z.core.$RefinementCtx<string>;

/** Splits whitespace-separated numbers, reporting the first token that is not a finite number. */
function toNumbers(text: string, ctx: Ctx): number[] | null {
  const tokens = text.trim().split(/\s+/).filter((t) => t !== '');
  const values = tokens.map(Number);
  const bad = tokens.findIndex((_, i) => !Number.isFinite(values[i]!));
  if (bad >= 0) {
    ctx.addIssue({ code: 'custom', message: `expected a number, got '${tokens[bad]}'` });
    return null;
  }
  return values;
}

/** Between `min` and `max` numbers; `what` names the entries for the error message. */
export function numbers(min: number, max: number, what: string) {
  return z.string().transform((text, ctx) => {
    const values = toNumbers(text, ctx);
    if (values === null) return z.NEVER;
    if (values.length < min || values.length > max) {
      const count = min === max ? `${min}` : `${min} to ${max}`;
      ctx.addIssue({ code: 'custom', message: `needs ${count} number${max === 1 ? '' : 's'} (${what}), got ${values.length}` });
      return z.NEVER;
    }
    return values;
  });
}

type Tuple<N extends number, T extends number[] = []> = T['length'] extends N ? T : Tuple<N, [...T, number]>;

/** A fixed-length vector such as `x y z`, typed as a tuple. */
export function vector<N extends 2 | 3 | 4 | 6>(n: N, what: string) {
  return numbers(n, n, what).transform((v) => v as Tuple<N>);
}

/** One number, optionally constrained to be positive or non-negative. */
export function real(sign: 'any' | 'positive' | 'nonnegative' = 'any') {
  return numbers(1, 1, 'a single value').transform((v, ctx) => {
    const x = v[0]!;
    if ((sign === 'positive' && !(x > 0)) || (sign === 'nonnegative' && x < 0)) {
      ctx.addIssue({ code: 'custom', message: `must be ${sign === 'positive' ? 'positive' : 'non-negative'}, got ${x}` });
      return z.NEVER;
    }
    return x;
  });
}

/** A non-negative integer (contact bitmasks). */
export const bitmask = real('nonnegative').refine((x) => Number.isInteger(x), { message: 'must be an integer' });

/** A list whose entries must all be non-negative. */
export function nonNegatives(min: number, max: number, what: string) {
  return numbers(min, max, what).refine((v) => v.every((x) => x >= 0), { message: 'values must be non-negative' });
}

/** A 3-vector that is not all zeros (axes, directions). */
export const direction = vector(3, 'x y z').refine((v) => v.some((x) => x !== 0), { message: 'must not be the zero vector' });

/** A quaternion `w x y z`, not all zeros; normalised later. */
export const quaternion = vector(4, 'w x y z').refine((v) => v.some((x) => x !== 0), { message: 'zero quaternion' });

/** `x y z angle`: a non-zero axis then an angle in compiler angle units. */
export const axisAngle = vector(4, 'axis x y z, angle').refine((v) => v.slice(0, 3).some((x) => x !== 0), {
  message: 'axis must not be the zero vector',
});

/** `lo hi` pair; its order is checked where it matters (limited joints and actuators). */
export const interval = vector(2, 'lo, hi');

/** Colour `r g b a`, each in [0, 1]. */
export const rgba = vector(4, 'r g b a').refine((v) => v.every((x) => x >= 0 && x <= 1), {
  message: 'each component must be within [0, 1]',
});

/** One of a fixed set of keywords; `hint` is appended to the error (e.g. what is deliberately unsupported). */
export function keyword<const T extends readonly [string, ...string[]]>(values: T, hint = '') {
  return z.string().transform((text, ctx) => {
    if (!(values as readonly string[]).includes(text)) {
      ctx.addIssue({ code: 'custom', message: `expected one of ${values.join(', ')}; got '${text}'${hint && ` (${hint})`}` });
      return z.NEVER;
    }
    return text as T[number];
  });
}

/** `true` / `false`. */
export const bool = keyword(['true', 'false']).transform((v) => v === 'true');

/** `true` / `false` / `auto`. */
export const tristate = keyword(['true', 'false', 'auto']);

/** A non-empty name. */
export const name = z.string().refine((s) => s.trim() !== '', { message: 'must not be empty' });
