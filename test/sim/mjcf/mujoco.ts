// Test helper: compiles XML with the official MuJoCo WASM build and copies out the arrays the tests compare.
import loadMujoco from '@mujoco/mujoco';

type Mujoco = Awaited<ReturnType<typeof loadMujoco>>;
let instance: Promise<Mujoco> | undefined;

/** Arrays of a compiled MuJoCo model, copied into plain JS arrays. */
export interface MujocoArrays {
  nq: number;
  nv: number;
  body_mass: number[];
  body_inertia: number[];
  body_ipos: number[];
  body_iquat: number[];
  body_quat: number[];
  geom_quat: number[];
  geom_pos: number[];
  geom_size: number[];
  jnt_qposadr: number[];
  jnt_dofadr: number[];
  jnt_range: number[];
}

const FIELDS = [
  'body_mass', 'body_inertia', 'body_ipos', 'body_iquat', 'body_quat', 'geom_quat', 'geom_pos', 'geom_size',
  'jnt_qposadr', 'jnt_dofadr', 'jnt_range',
] as const;

/** Compiles `xml` in MuJoCo WASM (loaded once per test file) and returns the compared arrays. */
export async function mujocoCompile(xml: string): Promise<MujocoArrays> {
  instance ??= loadMujoco();
  const mj = await instance;
  const m = mj.MjModel.from_xml_string(xml);
  try {
    const out: Record<string, unknown> = { nq: m.nq, nv: m.nv };
    for (const f of FIELDS) out[f] = Array.from(m[f] as ArrayLike<number>);
    return out as unknown as MujocoArrays;
  } finally {
    m.delete();
  }
}

/** Entries [3i, 3i+3) / [4i, 4i+4) of a flat MuJoCo array. */
export function row(a: readonly number[], i: number, width: number): number[] {
  return a.slice(i * width, i * width + width);
}
