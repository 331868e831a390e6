// The policies the viewer can play: shipped trained policies (merged in one place) and scripted ones, plus a driver that feeds observations to them.
import type { Policy, ResettablePolicy } from '../agents/policy.ts';
import { listShippedPolicies } from '../agents/shipped.ts';
import type { Env, Observation } from '../tasks/env.ts';
import { listEnvs } from '../tasks/index.ts';
import { CHEETAH_BOUND, sineGaitControl } from '../tasks/controllers/sine-gait.ts';
import { CubePusher } from '../tasks/controllers/cube-pusher.ts';
import { DoorOpener } from '../tasks/controllers/door-opener.ts';
import { ARM_PUSH_LAYOUT } from '../tasks/arm-push.ts';
import { DOOR_LAYOUT } from '../tasks/door.ts';
import { layoutSize } from '../tasks/layout.ts';
import { Rng } from '../sim/rng.ts';

/** A playable policy: the shape `agents/shipped.ts` provides (`listShippedPolicies()`). */
export interface PolicyEntry {
  name: string;
  task: string;
  description: string;
  /** Skill policies: the DIAYN discriminator folder (tfjs layers model) saved beside the policy, for the live posterior. */
  discriminatorDir?: string;
  /** Task config to play the policy on (a shipped policy's training config); default: the task's defaults. */
  taskConfig?: Record<string, unknown>;
  load(): Promise<Policy>;
}


/** Trained policies shipped in assets/policies (agents/shipped.ts): the one place they are merged in. */
async function shippedPolicies(): Promise<PolicyEntry[]> {
  const shipped = await listShippedPolicies((line) => console.error(line));
  return shipped.map(({ name, task, description, discriminatorDir, taskConfig, load }) => ({
    name, task, description, load, ...(discriminatorDir ? { discriminatorDir } : {}), ...(taskConfig ? { taskConfig } : {}),
  }));
}

/** Every playable policy: shipped ones first, then scripted baselines for each registered task. */
export async function listPolicies(): Promise<PolicyEntry[]> {
  return [...(await shippedPolicies()), ...scriptedPolicies()];
}

/** Scripted baselines: the cheetah's sine gait, the cube pusher, the door opener, and zero and random actions for every task. */
export function scriptedPolicies(): PolicyEntry[] {
  const out: PolicyEntry[] = [];
  out.push({ name: 'sine-gait', task: 'half-cheetah', description: 'scripted 3 Hz bounding sine gait (no learning)', load: async () => sineGaitPolicy() });
  out.push({ name: 'cube-pusher', task: 'arm-push', description: 'scripted: fingers down behind the cube, then push it onto the goal (no learning)', load: async () => goalController('arm-push', layoutSize(ARM_PUSH_LAYOUT), 3, new CubePusher()) });
  out.push({ name: 'door-opener', task: 'door', description: 'scripted: grasp the handle, pull, then push the panel to the goal angle (no learning)', load: async () => goalController('door', layoutSize(DOOR_LAYOUT), 1, new DoorOpener()) });
  for (const entry of listEnvs()) {
    out.push({ name: 'zero', task: entry.id, description: 'zero actions (the robot goes limp or holds still)', load: async () => constantPolicy(entry.id, 0) });
    out.push({ name: 'random', task: entry.id, description: 'uniform random actions in the action space', load: async () => randomPolicy(entry.id) });
  }
  return out;
}

/** Scripted policies learn the action size from the env when the driver binds them (-1 = any). */
function sineGaitPolicy(): ResettablePolicy {
  const ctrl = new Float64Array(6);
  let t = 0;
  return {
    obsDim: -1, actDim: 6, task: 'half-cheetah',
    act(_obs, out, n) {
      sineGaitControl(CHEETAH_BOUND, t, ctrl);
      for (let r = 0; r < n; r++) for (let k = 0; k < 6; k++) out[r * 6 + k] = ctrl[k]!;
      t += 0.05;
    },
    reset() { t = 0; },
    dispose() {},
  };
}

/**
 * A scripted goal controller as a policy over `observation ‖ desired_goal` rows; it keeps one
 * episode's state, so it plays one env at a time. The split views are made once per input buffer.
 */
function goalController(task: string, obsSize: number, goalSize: number, ctrl: { reset(): void; act(o: { observation: Float32Array; desired_goal: Float32Array }): Float32Array }): ResettablePolicy {
  let input: Float32Array | null = null;
  let views: { observation: Float32Array; desired_goal: Float32Array } = { observation: new Float32Array(0), desired_goal: new Float32Array(0) };
  return {
    obsDim: obsSize + goalSize, actDim: -1, task,
    act(rows, out, n) {
      if (n !== 1) throw new Error(`${task}: a scripted controller plays one env at a time (got ${n} rows)`);
      if (rows !== input) {
        input = rows;
        views = { observation: rows.subarray(0, obsSize), desired_goal: rows.subarray(obsSize, obsSize + goalSize) };
      }
      out.set(ctrl.act(views));
    },
    reset() { ctrl.reset(); },
    dispose() {},
  };
}

function constantPolicy(task: string, value: number): ResettablePolicy {
  return { obsDim: -1, actDim: -1, task, act: (_obs, out) => { out.fill(value); }, dispose() {} };
}

function randomPolicy(task: string): ResettablePolicy {
  const rng = new Rng(1);
  return { obsDim: -1, actDim: -1, task, act: (_obs, out) => { for (let i = 0; i < out.length; i++) out[i] = rng.range(-1, 1); }, dispose() {} };
}

/**
 * Runs a policy on an env's observations: goal policies see `observation ‖ desired_goal`, skill
 * policies `observation ‖ one-hot(skill)`. Buffers are allocated once.
 */
export class PolicyDriver {
  readonly input: Float32Array;
  private readonly obsSize: number;
  skill = 0;

  constructor(readonly policy: Policy, env: Env) {
    const space = env.spec.observationSpace;
    const flat = space.type === 'dict' ? space.spaces.observation!.shape[0]! + (space.spaces.desired_goal?.shape[0] ?? 0) : space.shape[0]!;
    this.obsSize = flat;
    const actDim = env.spec.actionSpace.shape[0]!;
    const size = flat + (policy.skills ?? 0);
    if (policy.task !== env.spec.id) throw new Error(`policy was trained on '${policy.task}', not '${env.spec.id}'`);
    if (policy.obsDim >= 0 && policy.obsDim !== size) throw new Error(`policy expects ${policy.obsDim} inputs but ${env.spec.id} gives ${size}`);
    if (policy.actDim >= 0 && policy.actDim !== actDim) throw new Error(`policy gives ${policy.actDim} actions but ${env.spec.id} takes ${actDim}`);
    this.input = new Float32Array(size);
  }

  get skills(): number | null {
    return this.policy.skills ?? null;
  }

  /** Called at every episode start. */
  reset(): void {
    (this.policy as ResettablePolicy).reset?.();
  }

  /** Writes the deterministic action for `obs` into `out`. */
  act(obs: Observation, out: Float32Array): void {
    if (obs instanceof Float32Array) this.input.set(obs);
    else {
      this.input.set(obs.observation!);
      if (obs.desired_goal) this.input.set(obs.desired_goal, obs.observation!.length);
    }
    const k = this.policy.skills ?? 0;
    for (let i = 0; i < k; i++) this.input[this.obsSize + i] = i === this.skill ? 1 : 0;
    this.policy.act(this.input, out, 1, true);
  }

  dispose(): void {
    this.policy.dispose();
  }
}
