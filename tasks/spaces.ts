// Observation and action spaces (Gymnasium's Box and Dict), float32.

/** A box of float32 values with per-element bounds (±Infinity allowed). */
export interface BoxSpace {
  type: 'box';
  shape: number[];
  low: Float32Array;
  high: Float32Array;
  dtype: 'float32';
}

/** A dictionary of boxes (goal-conditioned tasks: observation, achieved_goal, desired_goal). */
export interface DictSpace {
  type: 'dict';
  spaces: Record<string, BoxSpace>;
}

export type Space = BoxSpace | DictSpace;

/** A box of `n` values, each in [low, high]. */
export function box(n: number, low: number | ArrayLike<number>, high: number | ArrayLike<number>): BoxSpace {
  const fill = (v: number | ArrayLike<number>) => (typeof v === 'number' ? new Float32Array(n).fill(v) : Float32Array.from(v));
  const space: BoxSpace = { type: 'box', shape: [n], low: fill(low), high: fill(high), dtype: 'float32' };
  if (space.low.length !== n || space.high.length !== n) throw new Error(`box bounds must have ${n} values`);
  return space;
}

/** Number of values in a box. */
export function boxSize(space: BoxSpace): number {
  return space.shape.reduce((a, b) => a * b, 1);
}

/** True when every value of `x` lies within the box (with a tolerance for float32 rounding). */
export function boxContains(space: BoxSpace, x: ArrayLike<number>, tol = 1e-5): boolean {
  if (x.length !== boxSize(space)) return false;
  for (let i = 0; i < x.length; i++) {
    const v = x[i]!;
    if (!(v >= space.low[i]! - tol && v <= space.high[i]! + tol)) return false;
  }
  return true;
}

/** A JSON-friendly description of a space for listings and docs. */
export function describeSpace(space: Space): string {
  if (space.type === 'dict') {
    return `Dict(${Object.entries(space.spaces).map(([k, s]) => `${k}: ${describeSpace(s)}`).join(', ')})`;
  }
  const lo = Math.min(...space.low);
  const hi = Math.max(...space.high);
  const bound = (v: number) => (Number.isFinite(v) ? String(+v.toFixed(4)) : v > 0 ? 'inf' : '-inf');
  const shape = space.shape.length === 1 ? `${space.shape[0]},` : space.shape.join(', ');
  return `Box(${bound(lo)}, ${bound(hi)}, (${shape}), float32)`;
}
