// Backend selection: the fastest backend that loads is chosen and logged; a forced backend must load or the error says why.
import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { activeBackend, initBackend } from '../../agents/backend.ts';
import { transposeGradientsEnabled } from '../../agents/grad-fix.ts';

async function installed(pkg: string): Promise<boolean> {
  try {
    await import(pkg);
    return true;
  } catch {
    return false;
  }
}

describe('backend selection', () => {
  it('picks the first backend that loads, in order tfjs-node-gpu, tfjs-node, wasm, cpu, and logs it', async () => {
    const lines: string[] = [];
    const info = await initBackend('auto', (l) => lines.push(l));
    const native = (await installed('@tensorflow/tfjs-node-gpu')) || (await installed('@tensorflow/tfjs-node'));
    expect(info.name).toBe(native ? 'tensorflow' : 'wasm');
    expect(tf.getBackend()).toBe(info.name);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(`TensorFlow.js backend: ${info.name}`);
    if (!native) expect(lines[0]).toMatch(/skipped tensorflow-gpu: not installed; tensorflow: not installed/);
    expect(info.transposeGradients).toBe(info.name === 'wasm');
    expect(activeBackend()).toBe(info);
  });

  it('switches to a forced backend, and names a forced backend that cannot load', async () => {
    const cpu = await initBackend('cpu', () => {});
    expect(cpu.name).toBe('cpu');
    expect(tf.getBackend()).toBe('cpu');
    expect(transposeGradientsEnabled()).toBe(false);
    if (!(await installed('@tensorflow/tfjs-node'))) {
      await expect(initBackend('tensorflow', () => {})).rejects.toThrow(/backend 'tensorflow' is not available here: not installed/);
    }
  });
});
