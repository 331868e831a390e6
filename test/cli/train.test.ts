// `paddock train`: --skills-from must match the downstream observation (else a usage error naming both), --skill-relative names real entries, and bad task or agent configs are usage errors naming the field.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli } from '../support/cli.ts';
import { initBackend } from '../../agents/backend.ts';
import { Mlp } from '../../agents/nn.ts';
import { savePolicy } from '../../agents/policy-io.ts';
import { Rng } from '../../sim/rng.ts';

const tmp = mkdtempSync(join(tmpdir(), 'paddock-train-'));
const skillsDir = join(tmp, 'skills', 'checkpoint', 'policy');
const SKILLS = 3;
/** The quadruped's observation with torso x, y in front (27 + 2), then the one-hot skill. */
const OBS = 29 + SKILLS;

beforeAll(async () => {
  await initBackend('wasm', () => {});
  const net = new Mlp({ inputDim: OBS, hidden: [8], outputDim: 16, ensemble: 1 }, new Rng(2), 'policy', false);
  await savePolicy(skillsDir, net, {
    kind: 'tanh-gaussian', task: 'quadruped', obsDim: OBS, actDim: 8, hidden: [8], skills: SKILLS,
    actionLow: Array(8).fill(-1), actionHigh: Array(8).fill(1), logStdMin: -20, logStdMax: 2,
    provenance: { source: 'test', taskConfig: { maxEpisodeSteps: 200, excludeCurrentPositionsFromObservation: false } },
  });
  net.dispose();
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('paddock train --skills-from', () => {
  const args = (out: string): string[] => [
    'train', '--task', 'quadruped-waypoints', '--skills-from', join(tmp, 'skills'), '--skill-steps', '2', '--steps', '24', '--envs', '1',
    '--hidden', '8,8', '--learning-starts', '12', '--batch-size', '4', '--eval-every', '0', '--quiet', '--backend', 'wasm', '--out', join(tmp, out),
  ];

  it('refuses a task whose observation does not start with what the skills read, naming the entries', async () => {
    const r = await cli(args('refused'));
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--skills-from: the skills read torso_xy\[2\], torso_z\[1\]/);
    expect(r.err).toMatch(/starts torso_z\[1\]/);
  }, 60_000);

  it('trains over the skills when the task config gives the same observation', async () => {
    const r = await cli([...args('trained'), '--task-config', '{"excludeCurrentPositionsFromObservation":false}']);
    expect(r.code, r.err).toBe(0);
    expect(JSON.parse(r.out.split('\n').at(-1)!)).toMatchObject({ task: 'quadruped-waypoints', envSteps: 24 });
    expect(existsSync(join(tmp, 'trained', 'checkpoint', 'policy', 'model.json'))).toBe(true);
    expect(JSON.parse(readFileSync(join(tmp, 'trained', 'config.json'), 'utf8')).baseStepsPerStep).toBe(2);
  }, 120_000);

  it('refuses a --skill-relative entry the observation does not have, naming it and the ones it has', async () => {
    const r = await cli([...args('relative'), '--task-config', '{"excludeCurrentPositionsFromObservation":false}', '--skill-relative', 'torso_xy,goal_xy']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--skill-relative: no observation entry 'goal_xy' \(have torso_xy, torso_z/);
    expect(existsSync(join(tmp, 'relative'))).toBe(false);
  }, 60_000);
});

describe('paddock train: agent and task configs checked before training', () => {
  const base = (out: string): string[] => ['train', '--steps', '10', '--quiet', '--backend', 'wasm', '--out', join(tmp, out)];
  const cases: [string, string[], RegExp][] = [
    ['task', ['--task', 'half-cheetah', '--task-config', '{"maxEpisodeSteps":-1}'], /--task-config: half-cheetah config\.maxEpisodeSteps: Too small/],
    ['her', ['--task', 'arm-reach', '--agent', 'her', '--her-config', '{"k":-1}'], /--her-config: her config\.k: Too small/],
    ['diayn', ['--task', 'half-cheetah', '--agent', 'diayn', '--diayn-config', '{"warmup":[{"features":["rooty"],"steps":5,"noise":-1}]}'], /--diayn-config: diayn config\.warmup\.0\.noise: Too small/],
  ];
  for (const [name, flags, message] of cases) {
    it(`a bad ${name} config field is a usage error naming the flag and the field, and writes nothing`, async () => {
      const r = await cli([...base(`bad-${name}`), ...flags]);
      expect(r.code).toBe(2);
      expect(r.err).toMatch(message);
      expect(existsSync(join(tmp, `bad-${name}`))).toBe(false);
    });
  }
});
