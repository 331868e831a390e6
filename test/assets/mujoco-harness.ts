// Shared helpers for the MuJoCo asset tests: the WASM module loader, model/data handling, vector helpers and a small arm IK.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import loadMujoco from '@mujoco/mujoco';

export const ASSETS = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'assets');
export const readAsset = (name: string): string => readFileSync(join(ASSETS, name), 'utf8');

// mjtObj values used with mj_name2id.
export const OBJ = { body: 1, joint: 3, geom: 5, site: 6, actuator: 19 } as const;

export type Mujoco = Awaited<ReturnType<typeof loadMujoco>>;
let mj: Mujoco | undefined;

/** Loads the MuJoCo WASM module once per test file (call from `beforeAll`); the helpers below use it. */
export async function initMujoco(): Promise<Mujoco> {
  mj ??= await loadMujoco();
  return mj;
}

function lib(): Mujoco {
  if (!mj) throw new Error('MuJoCo not loaded: await initMujoco() in beforeAll');
  return mj;
}

/** Loads an XML string, hands model and data to `fn`, and frees both afterwards. */
export function withModel<T>(xml: string, fn: (m: any, d: any) => T): T {
  const m = lib().MjModel.from_xml_string(xml);
  const d = new (lib().MjData)(m);
  try {
    return fn(m, d);
  } finally {
    d.delete();
    m.delete();
  }
}

export const id = (m: any, type: number, name: string): number => {
  const i = lib().mj_name2id(m, type, name);
  if (i < 0) throw new Error(`no object ${name} of type ${type}`);
  return i;
};
export type Vec3 = [number, number, number];
/** The i-th 3-vector of a MuJoCo array view (xpos, site_xpos, ...). */
export const vec3 = (a: any, i: number): Vec3 => [a[3 * i], a[3 * i + 1], a[3 * i + 2]];
export const dist = (a: Vec3, b: Vec3): number => Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]);
export const step = (m: any, d: any, n: number): void => {
  for (let i = 0; i < n; i++) lib().mj_step(m, d);
};
export const allFinite = (a: ArrayLike<number>): boolean => Array.from(a).every(Number.isFinite);
export const totalMass = (m: any, first = 1, last = m.nbody - 1): number => {
  let s = 0;
  for (let b = first; b <= last; b++) s += m.body_mass[b];
  return s;
};

/** Merges the children of the cabinet's worldbody into the arm's worldbody (how tasks compose the scene). */
export function composeArmCabinet(): string {
  const arm = readAsset('arm.xml');
  const cab = readAsset('cabinet.xml');
  const open = '<worldbody>';
  const inner = cab.slice(cab.indexOf(open) + open.length, cab.indexOf('</worldbody>'));
  return arm.replace('</worldbody>', `${inner}</worldbody>`);
}

// ---------------------------------------------------------------------------------------------
// helpers for the arm: joint-space interpolation and a small damped-least-squares IK on MuJoCo kinematics

/** Ramps the first 7 servo targets from `from` to `to` over `steps` physics steps. */
export function moveTo(m: any, d: any, from: number[], to: number[], steps: number): void {
  for (let s = 1; s <= steps; s++) {
    for (let i = 0; i < 7; i++) d.ctrl[i] = from[i]! + ((to[i]! - from[i]!) * s) / steps;
    lib().mj_step(m, d);
  }
}

export type IKMode = 'down' | 'forward' | 'none';
export interface IKResult {
  q: number[];
  /** Remaining position error, m. */
  pos: number;
  /** Remaining (weighted) orientation error. */
  ori: number;
}

/** Solves A x = b for a small dense square system (Gaussian elimination with partial pivoting). */
export function solveDense(A: number[][], b: number[]): number[] {
  const n = b.length;
  const M = A.map((row, i) => [...row, b[i]!]);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(M[r]![c]!) > Math.abs(M[p]![c]!)) p = r;
    [M[c], M[p]] = [M[p]!, M[c]!];
    const pivot = M[c]!;
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const row = M[r]!;
      const f = row[c]! / pivot[c]!;
      for (let k = c; k <= n; k++) row[k] = row[k]! - f * pivot[k]!;
    }
  }
  return M.map((row, i) => row[n]! / row[i]!);
}

