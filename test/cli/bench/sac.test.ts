// paddock bench sac: both gradient modes timed in interleaved repeats, the window's matMul speed beside them, the transpose fix left on, no tensors left behind.
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { benchSacCommand } from '../../../cli/bench/sac.ts';
import { benchReport } from '../../support/bench.ts';
import { transposeGradientsEnabled } from '../../../agents/grad-fix.ts';

const report = (args: Record<string, string | boolean>) => benchReport(benchSacCommand, args);

describe('paddock bench sac', () => {
  it('reports a median per mode from its repeats and the plain matMul rate of the same window', async () => {
    const r = await report({ hidden: '16,16', batch: '32', updates: '3', repeats: '3', backend: 'wasm' });
    const before = tf.memory().numTensors;
    expect(r.backend).toBe('wasm');
    expect(r.network).toEqual({ hidden: [16, 16], obs: 17, act: 6, batch: 32 });
    for (const mode of ['transpose-fix', 'tfjs-default']) {
      expect(r.samples[mode]).toHaveLength(3);
      expect(r.updatesPerSecond[mode]).toBeGreaterThan(0);
      expect([...r.samples[mode]].sort((a: number, b: number) => a - b)[1]).toBe(r.updatesPerSecond[mode]);
    }
    expect(r.matMulGflopsSamples).toHaveLength(3);
    expect(r.matMulGflops).toBeGreaterThan(0);
    expect(r.speedupFromTransposeFix).toBeCloseTo(r.updatesPerSecond['transpose-fix'] / r.updatesPerSecond['tfjs-default'], 9);
    expect(transposeGradientsEnabled()).toBe(true);
    await report({ hidden: '8', batch: '8', updates: '1', repeats: '1', backend: 'wasm' });
    expect(tf.memory().numTensors).toBe(before);
  }, 120_000);
});
