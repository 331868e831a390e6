// `paddock eval`: runs a saved policy for whole episodes and reports mean and spread of return and task metrics.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { num, UsageError, type Command } from './args.ts';
import { runEpisode, summarize, type EpisodeSummary } from '../agents/evaluate.ts';
import { inputDim } from '../agents/obs.ts';
import { Recorder } from '../tasks/recording.ts';
import { openPolicy, policyArgShape, policyFlags } from './policy-arg.ts';
import { openScripted } from './scripted-arg.ts';
import type { ResettablePolicy } from '../agents/policy.ts';

const schema = z.object({
  ...policyArgShape,
  episodes: num(z.number().int().min(1).max(10_000)).default(10),
  seed: num(z.number().int().min(0)).default(0),
  stochastic: z.boolean().default(false),
  record: z.string().optional(),
  json: z.boolean().default(false),
}).strict();
type Options = z.output<typeof schema>;

function spread(xs: number[]): { mean: number; std: number; min: number; max: number } {
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  return { mean, std: Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / xs.length), min: Math.min(...xs), max: Math.max(...xs) };
}

async function run(o: Options): Promise<number> {
  const { dir, policy, task, config, env } = o.checkpoint.startsWith('scripted:') ? await openScripted('eval', o) : await openPolicy('eval', o, o.json, o.seed);
  if (policy.obsDim >= 0 && inputDim(env.spec) !== policy.obsDim) throw new UsageError(`eval: the policy reads ${policy.obsDim} inputs but ${task} gives ${inputDim(env.spec)}`);
  const act = (x: Float32Array, out: Float32Array) => policy.act(x, out, 1, !o.stochastic);
  if (o.record) mkdirSync(o.record, { recursive: true });
  const episodes: EpisodeSummary[] = [];
  for (let k = 0; k < o.episodes; k++) {
    const seed = o.seed + k;
    (policy as ResettablePolicy).reset?.();
    const recorder = o.record ? new Recorder(env, seed, { config: config as Record<string, unknown>, meta: { policy: dir, source: 'paddock eval' } }) : undefined;
    episodes.push(runEpisode(env, act, seed, recorder));
    if (recorder) writeFileSync(join(o.record!, `episode-${String(k).padStart(3, '0')}.json`), JSON.stringify(recorder.recording()));
  }
  env.close();
  policy.dispose();
  const s = summarize(episodes);
  const report = {
    policy: dir, task, episodes: o.episodes, seed: o.seed, mode: o.stochastic ? 'stochastic' : 'mean action',
    return: spread(episodes.map((e) => e.return)), length: spread(episodes.map((e) => e.length)), terminatedRate: s.terminatedRate,
    terms: s.terms, infoMean: s.infoMean, infoFinal: s.infoFinal, recordings: o.record ?? null,
    perEpisode: episodes.map((e) => ({ seed: e.seed, return: e.return, length: e.length, terminated: e.terminated, infoMean: e.infoMean, infoFinal: e.infoFinal })),
  };
  if (o.json) console.log(JSON.stringify(report, null, 2));
  else {
    console.log(`${task}: ${o.episodes} episodes (${report.mode}) of ${dir}`);
    console.log(`return ${report.return.mean.toFixed(1)} ± ${report.return.std.toFixed(1)} (min ${report.return.min.toFixed(1)}, max ${report.return.max.toFixed(1)}); length ${report.length.mean.toFixed(0)}; terminated ${(100 * s.terminatedRate).toFixed(0)}%`);
    for (const [k, v] of Object.entries(s.infoMean)) console.log(`  ${k} (episode mean): ${v.toFixed(3)}`);
  }
  return 0;
}

export const evalCommand: Command<typeof schema> = {
  name: 'eval',
  summary: 'evaluate a saved policy: mean and spread of return and task metrics over episodes',
  flags: {
    ...policyFlags,
    checkpoint: { type: 'string', help: 'a run directory, a checkpoint, a policy folder (model.json), or scripted:<name> with --task (sine-gait, cube-pusher, door-opener, zero, random)' },
    episodes: { type: 'string', help: 'episodes to run (default 10)' },
    seed: { type: 'string', help: 'seed of the first episode; episode k uses seed + k (default 0)' },
    stochastic: { type: 'boolean', help: 'sample actions instead of taking the mean action' },
    record: { type: 'string', help: 'folder to write each episode as a recording the viewer can replay' },
    json: { type: 'boolean', help: 'print the report as JSON' },
  },
  schema,
  run,
};
