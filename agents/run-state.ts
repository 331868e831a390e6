// A training run's resumable state: agent, replay buffer, normaliser, RNGs and counters, to and from a checkpoint.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { Rng } from '../sim/rng.ts';
import { Sac, SacStateSchema } from './sac.ts';
import type { ReplayBuffer } from './replay.ts';
import type { RunningNormalizer } from './normalizer.ts';
import { RngStateSchema, loadCheckpoint, saveCheckpoint } from './checkpoint.ts';
import { savePolicy, type PolicyMeta } from './policy-io.ts';

export interface RunCounters {
  envSteps: number;
  episodes: number;
  /** Fractional gradient steps owed by the update-to-data ratio. */
  updateDebt: number;
  wallSeconds: number;
  /** How many times the run was resumed (varies the env reset seeds of each leg). */
  resumes: number;
}

export interface RunParts {
  agent: Sac;
  buffer: ReplayBuffer;
  normalizer: RunningNormalizer | null;
  actionRng: Rng;
  counters: RunCounters;
}

const RunStateSchema = z.object({
  version: z.literal(1),
  counters: z.object({ envSteps: z.number().int().min(0), episodes: z.number().int().min(0), updateDebt: z.number(), wallSeconds: z.number().min(0), resumes: z.number().int().min(0) }),
  sac: SacStateSchema,
  sacConfig: z.unknown(),
  actionRng: RngStateSchema,
  bufferRng: RngStateSchema,
  normalizer: z.object({ count: z.number(), mean: z.array(z.number()), var: z.array(z.number()) }).nullable(),
  replaySaved: z.boolean(),
  info: z.record(z.string(), z.unknown()),
});

/** The policy's metadata for export (task, sizes, bounds, normaliser, provenance). */
function policyMeta(parts: RunParts, info: Record<string, unknown>): PolicyMeta {
  const { agent, normalizer } = parts;
  return {
    kind: 'tanh-gaussian', task: String(info.task), obsDim: agent.obsDim, actDim: agent.actDim, hidden: agent.config.hidden,
    actionLow: info.actionLow as number[], actionHigh: info.actionHigh as number[],
    logStdMin: agent.config.logStdMin, logStdMax: agent.config.logStdMax,
    ...(normalizer ? { normalizer: { mean: [...normalizer.mean], var: [...normalizer.var], clip: normalizer.clip, eps: normalizer.eps } } : {}),
    ...(typeof info.goalDim === 'number' ? { goalDim: info.goalDim } : {}),
    ...(typeof info.skills === 'number' ? { skills: info.skills } : {}),
    provenance: { envSteps: parts.counters.envSteps, seed: info.seed, taskConfig: info.taskConfig, command: info.command, date: new Date().toISOString() },
  };
}

/** Writes the run atomically to `dir` (checkpoint.json, arrays.bin, policy/, and replay.bin when `info.saveReplay`). */
export async function saveRun(dir: string, parts: RunParts, info: Record<string, unknown>): Promise<void> {
  const { arrays, state } = parts.agent.getState();
  const withReplay = info.saveReplay === true;
  const runState = {
    version: 1, counters: { ...parts.counters }, sac: state, sacConfig: parts.agent.config,
    actionRng: parts.actionRng.getState(), bufferRng: parts.buffer.rng.getState(),
    normalizer: parts.normalizer?.getState() ?? null, replaySaved: withReplay, info,
  };
  await saveCheckpoint(dir, { state: runState, arrays }, async (tmp) => {
    await savePolicy(join(tmp, 'policy'), parts.agent.actor, policyMeta(parts, info));
    if (withReplay) parts.buffer.save(join(tmp, 'replay.bin'));
  });
}

/**
 * Restores `parts` from the checkpoint at `dir`; false when there is none. The replay buffer is
 * restored when the checkpoint has one; otherwise learning resumes on an empty buffer (logged).
 */
export function restoreRun(dir: string, parts: RunParts, log: (line: string) => void = (l) => console.error(l)): boolean {
  if (!existsSync(join(dir, 'checkpoint.json')) && !existsSync(join(`${dir}.old`, 'checkpoint.json'))) return false;
  const ckpt = loadCheckpoint(dir);
  const parsed = RunStateSchema.safeParse(ckpt.state);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`${join(ckpt.dir, 'checkpoint.json')}: state.${issue.path.join('.')}: ${issue.message}`);
  }
  const s = parsed.data;
  if (JSON.stringify(s.sacConfig) !== JSON.stringify(parts.agent.config)) {
    throw new Error(`${ckpt.dir}: the checkpoint was trained with different SAC settings (${JSON.stringify(s.sacConfig)}); resume with the same settings`);
  }
  parts.agent.setState(ckpt.arrays, s.sac);
  Object.assign(parts.counters, s.counters);
  parts.actionRng.setState(s.actionRng);
  if (parts.normalizer && s.normalizer) parts.normalizer.setState(s.normalizer);
  if (s.replaySaved && existsSync(join(ckpt.dir, 'replay.bin'))) parts.buffer.load(join(ckpt.dir, 'replay.bin'));
  else log(`[paddock] ${ckpt.dir}: no replay buffer in the checkpoint; resuming with an empty buffer`);
  parts.buffer.rng.setState(s.bufferRng);
  log(`[paddock] resumed from ${ckpt.dir} at ${s.counters.envSteps} env steps, ${s.sac.updates} updates`);
  return true;
}
