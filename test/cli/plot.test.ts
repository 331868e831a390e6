// SVG charts: well-formed documents with the expected series; learning curves averaged across runs; `paddock plot` for runs and sweeps.
import { afterAll, describe, expect, it, vi } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { escapeXml, formatTick, lineChart, niceTicks } from '../../cli/plot/svg.ts';
import { aggregate, readRunCurve, valueAt } from '../../cli/plot/curves.ts';
import { sweepChart } from '../../cli/plot/survival.ts';
import { main } from '../../cli/main.ts';
import { runSweep } from '../../agents/perturb.ts';
import { loadedPolicy } from '../../agents/perturb-policies.ts';

const tmp = mkdtempSync(join(tmpdir(), 'paddock-plot-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** The series groups of an SVG: label, number of line points (M/L commands), whether a band is drawn, marker count. */
function seriesOf(svg: string): { label: string; points: number; band: boolean; markers: number }[] {
  expect(XMLValidator.validate(svg)).toBe(true);
  const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(svg) as { svg: { g: Record<string, unknown>[] | Record<string, unknown> } };
  const groups = ([] as Record<string, unknown>[]).concat(doc.svg.g).filter((g) => g.class === 'series');
  return groups.map((g) => {
    const paths = ([] as { class: string; d: string }[]).concat(g.path as never);
    const line = paths.find((p) => p.class === 'line')!;
    return {
      label: g['data-label'] as string,
      points: (line.d.match(/[ML]/g) ?? []).length,
      band: paths.some((p) => p.class === 'band'),
      markers: g.circle ? ([] as unknown[]).concat(g.circle).length : 0,
    };
  });
}

function writeRun(name: string, rows: string[]): string {
  const dir = join(tmp, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'metrics.jsonl'), `${rows.join('\n')}\n`);
  return dir;
}

describe('lineChart', () => {
  it('writes a well-formed SVG with one group per series, bands, markers and escaped text', () => {
    const svg = lineChart({
      title: 'A <title> & more', xLabel: 'x', yLabel: 'y',
      series: [
        { label: 'first "one"', points: [[0, 1], [1, 2], [2, Number.NaN], [3, 4]], band: [[0, 0.5, 1.5], [1, 1.5, 2.5]] },
        { label: 'second <b>', points: [[0, 3], [3, 1]], markers: true, dashed: true },
      ],
    });
    const series = seriesOf(svg);
    expect(series).toEqual([
      { label: 'first "one"', points: 3, band: true, markers: 0 },
      { label: 'second <b>', points: 2, band: false, markers: 2 },
    ]);
    expect(svg).toContain('A &lt;title&gt; &amp; more');
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
  });

  it('breaks a line at gaps and picks round ticks', () => {
    const svg = lineChart({ title: 't', xLabel: 'x', yLabel: 'y', series: [{ label: 's', points: [[0, 1], [1, Number.NaN], [2, 3]] }] });
    expect(svg).toMatch(/d="M[\d.,]+M[\d.,]+"/);
    expect(niceTicks(0, 1)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(niceTicks(0, 300_000)).toEqual([0, 100_000, 200_000, 300_000]);
    expect(niceTicks(0, 250_000)).toEqual([0, 50_000, 100_000, 150_000, 200_000, 250_000]);
    expect(niceTicks(-3, 7)).toEqual([-2, 0, 2, 4, 6]);
    expect(formatTick(250_000)).toBe('250k');
    expect(formatTick(0.25)).toBe('0.25');
    expect(escapeXml(`a'b"c`)).toBe('a&apos;b&quot;c');
  });
});

describe('learning curves', () => {
  it('reads metrics.jsonl (bad lines skipped), interpolates, and averages only runs that cover a step', () => {
    const a = writeRun('a', ['{"env_steps":0,"time_s":0,"eval/return_mean":0}', 'not json', '{"env_steps":100,"time_s":1,"eval/return_mean":10}', '{"env_steps":150,"time_s":2}', '{"env_steps":200,"time_s":3,"eval/return_mean":30}']);
    const b = writeRun('b', ['{"env_steps":0,"time_s":0,"eval/return_mean":4}', '{"env_steps":100,"time_s":1,"eval/return_mean":"x"}', '{"env_steps":50,"time_s":1,"eval/return_mean":6}']);
    const ca = readRunCurve(a, 'eval/return_mean'), cb = readRunCurve(b, 'eval/return_mean');
    expect(ca).toMatchObject({ x: [0, 100, 200], y: [0, 10, 30] });
    expect(cb).toMatchObject({ x: [0, 50], y: [4, 6] });
    expect(valueAt(ca, 150)).toBe(20);
    expect(valueAt(cb, 100)).toBeNaN();
    const g = aggregate([ca, cb], 'std');
    expect(g.x).toEqual([0, 50, 100, 200]);
    expect(g.count).toEqual([2, 2, 1, 1]);
    expect(g.mean).toEqual([2, 5.5, 10, 30]);
    expect(g.hi[0]! - g.mean[0]!).toBeCloseTo(2, 12);
    const mm = aggregate([ca, cb], 'minmax');
    expect([mm.lo[1], mm.hi[1]]).toEqual([5, 6]);
  });

  it('puts a hierarchical run on the base-step axis (env steps × its config\'s baseStepsPerStep)', () => {
    const h = writeRun('h', ['{"env_steps":10,"time_s":0,"eval/return_mean":1}', '{"env_steps":20,"time_s":1,"eval/return_mean":2}']);
    expect(readRunCurve(h, 'eval/return_mean').x).toEqual([10, 20]);
    writeFileSync(join(h, 'config.json'), JSON.stringify({ baseStepsPerStep: 10 }));
    expect(readRunCurve(h, 'eval/return_mean')).toMatchObject({ x: [100, 200], y: [1, 2] });
  });

  it('`paddock plot --run` writes one line per --run group, with a band for groups of several runs', async () => {
    const c = writeRun('c', ['{"env_steps":0,"time_s":0,"eval/return_mean":1}', '{"env_steps":100,"time_s":1,"eval/return_mean":2}']);
    const out = join(tmp, 'curves.svg');
    const err = vi.spyOn(console, 'error').mockImplementation(() => {});
    const code = await main(['plot', '--run', `${join(tmp, 'a')},${join(tmp, 'b')}`, '--run', c, '--labels', 'pair,single', '--out', out]);
    expect(code).toBe(0);
    const series = seriesOf(readFileSync(out, 'utf8'));
    expect(series.map((s) => s.label)).toEqual(['pair (2 runs)', 'single']);
    expect(series.map((s) => s.band)).toEqual([true, false]);
    expect(series[0]!.points, 'only the steps both runs reached').toBe(2);
    expect(await main(['plot', '--run', `${join(tmp, 'a')},${join(tmp, 'b')}`, '--partial', '--out', out])).toBe(0);
    const partial = seriesOf(readFileSync(out, 'utf8'));
    expect(partial.map((s) => [s.label, s.points])).toEqual([['a+b (1–2 runs)', 4]]);
    err.mockRestore();
  });

  it('refuses bad flag combinations with exit code 2', async () => {
    const err = vi.spyOn(console, 'error').mockImplementation(() => {});
    expect(await main(['plot', '--out', join(tmp, 'x.svg')])).toBe(2);
    expect(await main(['plot', '--run', join(tmp, 'a'), '--sweep', 'x.json', '--out', join(tmp, 'x.svg')])).toBe(2);
    expect(await main(['plot', '--run', join(tmp, 'nowhere'), '--out', join(tmp, 'x.svg')])).toBe(2);
    expect(err.mock.calls.flat().join('\n')).toMatch(/no metrics\.jsonl/);
    err.mockRestore();
  });
});

describe('sweep charts', () => {
  it('draw survival against impulse per policy; equal labels merge into one line with a min–max band', async () => {
    const zero = (label: string) => loadedPolicy(label, 'scripted:zero', 'half-cheetah', () => ({ obsDim: -1, actDim: 6, task: 'half-cheetah', act: (_o, out) => { out.fill(0); }, dispose() {} }));
    const settings = { task: 'half-cheetah', impulses: [0, 40], directions: 4, trials: 2, pushTime: [0.5, 1] as [number, number], window: 1.5, targets: [{ body: 'torso', point: [0.5, 0, 0] as [number, number, number] }] };
    const one = await runSweep({ ...settings, seed: 1 }, [zero('limp'), zero('other')]);
    const two = await runSweep({ ...settings, seed: 2 }, [zero('limp')]);
    const chart = sweepChart([one, two]);
    expect(chart.series.map((s) => s.label)).toEqual(['limp (2 policies)', 'other']);
    expect(chart.series[0]!.points.map((p) => p[0])).toEqual([0, 40]);
    const survival = (r: typeof one, label: string) => r.policies.find((p) => p.label === label)!.cells.map((c) => c.survival!);
    expect(chart.series[0]!.points.map((p) => p[1])).toEqual(survival(one, 'limp').map((v, i) => (v + survival(two, 'limp')[i]!) / 2));
    expect(chart.series[1]!.band![1]!.slice(1)).toEqual([one.policies[1]!.cells[1]!.survivalLow, one.policies[1]!.cells[1]!.survivalHigh]);
    const file = join(tmp, 'sweep.json');
    writeFileSync(file, JSON.stringify(one));
    const out = join(tmp, 'sweep.svg');
    const err = vi.spyOn(console, 'error').mockImplementation(() => {});
    expect(await main(['plot', '--sweep', file, '--metric', 'return-lost', '--out', out])).toBe(0);
    expect(seriesOf(readFileSync(out, 'utf8')).map((s) => s.label)).toEqual(['limp', 'other']);
    writeFileSync(file, JSON.stringify({ ...one, version: 9 }));
    expect(await main(['plot', '--sweep', file, '--out', out])).toBe(2);
    expect(err.mock.calls.flat().join('\n')).toMatch(/sweep\.json\.version/);
    err.mockRestore();
  });

  it('draw survival against ground slope with --x slope: one line per impulse, slopes on the x axis', async () => {
    const zero = loadedPolicy('limp', 'scripted:zero', 'half-cheetah', () => ({ obsDim: -1, actDim: 6, task: 'half-cheetah', act: (_o, out) => { out.fill(0); }, dispose() {} }));
    const r = await runSweep({ task: 'half-cheetah', impulses: [0, 40], slopes: [10, -10, 0], directions: 4, trials: 2, pushTime: [0.5, 1], window: 1.5, seed: 1 }, [zero]);
    const chart = sweepChart([r], 'survival', undefined, 'slope');
    expect(chart.series.map((s) => s.label)).toEqual(['limp · 0 N·s', 'limp · 40 N·s']);
    expect(chart.xLabel).toMatch(/slope/);
    for (const [i, j] of [[0, 0], [1, 40]] as const) {
      const cells = r.policies[0]!.cells.filter((c) => c.impulse === j).sort((a, b) => a.slope - b.slope);
      expect(chart.series[i]!.points).toEqual(cells.map((c) => [c.slope, c.survival]));
    }
    expect(sweepChart([r]).series.map((s) => s.label)).toEqual(['limp · slope +10°', 'limp · slope -10°', 'limp · slope 0°']);
  });
});
