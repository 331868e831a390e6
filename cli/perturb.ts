// `paddock perturb`: push sweeps of one or more policies: survival, recovery time and return lost against impulse, as JSON, an SVG chart and failure recordings.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { num, UsageError, type Command } from './args.ts';
import { jsonArg } from './json-arg.ts';
import { BackendChoiceSchema, initBackend } from '../agents/backend.ts';
import { Progress } from '../agents/metrics.ts';
import { runSweep, type PushTarget, type SweepHooks, type SweepPolicy, type SweepResult, type SweepSettingsInput } from '../agents/perturb.ts';
import { checkpointPolicy, loadedPolicy } from '../agents/perturb-policies.ts';
import { scriptedEntry } from './scripted-arg.ts';
import { sweepChart } from './plot/survival.ts';
import { lineChart } from './plot/svg.ts';
import { groupsOf } from './plot.ts';

const numList = z.string().regex(/^\s*-?\d+(\.\d+)?(\s*,\s*-?\d+(\.\d+)?)*\s*$/, 'expected comma-separated numbers such as 0,5,10').transform((s) => s.split(',').map(Number));
const int = (min: number, max = 1e9) => num(z.number().int().min(min).max(max));

const schema = z.object({
  checkpoint: z.array(z.string().min(1)).min(1, 'give at least one --checkpoint'),
  labels: z.string().optional(),
  task: z.string().min(1).optional(),
  'task-config': z.string().optional(),
  impulses: numList,
  'per-kg': z.boolean().default(false),
  directions: int(1, 360).default(8),
  plane: z.enum(['horizontal', 'vertical']).optional(),
  trials: int(1).default(50),
  seed: int(0, 0xffffffff).default(0),
  action: z.enum(['mean', 'stochastic', 'both']).default('mean'),
  window: num(z.number().positive()).optional(),
  'push-time': numList.refine((v) => v.length === 2, 'expected two times in seconds: earliest,latest').optional(),
  body: z.array(z.string().min(1)).optional(),
  slopes: numList.default([0]),
  'max-recordings': int(0).optional(),
  out: z.string().min(1).optional(),
  json: z.boolean().default(false),
  quiet: z.boolean().default(false),
  backend: BackendChoiceSchema.default('auto'),
}).strict();
type Options = z.output<typeof schema>;

/** `torso` or `torso@0.5,0,0` (a point in the body's frame, m). */
export function parseTarget(text: string): PushTarget {
  const [body, at] = text.split('@');
  if (!body) throw new UsageError(`perturb: --body: '${text}' has no body name`);
  if (at === undefined) return { body };
  const p = at.split(',').map(Number);
  if (p.length !== 3 || !p.every(Number.isFinite)) throw new UsageError(`perturb: --body: '${text}': the point must be x,y,z in metres in the body's frame`);
  return { body, point: [p[0]!, p[1]!, p[2]!] };
}

/** A checkpoint path, or `scripted:<name>` for the viewer's baselines (zero, random, sine-gait, cube-pusher, door-opener). */
function policyFor(spec: string, label: string | undefined, task: string | undefined): SweepPolicy {
  if (spec.startsWith('scripted:')) {
    const name = spec.slice('scripted:'.length);
    if (!task) throw new UsageError(`perturb: --task is needed with ${spec}`);
    const entry = scriptedEntry('perturb', name, task);
    return loadedPolicy(label ?? name, spec, task, () => entry.load());
  }
  try {
    return checkpointPolicy(spec, label);
  } catch (err) {
    throw new UsageError(`perturb: --checkpoint: ${(err as Error).message}`);
  }
}

/** The policies in the order given; scripted ones take --task or the first trained policy's task. */
function policiesOf(o: Options): SweepPolicy[] {
  const specs = groupsOf(o.checkpoint).flat();
  const labels = o.labels?.split(',').map((s) => s.trim());
  if (labels && labels.length !== specs.length) throw new UsageError(`perturb: --labels: ${labels.length} labels for ${specs.length} policies`);
  const trained = new Map<number, SweepPolicy>();
  specs.forEach((s, i) => { if (!s.startsWith('scripted:')) trained.set(i, policyFor(s, labels?.[i], o.task)); });
  const task = o.task ?? trained.values().next().value?.task;
  return specs.map((s, i) => trained.get(i) ?? policyFor(s, labels?.[i], task));
}

