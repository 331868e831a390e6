// The viewer in a real browser (Debian chromium via playwright-core): drawing, drag on the torso, pause/step/reset, moving the goal marker, a push sweep, the skill posterior bars, the door ghost.
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
import { tinyDiayn } from './diayn-fixture.ts';

const SHOTS = join(tmpdir(), 'paddock-viewer-test');
let viewer: ViewerHandle;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];
let removeDiayn: () => Promise<void> = async () => {};

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
  const { entry, remove } = await tinyDiayn('half-cheetah', 4);
  removeDiayn = remove;
  viewer = await startViewer({ port: 0, build: false, task: 'half-cheetah', policy: 'sine-gait', policies: [entry] });
  browser = await launchChromium();
  page = browser.page;
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await page.goto(viewer.url);
  await waitFor(async () => hooks((p) => p.connected && p.view.received > 5 && p.view.drawn > 2), 'the page to connect and draw', 20_000);
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await viewer?.close();
  await removeDiayn();
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

  it('shows the skill posterior as bars that follow the card picked', async () => {
    await selectPolicy('half-cheetah', 'tiny-diayn');
    if (viewer.hub.paused) await page.click('#pause');
    const drawn = () => page.evaluate('window.paddock.skills.drawn') as Promise<number>;
    await waitFor(async () => (await drawn()) > 3, 'posterior bars');
    expect(await page.locator('#skill-cards .card').count()).toBe(4);
    /** Pixels of the chosen skill's (orange) and the other skills' (blue-grey) bars, and the orange ones' mean x (0–1 of the width). */
    const bars = () => page.evaluate(`(() => {
      const c = document.getElementById('posterior-chart');
      const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
      let orange = 0, other = 0, x = 0;
      for (let i = 0; i < d.length; i += 4) {
        const [r, g, b] = [d[i], d[i + 1], d[i + 2]];
        if (Math.abs(r - 226) < 12 && Math.abs(g - 113) < 12 && Math.abs(b - 29) < 12) { orange++; x += ((i / 4) % c.width) / c.width; }
        else if (Math.abs(r - 125) < 12 && Math.abs(g - 147) < 12 && Math.abs(b - 178) < 12) other++;
      }
      return { orange, other, x: orange ? x / orange : -1 };
    })()`) as Promise<{ orange: number; other: number; x: number }>;
    const first = await bars();
    expect(first.orange, 'chosen-skill bar pixels').toBeGreaterThan(100);
    expect(first.other, 'other bars').toBeGreaterThan(300);
    expect(first.x, 'skill 0 is the first quarter').toBeLessThan(0.25);
    await page.click('#skill-cards .card[data-skill="2"]');
    await waitFor(() => play().skill === 2, 'skill 2 in the simulation');
    await waitFor(async () => (await page.evaluate('window.paddock.skills.posterior?.skill')) === 2 && (await bars()).x > 0.5, 'the bars to follow skill 2');
    expect((await bars()).x, 'skill 2 is the third quarter').toBeLessThan(0.75);
    expect(await page.getAttribute('#skill-cards .card[data-skill="2"]', 'class')).toMatch(/chosen/);
    expect(await page.textContent('#skill-hud-text')).toMatch(/q\(z=2 \| s\) 0\.\d{3}/);
    await page.screenshot({ path: join(SHOTS, 'skills.png') });
    expect(pageErrors).toEqual([]);
  });

  it('draws a ghost of the door at the goal angle', async () => {
    await selectPolicy('door', 'zero');
    if (!viewer.hub.paused) await page.click('#pause');
    await waitFor(() => viewer.hub.paused, 'pause');
    await hooks((p) => p.send({ type: 'goal', goal: [1.4] }));
    const ghostAngle = () => page.evaluate('(() => { const g = window.paddock.view.ghost; return g && g.visible ? 2 * Math.atan2(g.quaternion.z, g.quaternion.w) : null; })()') as Promise<number | null>;
    await waitFor(async () => Math.abs(((await ghostAngle()) ?? 0) - 1.4) < 1e-3, 'the ghost at 1.4 rad');
    /** Mean green excess (g − r) of a 9 × 9 patch where the ghost's panel projects, drawn with and without the ghost. */
    const tint = await page.evaluate(`(() => {
      const v = window.paddock.view, at = window.paddock.project('ghost'), src = document.getElementById('view');
      const r = src.getBoundingClientRect();
      const patch = () => {
        v.draw();
        const c = Object.assign(document.createElement('canvas'), { width: src.clientWidth, height: src.clientHeight });
        const g = c.getContext('2d');
        g.drawImage(src, 0, 0, c.width, c.height);
        const d = g.getImageData(Math.round(at.x - r.left) - 4, Math.round(at.y - r.top) - 4, 9, 9).data;
        let s = 0;
        for (let k = 0; k < d.length; k += 4) s += d[k + 1] - d[k];
        return s / 81;
      };
      const shown = patch();
      v.ghost.visible = false;
      const hidden = patch();
      v.ghost.visible = true;
      return { shown, hidden };
    })()`) as { shown: number; hidden: number };
    expect(tint.shown - tint.hidden, 'green excess the ghost adds where its panel is drawn').toBeGreaterThan(15);
    await page.screenshot({ path: join(SHOTS, 'door-ghost.png') });
    await page.click('#pause');
    expect(pageErrors).toEqual([]);
  });
});
