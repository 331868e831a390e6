// A Rapier task re-run on the official MuJoCo WASM build (a devDependency): the shared reset, stepping and construction.
import { readFileSync } from 'node:fs';
import { assetPath } from '../assets/index.ts';
import { loadMjcf } from '../sim/mjcf/index.ts';
import { MujocoSim, loadMujocoModule } from '../sim/mujoco.ts';
import { Rng } from '../sim/rng.ts';
import type { Env, EnvSpec, ResetOptions, StepInfo, StepResult } from './env.ts';
import { checkAction, type BaseTaskConfig } from './task.ts';

/** The parts a reference env is built from: the Rapier task's spec (renamed), MuJoCo on the same file, our parse of it. */
export interface ReferenceParts {
  spec: EnvSpec;
  sim: MujocoSim;
  model: ReturnType<typeof loadMjcf>;
}

/** Builds the Rapier task once (`createRapier`) for its spec, then MuJoCo on the same MJCF asset `file`. */
export async function referenceParts<C>(createRapier: (config: C) => Promise<Env>, config: C, id: string, file: string): Promise<ReferenceParts> {
  const rapier = await createRapier(config);
  const spec = { ...rapier.spec, id };
  rapier.close();
  const xml = readFileSync(assetPath(file), 'utf8');
  return { spec, sim: new MujocoSim(await loadMujocoModule(), xml), model: loadMjcf(xml) };
}

/**
 * A task's episode on MuJoCo: `reset` poses `q0` plus the task's start noise; `advance` holds a
 * checked action for `spec.dt`. Subclasses score the step and write observation and info.
 */
export abstract class MujocoReferenceEnv<C extends BaseTaskConfig> implements Env<Float32Array> {
  protected rng = new Rng(0);
  protected readonly obs: Float32Array;
  protected steps = 0;
  private readonly substeps: number;
  private readonly action: Float32Array;

  constructor(readonly spec: EnvSpec, readonly config: C, protected readonly sim: MujocoSim, private readonly q0: Float64Array) {
    this.obs = new Float32Array(spec.observationSpace.type === 'box' ? spec.observationSpace.shape[0]! : 0);
    this.substeps = Math.max(1, Math.round(spec.dt / sim.dt));
    this.action = new Float32Array(spec.actionSpace.low.length);
  }

  reset(opts: ResetOptions = {}): { obs: Float32Array; info: StepInfo } {
    if (opts.seed !== undefined) this.rng = new Rng(opts.seed);
    const d = this.sim.data, q = Float64Array.from(this.q0), qd = new Float64Array(this.sim.model.nv);
    this.startNoise(q, qd);
    d.qpos.set(q);
    d.qvel.set(qd);
    d.time = 0;
    this.sim.mj.mj_forward(this.sim.model, d);
    this.steps = 0;
    this.onReset();
    return { obs: this.observe(), info: this.describe() };
  }

  abstract step(action: ArrayLike<number>): StepResult<Float32Array>;

  close(): void {
    this.sim.free();
  }

  /** Checks `action` against the spec, applies it and steps MuJoCo for `spec.dt`; returns the checked action. */
  protected advance(action: ArrayLike<number>): Float32Array {
    const a = checkAction(this.spec, this.config.actions, action, this.action);
    this.sim.setControl(a);
    this.sim.step(this.substeps);
    this.steps++;
    return a;
  }

  /** Adds the task's start-state noise to the pose and velocity, in place, from `this.rng`. */
  protected abstract startNoise(qpos: Float64Array, qvel: Float64Array): void;
  /** Clears per-episode state after the pose is set. */
  protected abstract onReset(): void;
  protected abstract observe(): Float32Array;
  protected abstract describe(): StepInfo;
}
