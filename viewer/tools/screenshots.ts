// Captures the README's viewer screenshots (docs/img/viewer-*.png) in headless chromium: `npx tsx viewer/tools/screenshots.ts [--run <dir>] [--skills <dir>] [--only a,b]`.
import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { findDiscriminatorDir, readPolicyFiles, resolvePolicyDir, loadPolicy } from '../../agents/policy-io.ts';
import type { PolicyEntry } from '../policies.ts';
import { parseArgs } from 'node:util';
import { startViewer, type ViewerHandle } from '../server.ts';
import { launchChromium, type Browser } from './chromium.ts';

const OUT = fileURLToPath(new URL('../../docs/img/', import.meta.url));

type Hooks = { view: { received: number; scene: { task: string; policy: string } | null }; project(b: number | 'goal'): { x: number; y: number } | null; send(m: unknown): void };

async function until(b: Browser, expr: string, ms = 30_000): Promise<void> {
  await b.page.waitForFunction(expr, undefined, { timeout: ms, polling: 100 });
}

/** Opens `task` with its first listed policy (shipped ones come first) and waits `seconds` of play. */
async function show(b: Browser, v: ViewerHandle, task: string, seconds: number): Promise<string> {
  const policy = v.hub.policiesFor(task)[0]!.name;
  await b.page.evaluate(`window.paddock.send(${JSON.stringify({ type: 'select', task, policy })})`);
  await until(b, `window.paddock.view.scene?.task === ${JSON.stringify(task)} && window.paddock.view.scene?.policy === ${JSON.stringify(policy)}`);
  await b.page.waitForTimeout(seconds * 1000);
  return policy;
}

async function shot(b: Browser, name: string): Promise<void> {
  await b.page.screenshot({ path: join(OUT, `viewer-${name}.png`) });
  console.log(`wrote docs/img/viewer-${name}.png`);
}

/** Pulls body `body` (4: the ant's first foot) upward with the mouse and captures while the spring holds it. */
async function dragShot(b: Browser, v: ViewerHandle, body: number, name: string): Promise<void> {
  const at = (await b.page.evaluate(`window.paddock.project(${body})`)) as ReturnType<Hooks['project']>;
  if (!at) throw new Error(`body ${body} is not on screen`);
  await b.page.mouse.move(at.x, at.y);
  await b.page.mouse.down();
  await b.page.mouse.move(at.x + 30, at.y - 160, { steps: 8 });
  await until(b, '(window.paddock.view.lastFrame?.[6] & 4) !== 0');
  await b.page.waitForTimeout(800);
  await shot(b, name);
  await b.page.mouse.up();
  const drags = v.hub.playSession!.recording().pushes.filter((p) => p.drag).length;
  console.log(`  ${drags} drag updates reached the simulation`);
}

/**
 * A skill policy to show in the gallery shot: a policy folder, checkpoint or run directory
 * (agents/policy-io.ts `resolvePolicyDir`) with its discriminator beside it.
 */
function skillEntry(path: string): PolicyEntry {
  const dir = resolvePolicyDir(path);
  const disc = findDiscriminatorDir(dir);
  const { meta } = readPolicyFiles(dir);
  if (!meta.skills || !disc) throw new Error(`${dir}: not a skill policy with a discriminator beside it`);
  return { name: 'skills', task: meta.task, description: `DIAYN policy from ${path}`, discriminatorDir: disc, load: async () => loadPolicy(dir) };
}

/** Plays skill 1 of the skill policy, kicks it, and captures the posterior bars with the gallery in view. */
async function skillsShot(b: Browser, v: ViewerHandle, task: string): Promise<void> {
  await b.page.evaluate(`window.paddock.send({ type: 'select', task: ${JSON.stringify(task)}, policy: 'skills' })`);
  await until(b, `window.paddock.view.scene?.policy === 'skills'`);
  await b.page.evaluate(`window.paddock.send({ type: 'skill', skill: 1 })`);
  await b.page.waitForTimeout(3000);
  const body = v.hub.playSession!.scene.follow ?? 1;
  await b.page.evaluate(`window.paddock.send({ type: 'kick', body: ${body}, impulse: [0, 0, 20] })`);
  await b.page.waitForTimeout(3000);
  await b.page.evaluate(`document.getElementById('skill-controls').scrollIntoView()`);
  await shot(b, 'skills');
}

const SHOTS = ['cheetah', 'drag', 'arm-goal', 'door', 'curve', 'skills'];

/** Plays `task` a moment, pauses, sets the goal (the arm's marker, the door's ghost) and captures. */
async function goalShot(b: Browser, v: ViewerHandle, task: string, goal: number[], name: string): Promise<void> {
  console.log(`${task}: ${await show(b, v, task, 1)}`);
  await b.page.evaluate(`window.paddock.send({ type: 'pause', paused: true })`);
  await b.page.evaluate(`window.paddock.send({ type: 'goal', goal: ${JSON.stringify(goal)} })`);
  await b.page.waitForTimeout(1500);
  await shot(b, name);
  await b.page.evaluate(`window.paddock.send({ type: 'pause', paused: false })`);
}

/** The door policy, given a goal angle (rad) at the start of an episode, after 3.5 s of play: the door opened toward the ghost. */
async function openedDoorShot(b: Browser, v: ViewerHandle, angle: number): Promise<void> {
  console.log(`door: ${await show(b, v, 'door', 0.5)}`);
  await b.page.evaluate(`window.paddock.send({ type: 'reset' })`);
  await b.page.evaluate(`window.paddock.send({ type: 'goal', goal: [${angle}] })`);
  await b.page.waitForTimeout(3500);
  await shot(b, 'door');
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { run: { type: 'string' }, skills: { type: 'string' }, only: { type: 'string' } } });
  const only = values.only ? values.only.split(',') : SHOTS;
  const bad = only.filter((n) => !SHOTS.includes(n));
  if (bad.length) throw new Error(`--only: unknown shot(s) ${bad.join(', ')} (known: ${SHOTS.join(', ')})`);
  await mkdir(OUT, { recursive: true });
  const skills = values.skills ? skillEntry(values.skills) : null;
  const v = await startViewer({ port: 0, log: console.log, task: 'half-cheetah', run: values.run, policies: skills ? [skills] : [] });
  const b = await launchChromium({ width: 1280, height: 720 });
  try {
    await b.page.goto(`${v.url}?fixedres`);
    await until(b, 'window.paddock?.connected && window.paddock.view.received > 5');
    if (only.includes('cheetah')) {
      console.log(`half-cheetah: ${await show(b, v, 'half-cheetah', 4)}`);
      await shot(b, 'cheetah');
    }
    if (only.includes('drag')) {
      console.log(`quadruped: ${await show(b, v, 'quadruped', 2)}`);
      await dragShot(b, v, 4, 'drag');
    }
    if (only.includes('arm-goal')) await goalShot(b, v, 'arm-reach', [0.55, -0.12, 0.72], 'arm-goal');
    if (only.includes('door')) await openedDoorShot(b, v, 0.8);
    if (values.run && only.includes('curve')) {
      console.log(`learning curve of ${values.run}: ${await show(b, v, 'half-cheetah', 2)}`);
      await until(b, 'window.paddock.chart.points.length > 0');
      await b.page.evaluate(`document.getElementById('curve').scrollIntoView()`);
      await shot(b, 'curve');
    }
    if (skills && only.includes('skills')) await skillsShot(b, v, skills.task);
  } finally {
    await b.close();
    await v.close();
  }
}

await main();
