// Push sweeps started from the viewer page: runs agents/perturb.ts in the server between simulation ticks and reports survival per impulse as it fills in.
import { runSweep, type SweepPolicy, type SweepResult } from '../agents/perturb.ts';
import { checkpointPolicy, loadedPolicy } from '../agents/perturb-policies.ts';
import { listShippedPolicies } from '../agents/shipped.ts';
import type { Recording } from '../tasks/recording.ts';
import type { PolicyEntry } from './policies.ts';
import type { ClientMessage, SweepPoint, SweepStatus } from './protocol.ts';

export type SweepRequest = Extract<ClientMessage, { type: 'sweep-start' }>;

/** Failed episodes kept per sweep for replay. */
const KEEP_FAILURES = 8;

/** The sweep policy for a viewer entry: shipped networks seed their action noise per trial; others are loaded afresh per episode. */
async function sweepPolicyFor(task: string, entry: PolicyEntry): Promise<SweepPolicy> {
  const shipped = (await listShippedPolicies(() => {})).find((p) => p.name === entry.name && p.task === task);
  if (shipped) return checkpointPolicy(shipped.dir, entry.name);
  return loadedPolicy(entry.name, `viewer:${entry.name}`, task, () => entry.load());
}

/** Chart points of the first line (slope 0, first target) of a result. */
export function pointsOf(result: SweepResult): SweepPoint[] {
  const cells = result.policies[0]?.cells ?? [];
  return cells.map((c) => ({ impulse: c.impulse, trials: c.trials, failures: c.failures, survival: c.survival, low: c.survivalLow, high: c.survivalHigh }));
}

/** One sweep at a time; its status is broadcast after every trial. */
export class SweepRunner {
  status: SweepStatus | null = null;
  private stopRequested = false;
  private running = false;
  private recordings: Recording[] = [];

  constructor(private readonly publish: (status: SweepStatus) => void) {}

  get busy(): boolean {
    return this.running;
  }

  /** Starts a sweep of `entry` on `task`; resolves when it ends. Throws at once when one is running. */
  start(task: string, entry: PolicyEntry, req: SweepRequest): Promise<void> {
    if (this.running) throw new Error('a sweep is running: stop it first');
    this.running = true;
    this.stopRequested = false;
    this.recordings = [];
    const unit = req.perKg ? 'N·s/kg' : 'N·s';
    this.update({ type: 'sweep', state: 'running', task, policy: entry.name, unit, done: 0, total: 0, points: [], failures: [], message: '' });
    return this.run(task, entry, req).finally(() => { this.running = false; });
  }

  stop(): void {
    this.stopRequested = true;
  }

  /** A kept failure by its index in `status.failures`. */
  failure(index: number): Recording {
    const rec = this.recordings[index];
    if (!rec) throw new Error(`no sweep failure #${index} (${this.recordings.length} kept)`);
    return rec;
  }

  private async run(task: string, entry: PolicyEntry, req: SweepRequest): Promise<void> {
    let policy: SweepPolicy | null = null;
    try {
      policy = await sweepPolicyFor(task, entry);
      const result = await runSweep({
        task, taskConfig: entry.taskConfig ?? {}, impulses: req.impulses, directions: req.directions, trials: req.trials, seed: req.seed, actions: [req.action],
        perKg: req.perKg, maxRecordings: KEEP_FAILURES,
      }, [policy], {
        yieldEachEpisode: true,
        shouldStop: () => this.stopRequested,
        onProgress: (p) => this.progress(p.result, p.done, p.total, 'running'),
        onRecording: (rec, name) => { this.recordings.push(rec); return name; },
      });
      const s = this.status!;
      this.progress(result, result.stopped ? s.done : s.total, s.total, result.stopped ? 'stopped' : 'done');
    } catch (err) {
      this.update({ ...this.status!, state: 'error', message: (err as Error).message });
    } finally {
      policy?.close();
    }
  }

  private progress(result: SweepResult, done: number, total: number, state: SweepStatus['state']): void {
    const trials = result.policies[0]?.trials ?? [];
    const failures = trials.filter((t) => t.recording !== null).map((t) => ({ impulse: t.impulse, trial: t.trial, direction: t.direction }));
    const message = `${result.definitions.failure.description}; ${result.settings.trials} trials per impulse, ${result.settings.directions} ${result.settings.plane} directions, window ${result.settings.window} s`;
    this.update({ ...this.status!, state, done, total, points: pointsOf(result), failures, message });
  }

  private update(status: SweepStatus): void {
    this.status = status;
    this.publish(status);
  }
}