/** IK error vector on the scratch MjData `kin`: site position minus target, then the weighted orientation terms of `mode`. */
function ikResidual(m: any, kin: any, site: number, hand: number, q: number[], target: Vec3, mode: IKMode): number[] {
  for (let i = 0; i < 7; i++) kin.qpos[i] = q[i];
  lib().mj_kinematics(m, kin);
  const p = vec3(kin.site_xpos, site);
  const R = kin.xmat;
  const o = 9 * hand;
  const z: Vec3 = [R[o + 2], R[o + 5], R[o + 8]];
  const x: Vec3 = [R[o], R[o + 3], R[o + 6]];
  const e = [p[0] - target[0], p[1] - target[1], p[2] - target[2]];
  const w = 0.3;
  if (mode === 'down') e.push(w * z[0], w * z[1], w * (z[2] + 1), w * x[2]);
  if (mode === 'forward') e.push(w * (z[0] - 1), w * z[1], w * z[2], w * x[0], w * x[1]);
  return e;
}

/** J[j][a] = d e_a / d q_j by forward differences, with `e` the residual at `q`. */
function jacobian(residual: (q: number[]) => number[], q: number[], e: number[]): number[][] {
  return q.map((_, j) => {
    const dq = q.slice();
    dq[j] = dq[j]! + 1e-6;
    return residual(dq).map((v, k) => (v - e[k]!) / 1e-6);
  });
}

/**
 * IK for the 7 arm joints on a scratch MjData: site position to a target plus an optional hand orientation.
 * 'down': hand z (approach) along -z world, fingers closing horizontally.
 * 'forward': hand z along +x world, fingers closing horizontally (to straddle a vertical bar).
 */
export function makeIK(m: any, kin: any, site: number, hand: number) {
  const residual = (q: number[], target: Vec3, mode: IKMode): number[] => ikResidual(m, kin, site, hand, q, target, mode);
  const summarize = (q: number[], target: Vec3, mode: IKMode): IKResult => {
    const e = residual(q, target, mode);
    return { q, pos: Math.hypot(...e.slice(0, 3)), ori: Math.hypot(...e.slice(3)) };
  };
  const solve = (q0: number[], target: Vec3, mode: IKMode): IKResult => {
    const q = q0.slice();
    for (let it = 0; it < 300; it++) {
      const e = residual(q, target, mode);
      if (Math.hypot(...e) < 1e-8) break;
      const J = jacobian((dq) => residual(dq, target, mode), q, e);
      // damped least squares: dq = -J^T (J J^T + λI)^-1 e
      const A = e.map((_, a) => e.map((_, b) => J.reduce((s, Jj) => s + Jj[a]! * Jj[b]!, a === b ? 1e-4 : 0)));
      const y = solveDense(A, e);
      for (let j = 0; j < 7; j++) {
        const delta = J[j]!.reduce((s, v, a) => s + v * y[a]!, 0);
        const lo = m.jnt_range[2 * j] + 0.02;
        const hi = m.jnt_range[2 * j + 1] - 0.02;
        q[j] = Math.min(hi, Math.max(lo, q[j]! - 0.5 * delta));
      }
    }
    return summarize(q, target, mode);
  };
  /** Like solve, with deterministic random restarts inside the joint ranges. */
  const best = (q0: number[], target: Vec3, mode: IKMode, tries = 60): IKResult => {
    let seed = 1;
    const rnd = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
    let result = solve(q0, target, mode);
    for (let t = 0; t < tries && result.pos + result.ori > 1e-4; t++) {
      const start = q0.map((_, j) => m.jnt_range[2 * j] + (m.jnt_range[2 * j + 1] - m.jnt_range[2 * j]) * rnd());
      const r = solve(start, target, mode);
      if (r.pos + r.ori < result.pos + result.ori) result = r;
    }
    return result;
  };
  return { solve, best };
}
