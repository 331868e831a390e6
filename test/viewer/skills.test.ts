// Skill gallery: the DIAYN posterior q(z|s) in play sessions and over the wire, argmax agreement, the skill survey, the push probe, unfit discriminators.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Discriminator } from '../../agents/discriminator.ts';
import { PlaySession } from '../../viewer/play.ts';
import { SkillPosterior } from '../../viewer/posterior.ts';
import { startViewer, type ViewerHandle } from '../../viewer/server.ts';
import type { PolicyEntry } from '../../viewer/policies.ts';
import { TestClient } from './client.ts';
import { tinyDiayn } from './diayn-fixture.ts';

const SKILLS = 4;
let entry: PolicyEntry;
let dir: string;
const cleanups: (() => Promise<void>)[] = [];
let viewer: ViewerHandle | null = null;
const open: PlaySession[] = [];

beforeAll(async () => {
  let remove: () => Promise<void>;
  ({ entry, dir, remove } = await tinyDiayn('half-cheetah', SKILLS));
  cleanups.push(remove);
});
afterAll(async () => {
  for (const s of open) s.close();
  await viewer?.close();
  for (const remove of cleanups) await remove();
});

async function session(e: PolicyEntry = entry, seed = 1): Promise<PlaySession> {
  const s = await PlaySession.create('half-cheetah', e, seed);
  open.push(s);
  return s;
}

/** Plays `skill` for `n` steps and returns the posterior row after each. */
function rows(s: PlaySession, skill: number, n: number): Float32Array[] {
  s.skill = skill;
  return Array.from({ length: n }, () => { s.step(); return s.posterior!.row.slice(); });
}

const sum = (r: ArrayLike<number>) => Array.from(r).reduce((a, b) => a + b, 0);

describe('skill posterior in a play session', () => {
  it('gives a row over all skills summing to 1 at every step, which depends on the skill played', async () => {
    const [a, b, c] = [await session(), await session(), await session()];
    expect(a.posteriorInfo).toEqual({ available: true, note: `q(z|s) over ${SKILLS} skills from 17 of 17 observation values` });
    const r0 = rows(a, 0, 30), r2 = rows(b, 2, 30), again = rows(c, 0, 30);
    for (const r of [...r0, ...r2]) {
      expect(r.length).toBe(SKILLS);
      expect(sum(r)).toBeCloseTo(1, 5);
      for (const v of r) expect(v).toBeGreaterThan(0);
    }
    expect(again, 'the same skill from the same seed gives the same posterior').toEqual(r0);
    const diff = Math.max(...r0.at(-1)!.map((v, k) => Math.abs(v - r2.at(-1)![k]!)));
    expect(diff, 'largest difference of q after 30 steps of skill 0 vs skill 2').toBeGreaterThan(1e-3);
  });

  it('scores argmax agreement per skill while it plays, and the survey scores the same states identically', async () => {
    const a = await session(), b = await session();
    rows(a, 0, 40);
    rows(b, 3, 40);
    const live = [a.gallery(1)!.live, b.gallery(1)!.live];
    expect(live[0]!.map((s) => s.steps)).toEqual([40, 0, 0, 0]);
    expect(live[1]!.map((s) => s.steps)).toEqual([0, 0, 0, 40]);
    const survey = await session();
    await survey.startSurvey(40);
    const g = survey.gallery(7)!;
    expect(g.survey).toMatchObject({ state: 'done', steps: 40, done: SKILLS });
    for (const [k, watched] of [[0, live[0]![0]!], [3, live[1]![3]!]] as const) {
      expect(g.survey.scores[k]!.steps).toBe(watched.steps);
      expect(g.survey.scores[k]!.agreement).toBe(watched.agreement);
      expect(g.survey.scores[k]!.meanPosterior).toBeCloseTo(watched.meanPosterior!, 5);
    }
    for (const s of g.survey.scores) {
      expect(s.steps).toBe(40);
      expect(s.agreement).toBeGreaterThanOrEqual(0);
      expect(s.agreement).toBeLessThanOrEqual(1);
    }
  });

  it('plays a skill policy without a posterior when its discriminator is missing or does not fit, and says why', async () => {
    const other = await tinyDiayn('half-cheetah', SKILLS + 1, 'five-skills');
    cleanups.push(other.remove);
    const cases: [PolicyEntry, RegExp][] = [
      [{ ...entry, discriminatorDir: undefined }, /no discriminator was saved/],
      [{ ...entry, discriminatorDir: join(other.dir, 'discriminator') }, /has 5 skills, the policy 4/],
      [{ ...entry, discriminatorDir: join(tmpdir(), 'nowhere') }, /no discriminator was saved/],
    ];
    for (const [e, note] of cases) {
      const s = await session(e);
      expect(s.posteriorInfo!.available).toBe(false);
      expect(s.posteriorInfo!.note).toMatch(note);
      s.step();
      expect(s.posterior).toBeNull();
      expect(() => s.startSurvey(20)).toThrow(/has no skill posterior/);
    }
    const broken = mkdtempSync(join(tmpdir(), 'paddock-disc-'));
    cleanups.push(async () => rmSync(broken, { recursive: true, force: true }));
    cpSync(join(dir, 'policy'), broken, { recursive: true });
    const s = await session({ ...entry, discriminatorDir: broken });
    expect(s.posteriorInfo!.note, 'a policy folder is not a discriminator').toMatch(/userDefinedMetadata\.paddockDiscriminator/);
  });
});