/** A few lines per policy: survival, recovery and return lost at each impulse. */
function summary(r: SweepResult): string {
  const pct = (v: number | null) => (v === null ? '  —  ' : `${(100 * v).toFixed(0).padStart(3)}%`);
  const f = (v: number | null, d = 2) => (v === null ? '—' : v.toFixed(d));
  const lines = [`${r.task}: ${r.settings.trials} trials per impulse, ${r.settings.directions} ${r.settings.plane} directions, window ${r.settings.window} s; failure = ${r.definitions.failure.description}`];
  for (const p of r.policies) {
    lines.push(`${p.label} (${p.action === 'mean' ? 'mean action' : 'sampled actions'})`);
    for (const c of p.cells) {
      lines.push(`  slope ${c.slope}° ${c.target} J=${c.impulse}${r.settings.perKg ? ' N·s/kg' : ' N·s'}: survival ${pct(c.survival)} (${c.failures}/${c.trials} failed, ${c.baselineFailures} unpushed) · recovery ${f(c.recoveryTimeMedian)} s (${c.recovered} recovered) · return lost ${f(c.returnLostMean, 1)} ± ${f(c.returnLostStd, 1)}`);
    }
  }
  if (r.stopped) lines.push('(stopped early: results cover the trials finished)');
  return lines.join('\n');
}

function writeOutputs(out: string, result: SweepResult): void {
  writeFileSync(join(out, 'sweep.json'), `${JSON.stringify(result, null, 1)}\n`);
  writeFileSync(join(out, 'survival.svg'), lineChart(sweepChart([result], 'survival')));
}

/** The library's settings from the flags; the task config defaults to the first trained policy's training config for that task. */
function settingsOf(o: Options, task: string, keep: boolean, policies: SweepPolicy[]): SweepSettingsInput {
  const trained = policies.find((p) => p.task === task && p.taskConfig)?.taskConfig ?? {};
  return {
    task, taskConfig: o['task-config'] === undefined ? trained : jsonArg('perturb', 'task-config', o['task-config']), impulses: o.impulses, perKg: o['per-kg'], directions: o.directions,
    plane: o.plane, trials: o.trials, seed: o.seed, actions: o.action === 'both' ? ['mean', 'stochastic'] : [o.action], window: o.window,
    pushTime: o['push-time'] as [number, number] | undefined, targets: o.body?.map(parseTarget), slopes: o.slopes,
    maxRecordings: keep ? o['max-recordings'] ?? 20 : 0,
  };
}

/** Progress bar on stderr, Ctrl-C to stop after the current episode, failure recordings into `recordings`. */
function hooksOf(o: Options, recordings: string | null, stop: { requested: boolean }): SweepHooks & { finish(): void } {
  const t0 = performance.now();
  let progress: Progress | null = null;
  return {
    shouldStop: () => stop.requested,
    yieldEachEpisode: true,
    onProgress: (p) => {
      progress ??= new Progress(p.total, 'perturb', 30, !o.quiet);
      const elapsed = (performance.now() - t0) / 1000;
      progress.update(p.done, { elapsed: Progress.duration(elapsed), eta: p.done > 0 ? Progress.eta(elapsed, p.done, p.total) : '--' }, p.done === p.total);
    },
    onRecording: (rec, name) => { writeFileSync(join(recordings!, name), JSON.stringify(rec)); return name; },
    finish: () => progress?.done(),
  };
}

