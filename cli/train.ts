// `paddock train`: headless training with progress, metrics, periodic evaluation and resumable checkpoints.
import { z } from 'zod';
import { intList, num, UsageError, type Command } from './args.ts';
import { BackendChoiceSchema } from '../agents/backend.ts';
import { SacConfigSchema } from '../agents/sac.ts';
import { train } from '../agents/train.ts';
import { getEntry, listEnvs, makeEnv, type Env } from '../tasks/index.ts';
import { parseTaskConfig } from '../tasks/registry.ts';
import { parseDiaynConfig } from '../agents/diayn.ts';
import { parseHerConfig } from '../agents/her.ts';
import { entryIndices, type ObsLayout } from '../tasks/layout.ts';
import { initBackend } from '../agents/backend.ts';
import { loadPolicy, resolvePolicyDir, trainedTaskConfig } from '../agents/policy-io.ts';
import { SkillSelectorEnv, skillInputMismatch } from '../agents/hierarchy.ts';
import { flagArg, jsonArg } from './json-arg.ts';
import { DEFAULT_PORT, startViewer } from '../viewer/server.ts';

const int = (min: number) => num(z.number().int().min(min));

const schema = z.object({
  task: z.string().min(1),
  agent: z.enum(['sac', 'her', 'diayn']).default('sac'),
  envs: int(1).default(1),
  workers: int(0).default(0),
  steps: int(1),
  seed: int(0).default(0),
  out: z.string().min(1).optional(),
  resume: z.boolean().default(false),
  'keep-checkpoints': intList.optional(),
  'branch-from': z.string().min(1).optional(),
  'eval-every': int(0).default(10_000),
  'eval-episodes': int(1).default(5),
  'log-every': int(1).default(5_000),
  'checkpoint-every': int(1).default(50_000),
  'save-replay': z.boolean().default(false),
  'keep-best': z.boolean().default(false),
  backend: BackendChoiceSchema.default('auto'),
  hidden: intList.optional(),
  utd: num(z.number().positive()).optional(),
  'batch-size': int(1).optional(),
  'learning-starts': int(0).optional(),
  'buffer-size': int(1).optional(),
  lr: num(z.number().positive()).optional(),
  alpha: z.union([z.literal('auto'), num(z.number().min(0))]).optional(),
  'normalize-obs': z.boolean().default(false),
  'sac-config': z.string().optional(),
  'task-config': z.string().optional(),
  'her-config': z.string().optional(),
  'diayn-config': z.string().optional(),
  skills: int(2).optional(),
  'skills-from': z.string().optional(),
  'skill-steps': int(1).default(10),
  'skill-relative': z.string().regex(/^\w+(\[\d+\])?(,\w+(\[\d+\])?)*$/, 'a comma-separated list of observation entry names (name or name[k])').optional(),
  quiet: z.boolean().default(false),
  view: z.boolean().default(false),
  port: num(z.number().int().min(0).max(65535)).optional(),
}).strict();
type Options = z.output<typeof schema>;

/** SAC hyperparameters from --sac-config overlaid with the individual flags, validated. */
export function sacFromFlags(o: Options): Record<string, unknown> {
  const sac: Record<string, unknown> = { ...jsonArg('train', 'sac-config', o['sac-config']) };
  const set = (key: string, v: unknown) => { if (v !== undefined) sac[key] = v; };
  set('hidden', o.hidden);
  set('utd', o.utd);
  set('batchSize', o['batch-size']);
  set('learningStarts', o['learning-starts']);
  set('bufferSize', o['buffer-size']);
  set('lr', o.lr);
  set('alpha', o.alpha);
  if (o['normalize-obs']) sac.normalizeObs = true;
  const r = SacConfigSchema.safeParse(sac);
  if (!r.success) throw new UsageError(`train: sac.${r.error.issues[0]!.path.join('.')}: ${r.error.issues[0]!.message}`);
  return r.data;
}