/** A discriminator stand-in giving q(1|s) = the next scripted value (rest spread evenly over skills 0 and 2). */
function scripted(values: number[]): Discriminator {
  let i = 0;
  return { posterior: () => { const q = values[Math.min(i++, values.length - 1)]!; return Float32Array.of((1 - q) / 2, q, (1 - q) / 2); }, dispose() {} } as unknown as Discriminator;
}

describe('push probe', () => {
  const obs = new Float32Array(3);

  it('records the baseline before a push, the dip, and the step q is back at 90% of the baseline', () => {
    const p = new SkillPosterior(scripted([...Array(21).fill(0.8), 0.5, 0.2, 0.1, 0.4, 0.75, 0.9, 0.3]), 3, 3);
    p.reset(obs, 1);
    for (let t = 1; t <= 20; t++) p.observe(obs, t, 1);
    p.pushed(20);
    for (let t = 21; t <= 27; t++) p.observe(obs, t, 1);
    expect(p.message(0, true).push).toEqual({ step: 20, before: 0.8, min: 0.1, minStep: 23, recovered: 25, dipped: true });
    const m = p.message(0, true);
    expect(m.trace, 'drained by the first message').toEqual([]);
  });

  it('reports no dip when q stays up, and drops the probe when another skill is picked', () => {
    const p = new SkillPosterior(scripted(Array(40).fill(0.6)), 3, 3);
    p.reset(obs, 1);
    for (let t = 1; t <= 5; t++) p.observe(obs, t, 1);
    p.pushed(5);
    for (let t = 6; t <= 15; t++) p.observe(obs, t, 1);
    expect(p.probe).toMatchObject({ before: 0.6, dipped: false, recovered: null });
    p.select(2);
    expect(p.probe).toBeNull();
    expect(p.message(0, true)).toMatchObject({ skill: 2, step: 15 });
  });
});

describe('skill gallery over the wire', () => {
  it('streams posterior rows that sum to 1 and follow the chosen skill, gallery scores, a kick probe and a survey', async () => {
    viewer = await startViewer({ port: 0, build: false, policies: [entry] });
    const c = await TestClient.connect(viewer.url);
    await c.until(() => c.of('posterior').length > 5, 8000, 'posterior messages');
    expect(c.of('scene')[0]).toMatchObject({ policy: 'tiny-diayn', skills: SKILLS, posterior: { available: true } });
    for (const p of c.of('posterior')) {
      expect(p.q).toHaveLength(SKILLS);
      expect(sum(p.q)).toBeCloseTo(1, 4);
      if (p.trace.length) expect(p.trace.at(-1)).toBe(p.q[p.skill]);
    }
    c.send({ type: 'skill', skill: 2 });
    await c.until(() => c.of('posterior').filter((p) => p.skill === 2 && p.trace.length > 0).length > 3, 5000, 'posterior of skill 2');
    for (const p of c.of('posterior').filter((m) => m.skill === 2 && m.trace.length)) expect(p.trace.at(-1)).toBe(p.q[2]);
    await c.until(() => (c.of('gallery').at(-1)?.live[2]?.steps ?? 0) > 0, 5000, 'live score of skill 2');
    c.send({ type: 'kick', body: 1, impulse: [0, 0, 30] });
    await c.until(() => c.of('posterior').some((p) => p.push !== null), 5000, 'the push probe');
    const probe = c.of('posterior').find((p) => p.push !== null)!.push!;
    expect(viewer.hub.playSession!.recording().pushes.some((p) => p.impulse?.[2] === 30)).toBe(true);
    expect(probe.before).toBeGreaterThan(0);
    c.send({ type: 'skill-survey', steps: 20 });
    await c.until(() => c.of('gallery').at(-1)?.survey.state === 'done', 20_000, 'the survey');
    expect(c.of('gallery').at(-1)!.survey.scores.map((s) => s.steps)).toEqual([20, 20, 20, 20]);
    c.send({ type: 'select', task: 'half-cheetah', policy: 'zero' });
    await c.until(() => c.of('scene').at(-1)!.policy === 'zero', 5000, 'switch to zero');
    expect(c.of('scene').at(-1)!.posterior).toBeNull();
    c.send({ type: 'skill-survey', steps: 20 });
    await c.until(() => c.of('error').some((e) => /has no skill posterior: not a skill policy/.test(e.message)), 3000, 'no survey on a plain policy');
    expect(c.invalid).toEqual([]);
    c.close();
  }, 40_000);
});
