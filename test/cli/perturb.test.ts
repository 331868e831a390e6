// `paddock perturb`: JSON that validates against the published schema, a saved checkpoint swept deterministically, outputs on disk, help and usage errors.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli } from '../support/cli.ts';
import { helpText } from '../../cli/args.ts';
import { perturbCommand } from '../../cli/perturb.ts';
import { SweepResultSchema, type SweepResult } from '../../agents/perturb-schema.ts';
import { initBackend } from '../../agents/backend.ts';
import { Mlp } from '../../agents/nn.ts';
import { savePolicy } from '../../agents/policy-io.ts';
import { Rng } from '../../sim/rng.ts';
import { parseRecording, replayRecording } from '../../tasks/recording.ts';

const tmp = mkdtempSync(join(tmpdir(), 'paddock-perturb-'));
const policyDir = join(tmp, 'run', 'checkpoint', 'policy');
const FAST = ['--impulses', '0,40', '--trials', '2', '--directions', '4', '--push-time', '0.5,1', '--window', '1.5', '--quiet'];

beforeAll(async () => {
  await initBackend('wasm', () => {});
  const net = new Mlp({ inputDim: 17, hidden: [8], outputDim: 12, ensemble: 1 }, new Rng(5), 'policy', false);
  await savePolicy(policyDir, net, {
    kind: 'tanh-gaussian', task: 'half-cheetah', obsDim: 17, actDim: 6, hidden: [8],
    actionLow: Array(6).fill(-1), actionHigh: Array(6).fill(1), logStdMin: -20, logStdMax: 2, provenance: { source: 'test', taskConfig: { maxEpisodeSteps: 400 } },
  });
  net.dispose();
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('paddock perturb', () => {
  it('sweeps on the task config the policy was trained with unless --task-config says otherwise', async () => {
    const trained = JSON.parse((await cli(['perturb', '--checkpoint', join(tmp, 'run'), '--json', ...FAST])).out) as SweepResult;
    expect(trained.taskConfig).toEqual({ maxEpisodeSteps: 400 });
    const given = JSON.parse((await cli(['perturb', '--checkpoint', join(tmp, 'run'), '--task-config', '{"maxEpisodeSteps":500}', '--json', ...FAST])).out) as SweepResult;
    expect(given.taskConfig).toEqual({ maxEpisodeSteps: 500 });
  }, 120_000);

  it('--json prints a result that validates against the published schema, the same for the same seed', async () => {
    const args = ['perturb', '--checkpoint', join(tmp, 'run'), '--action', 'both', '--seed', '3', '--json', ...FAST];
    const a = await cli(args);
    expect(a.code, a.err).toBe(0);
    const result = SweepResultSchema.parse(JSON.parse(a.out));
    expect(result.policies.map((p) => [p.label, p.action])).toEqual([['run', 'mean'], ['run', 'stochastic']]);
    expect(result.task).toBe('half-cheetah');
    expect(result.policies[0]!.trials).toHaveLength(4);
    const b = await cli(args);
    expect(JSON.parse(b.out)).toEqual(JSON.parse(a.out));
    const c = await cli(args.map((x) => (x === '3' ? '4' : x)));
    expect(JSON.parse(c.out)).not.toEqual(JSON.parse(a.out));
  });

  it('compares several policies in one run and writes sweep.json, survival.svg and replayable failure recordings', async () => {
    const out = join(tmp, 'out');
    const r = await cli(['perturb', '--checkpoint', `${join(tmp, 'run')},scripted:zero`, '--checkpoint', 'scripted:sine-gait', '--body', 'torso@0.5,0,0', '--out', out, '--max-recordings', '2', ...FAST]);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/zero \(mean action\)\n {2}slope 0° torso@0\.5,0,0 J=0 N·s: survival/);
    const sweep: SweepResult = SweepResultSchema.parse(JSON.parse(readFileSync(join(out, 'sweep.json'), 'utf8')));
    expect(sweep.policies.map((p) => p.label)).toEqual(['run', 'zero', 'sine-gait']);
    expect(readFileSync(join(out, 'survival.svg'), 'utf8')).toMatch(/data-label="sine-gait"/);
    const files = readdirSync(join(out, 'recordings'));
    const named = sweep.policies.flatMap((p) => p.trials).map((t) => t.recording).filter((f): f is string => f !== null);
    expect(files.length, 'an upward 40 N·s push at the nose rolls a limp cheetah over').toBeGreaterThan(0);
    expect(files.sort()).toEqual(named.sort());
    for (const f of files) expect(parseRecording(JSON.parse(readFileSync(join(out, 'recordings', f), 'utf8'))).meta.source).toBe('paddock perturb');
    const replay = await replayRecording(JSON.parse(readFileSync(join(out, 'recordings', files[0]!), 'utf8')));
    expect(replay.rewardError).toBe(0);
  });

  it('has help for every flag', () => {
    const help = helpText(perturbCommand as never);
    for (const [name, flag] of Object.entries(perturbCommand.flags)) {
      expect(flag.help.length, name).toBeGreaterThan(10);
      expect(help).toContain(`--${name}`);
    }
  });

  it('answers bad input with exit code 2 and a message naming the flag', async () => {
    const cases: [string[], RegExp][] = [
      [['--checkpoint', 'scripted:zero', '--task', 'half-cheetah', '--impulses', '0,x'], /--impulses/],
      [['--checkpoint', 'scripted:zero', '--task', 'half-cheetah', '--impulses', '1', '--body', 'tail'], /sweep\.targets: half-cheetah has no body named 'tail'/],
      [['--checkpoint', 'scripted:zero', '--impulses', '1'], /--task is needed/],
      [['--checkpoint', join(tmp, 'nowhere'), '--impulses', '1'], /--checkpoint: no policy at/],
      [['--checkpoint', 'scripted:zero', '--task', 'half-cheetah', '--impulses', '1', '--push-time', '1,60'], /sweep\.pushTime/],
      [['--checkpoint', 'scripted:zero', '--task', 'half-cheetah', '--impulses', '1', '--labels', 'a,b'], /--labels: 2 labels for 1 policies/],
    ];
    for (const [args, message] of cases) {
      const r = await cli(['perturb', ...args, '--quiet']);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.err).toMatch(message);
    }
    expect(existsSync(join(tmp, 'nowhere'))).toBe(false);
  });
});
