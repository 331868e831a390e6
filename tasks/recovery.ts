// Recovery after a push: per-task state features, the band of pre-push values they must return to, and a tracker timing the return.
import type { Env, Observation } from './env.ts';
import { simOf } from './recording.ts';
import { wrapAngle } from './failure.ts';

/**
 * One scalar of task state watched for recovery. `range`: the band is [min − tolerance,
 * max + tolerance] of its values over the reference time before the push (a gait's own
 * oscillation stays inside). `atMost`: the band is (−∞, value just before the push + tolerance].
 */
export interface RecoveryFeature {
  name: string;
  unit: string;
  tolerance: number;
  band: 'range' | 'atMost';
}

/** What "back to the pre-push state" means for a task. */
export interface RecoveryProbe {
  features: RecoveryFeature[];
  /** Seconds of pre-push history that set the band (less when the push comes earlier). */
  referenceSeconds: number;
  /** Seconds the state must stay inside the band to count as recovered. */
  holdSeconds: number;
  /** Writes the current feature values into `out` (no allocation). */
  read(env: Env, obs: Observation, out: Float64Array): void;
}

function simQpos(env: Env): { qpos: Float64Array; qvel: Float64Array; read(): void } {
  const world = simOf(env);
  if (!world) throw new Error(`${env.spec.id}: recovery features need a simulated task`);
  const qpos = new Float64Array(world.model.nq), qvel = new Float64Array(world.model.nv);
  return { qpos, qvel, read: () => { world.qpos(qpos); world.qvel(qvel); } };
}

/** Quadruped: torso height, torso uprightness (z of its up axis) and forward velocity. */
function quadrupedProbe(env: Env): RecoveryProbe {
  const s = simQpos(env);
  return {
    features: [
      { name: 'torso_z', unit: 'm', tolerance: 0.05, band: 'range' },
      { name: 'upright', unit: '', tolerance: 0.05, band: 'range' },
      { name: 'x_velocity', unit: 'm/s', tolerance: 0.3, band: 'range' },
    ],
    referenceSeconds: 2, holdSeconds: 0.5,
    read(_env, _obs, out) {
      s.read();
      const q = s.qpos;
      out[0] = q[2]!;
      out[1] = 1 - 2 * (q[4]! * q[4]! + q[5]! * q[5]!);
      out[2] = s.qvel[0]!;
    },
  };
}

/** Half-cheetah: torso pitch (wrapped), torso height offset and forward velocity. */
function cheetahProbe(env: Env): RecoveryProbe {
  const s = simQpos(env);
  return {
    features: [
      { name: 'pitch', unit: 'rad', tolerance: 0.2, band: 'range' },
      { name: 'rootz', unit: 'm', tolerance: 0.05, band: 'range' },
      { name: 'x_velocity', unit: 'm/s', tolerance: 0.5, band: 'range' },
    ],
    referenceSeconds: 2, holdSeconds: 0.5,
    read(_env, _obs, out) {
      s.read();
      out[0] = wrapAngle(s.qpos[2]!);
      out[1] = s.qpos[1]!;
      out[2] = s.qvel[0]!;
    },
  };
}

/** Goal tasks: distance from the achieved to the desired goal (task goal units: m, or rad for the door). */
function goalProbe(): RecoveryProbe {
  return {
    features: [{ name: 'goal_distance', unit: 'goal units (m; rad for the door)', tolerance: 0.01, band: 'atMost' }],
    referenceSeconds: 0.2, holdSeconds: 0.12,
    read(env, obs, out) {
      if (obs instanceof Float32Array || !obs.achieved_goal || !obs.desired_goal) throw new Error(`${env.spec.id}: goal recovery needs achieved_goal and desired_goal`);
      let d2 = 0;
      for (let i = 0; i < obs.achieved_goal.length; i++) d2 += (obs.achieved_goal[i]! - obs.desired_goal[i]!) ** 2;
      out[0] = Math.sqrt(d2);
    },
  };
}

/** The recovery definition of a task, or null when it has none (its recovery time is then not reported). */
export function recoveryProbeFor(env: Env): RecoveryProbe | null {
  const id = env.spec.id;
  if (id === 'quadruped') return quadrupedProbe(env);
  if (id === 'half-cheetah') return cheetahProbe(env);
  if (env.spec.goal) return goalProbe();
  return null;
}

/**
 * Times the return to the pre-push band. `observe(step, obs)` after reset (step 0) and after every
 * step; `push(step)` just before the push made after `step` steps. Recovered at the first
 * post-push sample from which every feature stays inside its band for `holdSeconds`; the
 * recovery time counts from the first sample after the push (0 = never left the band).
 */
export class RecoveryTracker {
  private readonly n: number;
  private readonly ring: Float64Array;
  private readonly ref: number;
  private readonly hold: number;
  private readonly lo: Float64Array;
  private readonly hi: Float64Array;
  private readonly value: Float64Array;
  private count = 0;
  private pushStep = -1;
  private runStart = -1;
  /** Step of the first sample of the held run, or null while not recovered. */
  recoveredAt: number | null = null;

  constructor(readonly probe: RecoveryProbe, readonly dt: number) {
    this.n = probe.features.length;
    this.ref = Math.max(1, Math.round(probe.referenceSeconds / dt));
    this.hold = Math.max(1, Math.round(probe.holdSeconds / dt));
    this.ring = new Float64Array(this.ref * this.n);
    this.lo = new Float64Array(this.n);
    this.hi = new Float64Array(this.n);
    this.value = new Float64Array(this.n);
  }

  reset(): void {
    this.count = 0;
    this.pushStep = -1;
    this.runStart = -1;
    this.recoveredAt = null;
  }

  observe(env: Env, step: number, obs: Observation): void {
    this.probe.read(env, obs, this.value);
    if (this.pushStep < 0) {
      this.ring.set(this.value, (this.count % this.ref) * this.n);
      this.count++;
      return;
    }
    if (this.recoveredAt !== null || step <= this.pushStep) return;
    if (!this.inside()) { this.runStart = -1; return; }
    if (this.runStart < 0) this.runStart = step;
    if (step - this.runStart + 1 >= this.hold) this.recoveredAt = this.runStart;
  }

  /** Fixes the band from the samples so far; call before applying the push. */
  push(step: number): void {
    this.pushStep = step;
    const samples = Math.min(this.count, this.ref);
    const last = ((this.count - 1) % this.ref) * this.n;
    this.probe.features.forEach((f, k) => {
      let lo = Infinity, hi = -Infinity;
      for (let i = 0; i < samples; i++) {
        const v = this.ring[i * this.n + k]!;
        lo = Math.min(lo, v);
        hi = Math.max(hi, v);
      }
      if (f.band === 'atMost') { lo = -Infinity; hi = this.ring[last + k]!; }
      this.lo[k] = lo - f.tolerance;
      this.hi[k] = hi + f.tolerance;
    });
  }

  /** Seconds from the first post-push sample to recovery, or null when not recovered. */
  get recoverySeconds(): number | null {
    return this.recoveredAt === null ? null : (this.recoveredAt - this.pushStep - 1) * this.dt;
  }

  /** The band (lower, upper per feature) fixed at the push. */
  band(): { lo: number[]; hi: number[] } {
    return { lo: Array.from(this.lo), hi: Array.from(this.hi) };
  }

  private inside(): boolean {
    for (let k = 0; k < this.n; k++) {
      const v = this.value[k]!;
      if (!(v >= this.lo[k]! && v <= this.hi[k]!)) return false;
    }
    return true;
  }
}
