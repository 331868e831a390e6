// The viewer in a real browser (Debian chromium via playwright-core): drawing, drag on the torso, pause/step/reset, moving the goal marker, a push sweep from the panel.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { startViewer, type ViewerHandle } from '../../viewer/server.ts';
import { ensurePageBuilt } from '../../viewer/build.ts';
import { launchChromium, type Browser } from '../../viewer/tools/chromium.ts';
import type { PlaySession } from '../../viewer/play.ts';
import { isGoalSettable } from '../../tasks/goal.ts';

const SHOTS = join(tmpdir(), 'paddock-viewer-test');
let viewer: ViewerHandle;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];

/** The page's test hooks (window.paddock, see viewer/page/main.ts), read inside the browser. */
type Hooks = { connected: boolean; errors: string[]; view: { received: number; drawn: number; scene: { task: string; policy: string } | null }; project(b: number | 'goal'): { x: number; y: number } | null; send(m: unknown): void };
const hooks = <T>(fn: (p: Hooks) => T): Promise<T> => page.evaluate(`(${fn.toString()})(window.paddock)`) as Promise<T>;

function play(): PlaySession {
  return viewer.hub.playSession!;
}

async function waitFor(test: () => boolean | Promise<boolean>, what: string, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await test())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * In-page JavaScript: a coarse grey-level image of the 3-D canvas (80 × 45 cells) and the colours
 * of a 9 × 9 patch around where model body `b` is drawn (projected from the same drawn frame).
 */
const SAMPLE = `(b) => {
  const p = b === null ? null : window.paddock.project(b);
  const src = document.getElementById('view');
  const c = Object.assign(document.createElement('canvas'), { width: src.clientWidth, height: src.clientHeight });
  const g = c.getContext('2d');
  g.drawImage(src, 0, 0, c.width, c.height);
  const grid = [];
  for (let j = 0; j < 45; j++) for (let i = 0; i < 80; i++) {
    const d = g.getImageData(Math.floor(((i + 0.5) * c.width) / 80), Math.floor(((j + 0.5) * c.height) / 45), 1, 1).data;
    grid.push(d[0] + d[1] + d[2]);
  }
  const patch = [];
  if (p) {
    const r = src.getBoundingClientRect();
    const d = g.getImageData(Math.round(p.x - r.left) - 4, Math.round(p.y - r.top) - 4, 9, 9).data;
    for (let k = 0; k < d.length; k += 4) patch.push([d[k], d[k + 1], d[k + 2]]);
  }
  return { grid, patch };
}`;

async function sample(body?: number): Promise<{ grid: number[]; patch: number[][] }> {
  return page.evaluate(`(${SAMPLE})(${JSON.stringify(body ?? null)})`);
}

async function selectPolicy(task: string, policy: string): Promise<void> {
  if (task !== (await hooks((p) => p.view.scene?.task))) await page.selectOption('#task', task);
  await waitFor(async () => (await hooks((p) => p.view.scene?.task)) === task, `task ${task}`);
  if (policy !== (await hooks((p) => p.view.scene?.policy))) await page.selectOption('#policy', policy);
  await waitFor(async () => (await hooks((p) => p.view.scene?.policy)) === policy && play().policyName === policy, `policy ${policy}`);
}

beforeAll(async () => {
  await mkdir(SHOTS, { recursive: true });
  await ensurePageBuilt();
  viewer = await startViewer({ port: 0, build: false, task: 'half-cheetah', policy: 'sine-gait' });
  browser = await launchChromium();
  page = browser.page;
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await page.goto(viewer.url);
  await waitFor(async () => hooks((p) => p.connected && p.view.received > 5 && p.view.drawn > 2), 'the page to connect and draw', 20_000);
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await viewer?.close();
});