async function run(o: Options): Promise<number> {
  flagArg('train', 'task', () => getEntry(o.task));
  const configs = checkedConfigs(o);
  let stop = false;
  const onSignal = () => {
    if (stop) process.exit(130);
    stop = true;
    console.error('\n[paddock] stopping: writing a checkpoint (press Ctrl-C again to quit at once)');
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const t0 = Date.now();
  const viewer = o.view ? await startViewer({ live: true, port: o.port ?? DEFAULT_PORT, portFallback: o.port === undefined }) : null;
  if (viewer) console.error(`[paddock] live view of this run: ${viewer.url}`);
  const result = await train({
    env: o['skills-from'] ? await skillEnvFactory(o) : o.task, taskConfig: configs.task, agent: o.agent, sac: sacFromFlags(o),
    her: configs.her, diayn: configs.diayn,
    envs: o.envs, workers: o.workers, steps: o.steps, seed: o.seed, out: o.out, resume: o.resume,
    keepCheckpoints: o['keep-checkpoints'], branchFrom: o['branch-from'],
    evalEvery: o['eval-every'], evalEpisodes: o['eval-episodes'], logEvery: o['log-every'],
    checkpointEvery: o['checkpoint-every'], saveReplay: o['save-replay'], keepBest: o['keep-best'], backend: o.backend, progress: !o.quiet,
  }, {
    shouldStop: () => stop, command: `paddock ${process.argv.slice(2).join(' ')}`,
    ...(viewer ? { onMetrics: (row) => viewer.publishMetrics(row), onRollout: (rec) => void viewer.publishRollout(rec) } : {}),
  });
  await viewer?.close();
  process.off('SIGINT', onSignal);
  process.off('SIGTERM', onSignal);
  const ev = result.lastEval;
  console.log(JSON.stringify({
    task: o.task, envSteps: result.envSteps, stopped: result.stopped, wallSeconds: +result.wallSeconds.toFixed(1), legSeconds: +((Date.now() - t0) / 1000).toFixed(1),
    eval: ev ? { returnMean: ev.returnMean, returnStd: ev.returnStd, infoMean: ev.infoMean } : null, out: o.out ?? null,
  }));
  return 0;
}

/**
 * The task, HER and DIAYN configs from their JSON flags, each checked against its schema before
 * anything starts, so a bad field is a usage error naming the flag and the field.
 */
function checkedConfigs(o: Options): { task: unknown; her: unknown; diayn: unknown } {
  const task = jsonArg('train', 'task-config', o['task-config']), her = jsonArg('train', 'her-config', o['her-config']);
  const diayn = { ...jsonArg('train', 'diayn-config', o['diayn-config']), ...(o.skills !== undefined ? { skills: o.skills } : {}) };
  flagArg('train', 'task-config', () => parseTaskConfig(o.task, task));
  if (o.agent === 'her') flagArg('train', 'her-config', () => parseHerConfig(her));
  if (o.agent === 'diayn') flagArg('train', 'diayn-config', () => parseDiaynConfig(diayn));
  return { task, her, diayn };
}

/** Hierarchical control: an env factory whose actions choose skills of a frozen DIAYN policy, each held for --skill-steps steps. */
async function skillEnvFactory(o: Options): Promise<() => Promise<Env>> {
  await initBackend(o.backend, o.quiet ? () => {} : undefined);
  const dir = flagArg('train', 'skills-from', () => resolvePolicyDir(o['skills-from']!));
  const skills = loadPolicy(dir);
  if (!skills.skills) throw new UsageError(`train: --skills-from: ${dir} is not a skill policy (train it with --agent diayn)`);
  const config = jsonArg('train', 'task-config', o['task-config']);
  const known = listEnvs().some((e) => e.id === skills.task);
  const layout = await observationLayout(o.task, config);
  const mismatch = known && skillInputMismatch(await observationLayout(skills.task, trainedTaskConfig(skills.meta) ?? {}), layout);
  if (mismatch) throw new UsageError(`train: --skills-from: ${mismatch}; match the skills' task config in --task-config`);
  const relative = flagArg('train', 'skill-relative', () => entryIndices(layout, o['skill-relative']?.split(',') ?? []));
  return async () => new SkillSelectorEnv(await makeEnv(o.task, config), skills, o['skill-steps'], relative);
}

/** The observation layout of a task under a config (the env is built and closed). */
async function observationLayout(task: string, config: unknown): Promise<ObsLayout> {
  const env = await makeEnv(task, config);
  const layout = env.spec.obsLayout.observation ?? [];
  env.close();
  return layout;
}

export const trainCommand: Command<typeof schema> = {
  name: 'train',
  summary: 'train an agent headlessly (SAC), with checkpoints, metrics and periodic evaluation',
  flags: {
    task: { type: 'string', help: 'task id (see `paddock tasks`)' },
    agent: { type: 'string', help: "agent: 'sac' (default), 'her' (goal-conditioned SAC with hindsight relabelling, goal tasks), 'diayn' (skills, no reward)" },
    envs: { type: 'string', help: 'parallel envs (default 1)' },
    workers: { type: 'string', help: 'worker threads stepping the envs, 0 = this thread (default 0)' },
    steps: { type: 'string', help: 'total env steps, summed over envs' },
    seed: { type: 'string', help: 'seed of networks, replay sampling, exploration and envs (default 0)' },
    out: { type: 'string', help: 'run directory: metrics.jsonl/csv, config.json, checkpoint/, summary.json' },
    resume: { type: 'boolean', help: 'continue from <out>/checkpoint when it exists' },
    'keep-checkpoints': { type: 'string', help: 'also keep the checkpoint at these env steps (comma list) as <out>/checkpoint-<steps>, to branch runs from' },
    'branch-from': { type: 'string', help: "start this run from another run's checkpoint (e.g. runs/a/checkpoint-100000) with these options; its metrics up to there are copied" },
    'eval-every': { type: 'string', help: 'deterministic evaluation every N env steps, 0 = at the end only (default 10000)' },
    'eval-episodes': { type: 'string', help: 'episodes per evaluation (default 5)' },
    'log-every': { type: 'string', help: 'a metrics row every N env steps (default 5000)' },
    'checkpoint-every': { type: 'string', help: 'checkpoint every N env steps (default 50000)' },
    'save-replay': { type: 'boolean', help: 'include the replay buffer in checkpoints (exact resume; large files)' },
    'keep-best': { type: 'boolean', help: 'also keep the agent of the best evaluation so far (mean return) in <out>/best; judge it on fresh seeds with paddock eval' },
    backend: { type: 'string', help: 'TensorFlow.js backend: auto (default), tensorflow-gpu, tensorflow, wasm, cpu' },
    hidden: { type: 'string', help: 'hidden layer sizes, e.g. 256,256 (default)' },
    utd: { type: 'string', help: 'gradient steps per env step (default 1)' },
    'batch-size': { type: 'string', help: 'minibatch size (default 256)' },
    'learning-starts': { type: 'string', help: 'env steps of random actions before learning (default 100)' },
    'buffer-size': { type: 'string', help: 'replay capacity (default 1000000)' },
    lr: { type: 'string', help: 'Adam learning rate (default 3e-4)' },
    alpha: { type: 'string', help: "temperature: 'auto' (learned, default) or a fixed number" },
    'normalize-obs': { type: 'boolean', help: 'running observation normalisation (checkpointed)' },
    'sac-config': { type: 'string', help: 'SAC hyperparameters as JSON (a file or inline {…}); flags override it' },
    'task-config': { type: 'string', help: 'task config as JSON (a file or inline {…})' },
    'her-config': { type: 'string', help: "HER options as JSON: strategy, k, priority ('uniform' | 'goal-path'), priorityFloor, goals ('env' | 'proposed'), skewFit {alpha, histogram, …}" },
    'diayn-config': { type: 'string', help: 'DIAYN options as JSON: skills, features, hidden, lr, heldOutEvery, heldOutSize, warmup {features, steps, noise} or a list of such stages, zeroNewInputs, freezePolicyAt' },
    skills: { type: 'string', help: 'DIAYN: number of skills (default 20)' },
    'skills-from': { type: 'string', help: 'hierarchical control: act by choosing skills of this DIAYN policy (run dir, checkpoint or policy folder)' },
    'skill-steps': { type: 'string', help: 'with --skills-from: base env steps each chosen skill acts for (default 10); --steps counts choices' },
    'skill-relative': { type: 'string', help: 'with --skills-from: observation entries (comma list, e.g. torso_xy) the skills read relative to their value at each choice' },
    quiet: { type: 'boolean', help: 'no progress bar or backend line' },
    view: { type: 'boolean', help: 'serve the viewer while training: evaluation rollouts and the learning curve, live' },
    port: { type: 'string', help: `viewer port with --view (default ${DEFAULT_PORT}, or the next free one)` },
  },
  schema,
  run,
};
