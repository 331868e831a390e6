// A training run's resumable state: the learner (agent, buffers, RNGs) and the run counters, to and from a checkpoint.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { Learner } from './learner.ts';
import { loadCheckpoint, saveCheckpoint } from './checkpoint.ts';
import { savePolicy, type PolicyMeta } from './policy-io.ts';
import { parseSacConfig, type SacConfig } from './sac.ts';

export interface RunCounters {
  envSteps: number;
  wallSeconds: number;
  /** How many times the run was resumed (varies the env reset seeds of each leg). */
  resumes: number;
}

const RunStateSchema = z.object({
  version: z.literal(2),
  kind: z.string(),
  counters: z.object({ envSteps: z.number().int().min(0), wallSeconds: z.number().min(0), resumes: z.number().int().min(0) }),
  sacConfig: z.unknown(),
  learner: z.record(z.string(), z.unknown()),
  replaySaved: z.boolean(),
  info: z.record(z.string(), z.unknown()),
});

/** Reads checkpoints written before learners were pluggable (version 1: SAC only, same array names). */
function upgradeV1(state: unknown): unknown {
  const v = state as { version?: number; counters?: Record<string, number>; [k: string]: unknown };
  if (v?.version !== 1 || !v.counters) return state;
  const { envSteps, wallSeconds, resumes, updateDebt, episodes } = v.counters;
  return {
    version: 2, kind: 'sac', counters: { envSteps, wallSeconds, resumes }, sacConfig: v.sacConfig, replaySaved: v.replaySaved, info: v.info,
    learner: { sac: v.sac, normalizer: v.normalizer, actionRng: v.actionRng, updateDebt, episodes, bufferRng: v.bufferRng },
  };
}

/** The exported policy's metadata: task, sizes, bounds, normaliser, goal/skill inputs, provenance. */
function policyMeta(learner: Learner, counters: RunCounters, info: Record<string, unknown>): PolicyMeta {
  const { agent } = learner;
  const normalizer = (learner as { normalizer?: { mean: Float64Array; var: Float64Array; clip: number; eps: number } | null }).normalizer;
  const bounds = learner.actionBounds();
  return {
    kind: 'tanh-gaussian', task: String(info.task), obsDim: agent.obsDim, actDim: agent.actDim, hidden: agent.config.hidden,
    actionLow: bounds.low, actionHigh: bounds.high, logStdMin: agent.config.logStdMin, logStdMax: agent.config.logStdMax,
    ...(normalizer ? { normalizer: { mean: [...normalizer.mean], var: [...normalizer.var], clip: normalizer.clip, eps: normalizer.eps } } : {}),
    ...learner.policyExtras(),
    provenance: { agent: learner.kind, envSteps: counters.envSteps, seed: info.seed, taskConfig: info.taskConfig, command: info.command, date: new Date().toISOString() },
  };
}

/** Writes the run atomically to `dir`: checkpoint.json, arrays.bin, policy/, and replay.bin when `info.saveReplay`. */
export async function saveRun(dir: string, learner: Learner, counters: RunCounters, info: Record<string, unknown>): Promise<void> {
  const { arrays, state } = learner.getState();
  const withReplay = info.saveReplay === true;
  const runState = { version: 2, kind: learner.kind, counters: { ...counters }, sacConfig: learner.agent.config, learner: state, replaySaved: withReplay, info };
  await saveCheckpoint(dir, { state: runState, arrays }, async (tmp) => {
    await savePolicy(join(tmp, 'policy'), learner.agent.actor, policyMeta(learner, counters, info));
    await learner.exportFiles?.(tmp);
    if (withReplay) learner.saveBuffer(join(tmp, 'replay.bin'));
  });
}

/**
 * A checkpoint's SAC settings with today's defaults filled in, so that a run saved before a
 * setting existed (it ran with that setting's default) still matches its own command.
 */
function savedSacConfig(saved: unknown, dir: string): SacConfig {
  try {
    return parseSacConfig(saved);
  } catch (err) {
    throw new Error(`${dir}: the checkpoint's SAC settings are not valid here: ${(err as Error).message}`);
  }
}

/**
 * Restores `learner` and `counters` from the checkpoint at `dir`; false when there is none. The
 * replay memory is restored when the checkpoint has one; otherwise learning resumes on an empty
 * memory, refilled before updates continue (logged, with `how` the run came from it).
 */
export function restoreRun(dir: string, learner: Learner, counters: RunCounters, log: (line: string) => void = (l) => console.error(l), how = 'resumed from'): boolean {
  if (!existsSync(join(dir, 'checkpoint.json')) && !existsSync(join(`${dir}.old`, 'checkpoint.json'))) return false;
  const ckpt = loadCheckpoint(dir);
  const parsed = RunStateSchema.safeParse(upgradeV1(ckpt.state));
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`${join(ckpt.dir, 'checkpoint.json')}: state.${issue.path.join('.')}: ${issue.message}`);
  }
  const s = parsed.data;
  if (s.kind !== learner.kind) throw new Error(`${ckpt.dir}: the checkpoint is of a '${s.kind}' run, not '${learner.kind}'`);
  if (JSON.stringify(savedSacConfig(s.sacConfig, ckpt.dir)) !== JSON.stringify(learner.agent.config)) {
    throw new Error(`${ckpt.dir}: the checkpoint was trained with different SAC settings (${JSON.stringify(s.sacConfig)}); resume with the same settings`);
  }
  learner.setState({ arrays: ckpt.arrays, state: s.learner });
  Object.assign(counters, s.counters);
  if (s.replaySaved && existsSync(join(ckpt.dir, 'replay.bin'))) learner.loadBuffer(join(ckpt.dir, 'replay.bin'));
  else log(`[paddock] ${ckpt.dir}: no replay buffer in the checkpoint; resuming with an empty buffer`);
  log(`[paddock] ${how} ${ckpt.dir} at ${s.counters.envSteps} env steps, ${learner.agent.updates} updates`);
  return true;
}