describe('viewer page in chromium', () => {
  it('draws the robot where its torso is, and the picture moves', async () => {
    const a = await sample(1);
    await page.waitForTimeout(700);
    const b = await sample();
    await page.screenshot({ path: join(SHOTS, 'cheetah.png') });
    const changed = a.grid.filter((v, i) => Math.abs(v - b.grid[i]!) > 12).length;
    expect(changed, 'cells that changed between two frames').toBeGreaterThan(a.grid.length * 0.01);
    expect(new Set(a.grid).size, 'distinct grey levels (not a blank canvas)').toBeGreaterThan(50);
    const brown = a.patch.filter(([r, , bl]) => r! - bl! > 40).length;
    expect(brown, 'torso-coloured pixels around the projected torso').toBeGreaterThan(10);
  });

  it('a mouse drag on the torso pulls it up in the simulation', async () => {
    await selectPolicy('half-cheetah', 'zero');
    await waitFor(() => play().steps > 30, 'the cheetah to settle');
    const z = () => { const p = [0, 0, 0]; (play().env as unknown as { world: { bodyPose(b: number, p: number[]): void } }).world.bodyPose(1, p); return p[2]!; };
    const vz = () => { const v = [0, 0, 0]; (play().env as unknown as { world: { bodyVelocity(b: number, v: number[]): void } }).world.bodyVelocity(1, v); return v[2]!; };
    const z0 = z();
    expect(Math.abs(vz()), 'vertical torso velocity at rest (m/s)').toBeLessThan(0.05);
    const at = (await hooks((p) => p.project(1)))!;
    await page.mouse.move(at.x, at.y);
    await page.mouse.down();
    await page.mouse.move(at.x, at.y - 140, { steps: 6 });
    let fastest = 0;
    await waitFor(() => { fastest = Math.max(fastest, vz()); return z() - z0 > 0.15; }, 'the torso to rise', 5000);
    await page.screenshot({ path: join(SHOTS, 'drag.png') });
    await page.mouse.up();
    expect(fastest, 'upward torso velocity while dragged (m/s)').toBeGreaterThan(0.1);
    const drags = play().recording().pushes.filter((p) => p.drag);
    expect(drags[0]).toMatchObject({ body: 'torso' });
    await waitFor(() => play().recording().pushes.some((p) => p.drag?.target === null), 'the release');
  });

  it('pause freezes the simulation, step advances one step, reset starts over', async () => {
    await page.click('#pause');
    await waitFor(() => viewer.hub.paused, 'pause');
    const s = play().steps;
    await page.waitForTimeout(400);
    expect(play().steps).toBe(s);
    await page.click('#step');
    await waitFor(() => play().steps === s + 1, 'a single step');
    await page.click('#reset');
    await waitFor(() => play().steps === 0, 'reset');
    await waitFor(async () => (await page.textContent('#hud'))!.includes('step     0'), 'the HUD to show step 0');
    await page.click('#pause');
    await waitFor(() => !viewer.hub.paused && play().steps > 3, 'resume');
  });

  it('dragging the goal marker moves the task goal', async () => {
    await selectPolicy('arm-reach', 'zero');
    await page.click('#pause');
    await waitFor(() => viewer.hub.paused, 'pause (so no episode ends during the gesture)');
    await hooks((p) => p.send({ type: 'goal', goal: [0.36, -0.12, 0.7] }));
    await waitFor(() => Math.abs(play().desiredGoal()![1]! + 0.12) < 1e-6, 'the goal set by message');
    await page.waitForTimeout(400);
    const before = Array.from(play().desiredGoal()!);
    const at = (await hooks((p) => p.project('goal')))!;
    await page.mouse.move(at.x, at.y);
    await page.mouse.down();
    await page.mouse.move(at.x + 90, at.y - 30, { steps: 5 });
    await page.mouse.up();
    await waitFor(() => Math.hypot(...play().desiredGoal()!.map((v, k) => v - before[k]!)) > 0.05, 'the goal to move');
    await page.screenshot({ path: join(SHOTS, 'arm-goal.png') });
    const goals = play().recording().goals;
    expect(goals.length).toBeGreaterThan(1);
    expect(play().recording().pushes.filter((p) => p.drag), 'a goal drag is not a body drag').toEqual([]);
    const env = play().env;
    if (!isGoalSettable(env)) throw new Error('arm-reach should be goal-settable');
    const { low, high } = env.goalBounds;
    expect(Array.from(play().desiredGoal()!)).toEqual(goals.at(-1)!.goal.map((v, k) => Math.fround(Math.min(high[k]!, Math.max(low[k]!, v)))));
    expect(pageErrors).toEqual([]);
    expect(await hooks((p) => p.errors)).toEqual([]);
  });

  it('runs a push sweep from the panel and draws its survival chart', async () => {
    await selectPolicy('half-cheetah', 'zero');
    await page.fill('#sweep-impulses', '0,150');
    await page.fill('#sweep-directions', '2');
    await page.fill('#sweep-trials', '2');
    await page.click('#sweep-run');
    const state = () => page.evaluate('window.paddock.sweep.status?.state') as Promise<string | undefined>;
    await waitFor(async () => (await state()) === 'done', 'the sweep to finish', 60_000);
    const status = viewer.hub.sweeps.status!;
    expect(status.points.map((p) => p.impulse)).toEqual([0, 150]);
    const blue = await page.evaluate(`(() => {
      const c = document.getElementById('sweep-chart');
      const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
      let n = 0;
      for (let i = 0; i < d.length; i += 4) if (d[i + 2] > 180 && d[i] < 90 && d[i + 3] > 200) n++;
      return n;
    })()`) as number;
    expect(blue, 'pixels of the survival line and points').toBeGreaterThan(40);
    expect(await page.locator('#sweep-failures button').count()).toBe(status.failures.length);
    expect(await page.textContent('#sweep-about')).toMatch(/done 100% \(6\/6 episodes\)/);
    await page.screenshot({ path: join(SHOTS, 'sweep.png') });
    expect(pageErrors).toEqual([]);
  });
});
