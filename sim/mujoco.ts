// The official MuJoCo WASM build (a devDependency) stepping an MJCF file: a reference for fidelity, speed and learning.
import { readFileSync } from 'node:fs';

/** The subset of the MuJoCo bindings Paddock uses; typed loosely because the package types most arrays as `any`. */
interface MjModule {
  MjModel: { from_xml_string(xml: string): MjModelHandle };
  MjData: new (m: MjModelHandle) => MjDataHandle;
  mj_step(m: MjModelHandle, d: MjDataHandle): void;
  mj_forward(m: MjModelHandle, d: MjDataHandle): void;
}
interface MjModelHandle { nq: number; nv: number; nu: number; nbody: number; opt: { timestep: number }; delete(): void }
interface MjDataHandle { qpos: Float64Array; qvel: Float64Array; ctrl: Float64Array; xpos: Float64Array; time: number; delete(): void }

let loaded: Promise<MjModule> | null = null;

/** Loads MuJoCo WASM once; rejects with a clear message when the devDependency is not installed. */
export function loadMujocoModule(): Promise<MjModule> {
  loaded ??= import('@mujoco/mujoco')
    .then((mod) => (mod.default as unknown as () => Promise<MjModule>)())
    .catch((err: unknown) => {
      throw new Error(`@mujoco/mujoco (a devDependency) could not be loaded: ${String(err)}`);
    });
  return loaded;
}

/** One MuJoCo model + data pair; `free()` deletes both. */
export class MujocoSim {
  readonly model: MjModelHandle;
  readonly data: MjDataHandle;

  constructor(readonly mj: MjModule, xml: string) {
    this.model = mj.MjModel.from_xml_string(xml);
    this.data = new mj.MjData(this.model);
  }

  static async fromFile(path: string): Promise<MujocoSim> {
    return new MujocoSim(await loadMujocoModule(), readFileSync(path, 'utf8'));
  }

  get dt(): number {
    return this.model.opt.timestep;
  }

  step(n = 1): void {
    for (let i = 0; i < n; i++) this.mj.mj_step(this.model, this.data);
  }

  setControl(ctrl: ArrayLike<number>): void {
    this.data.ctrl.set(ctrl);
  }

  /** World position of body `b` (after the last step). */
  bodyPos(b: number): [number, number, number] {
    const x = this.data.xpos;
    return [x[b * 3]!, x[b * 3 + 1]!, x[b * 3 + 2]!];
  }

  free(): void {
    this.data.delete();
    this.model.delete();
  }
}