async function run(o: Options): Promise<number> {
  await initBackend(o.backend, o.json || o.quiet ? () => {} : undefined);
  const policies = policiesOf(o);
  const recordings = o.out ? join(o.out, 'recordings') : null;
  if (recordings) mkdirSync(recordings, { recursive: true });
  const stop = { requested: false };
  const onSignal = () => { if (stop.requested) process.exit(130); stop.requested = true; console.error('\n[paddock] stopping after this episode (Ctrl-C again quits at once)'); };
  process.on('SIGINT', onSignal);
  try {
    const hooks = hooksOf(o, recordings, stop);
    const result = await runSweep(settingsOf(o, o.task ?? policies[0]!.task, recordings !== null, policies), policies, hooks).catch((err: Error) => {
      throw err.message.startsWith('sweep.') || err.message.startsWith('policy') ? new UsageError(`perturb: ${err.message}`) : err;
    });
    hooks.finish();
    if (o.out) writeOutputs(o.out, result);
    console.log(o.json ? JSON.stringify(result, null, 1) : summary(result));
    if (o.out) console.error(`[paddock] wrote ${join(o.out, 'sweep.json')}, ${join(o.out, 'survival.svg')} and ${result.policies.flatMap((p) => p.trials).filter((t) => t.recording).length} failure recording(s) in ${recordings} (replay: paddock view --replay <file>)`);
    return result.stopped ? 130 : 0;
  } finally {
    process.off('SIGINT', onSignal);
    for (const p of policies) p.close();
  }
}

export const perturbCommand: Command<typeof schema> = {
  name: 'perturb',
  summary: 'push sweeps: survival, recovery time and return lost of policies against push impulse (JSON, SVG chart, failure recordings)',
  flags: {
    checkpoint: { type: 'string', multiple: true, help: 'policy to test: a run directory, checkpoint or policy folder, or scripted:<zero|random|sine-gait|cube-pusher|door-opener>; comma-separated or repeated to compare several in one chart' },
    labels: { type: 'string', help: 'comma-separated names for the policies, in order (default: run directory names); equal labels are merged into one line by `paddock plot`' },
    task: { type: 'string', help: 'task id (default: the one the first policy was trained on)' },
    'task-config': { type: 'string', help: 'task config as JSON (a file or inline {…}); default: the first trained policy\'s training config' },
    impulses: { type: 'string', help: 'impulse sizes in N·s, comma-separated, e.g. 0,0.5,1,2 (the quadruped weighs 0.91 kg, the cheetah 14 kg)' },
    'per-kg': { type: 'boolean', help: 'impulses are per kg of robot mass (the centre-of-mass velocity change, m/s)' },
    directions: { type: 'string', help: 'push directions evenly spaced in the plane; trial k uses direction k mod n (default 8)' },
    plane: { type: 'string', help: 'horizontal (x–y, default) or vertical (x–z, default for the planar half-cheetah)' },
    trials: { type: 'string', help: 'trials per impulse, policy, slope and body (default 50)' },
    seed: { type: 'string', help: 'seed of the trial plan: episode seeds, push times, action noise (default 0)' },
    action: { type: 'string', help: 'mean (default), stochastic (sampled actions), or both (two lines per policy)' },
    window: { type: 'string', help: 'T, seconds after the push in which a failure counts and return is compared (default per task: 4 for locomotion)' },
    'push-time': { type: 'string', help: 'earliest,latest push time in seconds, drawn per trial (default per task: 2,10 for locomotion)' },
    body: { type: 'string', multiple: true, help: 'body to push, or body@x,y,z for a point in its frame (m); repeat for several (default torso; hand for arm tasks)' },
    slopes: { type: 'string', help: 'ground slopes in degrees, + uphill along +x, simulated by tilting gravity (default 0); negatives need --slopes=-10,0,10' },
    'max-recordings': { type: 'string', help: 'failed episodes kept as recordings per policy line, with --out (default 20)' },
    out: { type: 'string', help: 'folder for sweep.json, survival.svg and recordings/ of failures' },
    json: { type: 'boolean', help: 'print the result as JSON (schema SweepResultSchema, docs/perturb.md) instead of the summary' },
    quiet: { type: 'boolean', help: 'no progress bar' },
    backend: { type: 'string', help: 'TensorFlow.js backend: auto (default), tensorflow-gpu, tensorflow, wasm, cpu' },
  },
  schema,
  run,
};
