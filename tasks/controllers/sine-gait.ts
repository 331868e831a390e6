// An open-loop sine gait: each actuator follows amplitude · sin(2π f t + phase), a scripted baseline controller.

export interface SineGait {
  /** Frequency in Hz. */
  frequency: number;
  /** Per-actuator amplitude (control units) and phase (rad). */
  amplitude: number[];
  phase: number[];
  /** Per-actuator offset added to the sine (control units). */
  offset?: number[];
}

/** Writes the gait's controls at time `t` (s) into `out`, clipped to [-1, 1]. */
export function sineGaitControl(gait: SineGait, t: number, out: Float64Array): Float64Array {
  const w = 2 * Math.PI * gait.frequency * t;
  for (let i = 0; i < out.length; i++) {
    const u = (gait.offset?.[i] ?? 0) + (gait.amplitude[i] ?? 0) * Math.sin(w + (gait.phase[i] ?? 0));
    out[i] = Math.max(-1, Math.min(1, u));
  }
  return out;
}

/**
 * A bounding gait for the half-cheetah (actuators bthigh, bshin, bfoot, fthigh, fshin, ffoot):
 * all joints of a leg in phase, back and front legs half a cycle apart, 3 Hz. Found by a grid
 * search over frequency, per-joint lag, back/front offset and amplitude (docs/sim.md).
 */
export const CHEETAH_BOUND: SineGait = {
  frequency: 3,
  amplitude: [1, 1, 1, 1, 1, 1],
  phase: [0, 0, 0, Math.PI, Math.PI, Math.PI],
};
